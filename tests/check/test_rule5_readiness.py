"""Rule 5: same_skill sessions hold only learners ready for the skill."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule

from .builders import (
    build_five_learners_two_teachers,
    edited_week,
    only_rule,
    session,
    small_group,
)


def test_learner_already_mastered_the_skill(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(small_group("s3", "mon-2", ["l3"], "t2", "b"))  # l3 has mastered b
    [msg] = only_rule(check(five_learners_two_teachers, plan), 5)
    assert all(part in msg for part in ("'l3'", "'b'", "'s3'", "mastered"))


def _stretch_plan() -> Schedule:
    # c needs b; l1 and l2 have mastered a only, so c is a one-step stretch for them.
    return edited_week(
        small_group("s8", "tue-2", ["l1", "l2"], "t2", "c", room="lab"),
        session("s10", "tue-2", ["l5"]),
    )


def test_learner_not_ready_for_a_stretch_skill(five_learners_two_teachers: Instance) -> None:
    messages = only_rule(check(five_learners_two_teachers, _stretch_plan()), 5)
    assert len(messages) == 2
    assert "'l1'" in messages[0] and "'l2'" in messages[1]
    assert all("'c'" in m and "'s8'" in m for m in messages)


def test_policy_allow_stretch_accepts_it() -> None:
    report = check(build_five_learners_two_teachers(allow_stretch=True), _stretch_plan())
    assert report.ok


def test_policy_allow_review_accepts_mastered() -> None:
    plan = edited_week(small_group("s3", "mon-2", ["l3"], "t2", "b"))
    assert check(build_five_learners_two_teachers(allow_review=True), plan).ok
    assert not check(build_five_learners_two_teachers(allow_stretch=True), plan).ok


def test_mix_any_is_not_checked(five_learners_two_teachers: Instance) -> None:
    # A workshop (mix "any") may hold a learner who mastered its skill.
    plan = edited_week(
        session("s3", "mon-2", ["l3", "l5"], "workshop", "hall", "t2", "math", "b"),
        session("s5", "mon-2", ["l4"]),
    )
    assert check(five_learners_two_teachers, plan).ok
