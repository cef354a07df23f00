"""One hand-derived test per objective term (docs/objective.md), on the schools of conftest."""

from __future__ import annotations

from hand_school import plan, session

from plsched import Instance
from plsched.scoring import goal_shortfalls, score


def test_goal_shortfall(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2"], "math", "b", "t1"),
        session("s2", "mon-2", "independent", ["l1", "l3", "l4"], "math"),
        # A community session *with* a subject does not count for l1's null-subject goal.
        session("s3", "tue-1", "community", ["l1"], "math", teacher="t1"),
    )
    # l1 small_group math: 120 − 60 = 60; l1 community (null): 60 − 0 = 60;
    # l2 small_group math: 60 − 60 = 0; l3 small_group math: 60 − 0 = 60 (independent does not
    # count); l4 independent (null): 30 − 0 = 30 (its session has subject math). Total 210.
    assert score(four_learners_one_teacher, p).raw["goal_shortfall"] == 210
    assert goal_shortfalls(four_learners_one_teacher, p) == [
        ("l1", "math", "small_group", 60),
        ("l1", None, "community", 60),
        ("l3", "math", "small_group", 60),
        ("l4", None, "independent", 30),
    ]


def test_goal_shortfall_met_goals_give_zero(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2", "l3"], "math", "b", "t1"),
        session("s2", "mon-2", "small_group", ["l1"], "math", "b", "t1"),
        session("s3", "tue-1", "community", ["l1"], teacher="t1"),
        session("s4", "tue-1", "independent", ["l4"]),
    )
    # l1: 60 + 45 = 105 of 120 → 15; community 30 of 60 → 30; l2, l3: 60 of 60 → 0;
    # l4: 30 of 30 → 0. Total 45.
    assert score(four_learners_one_teacher, p).raw["goal_shortfall"] == 45
    assert goal_shortfalls(four_learners_one_teacher, p) == [
        ("l1", "math", "small_group", 15),
        ("l1", None, "community", 30),
    ]


def test_off_focus(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2", "l3"], "math", "b", "t1"),
        session("s2", "mon-2", "small_group", ["l1", "l3"], "math", "c", "t1"),
        session("s3", "tue-1", "independent", ["l1", "l3"], "math"),
    )
    # s1 (60 min, skill b): l1 focus {b} → 0; l2 has no focus → 0; l3 focus {c} → 60.
    # s2 (45 min, skill c): l1 → 45; l3 → 0. s3 is not teacher-led → 0. Total 105.
    assert score(four_learners_one_teacher, p).raw["off_focus"] == 105


def test_group_size(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l2"], "math", "a", "t1"),
        session("s2", "mon-1", "independent", ["l1", "l3", "l4"]),
        session("s3", "mon-2", "community", ["l1", "l2", "l3", "l4"], teacher="t1"),
    )
    # s1: |1 − 3| = 2; s2: |3 − 5| = 2; s3: |4 − 4| = 0. Total 4.
    assert score(four_learners_one_teacher, p).raw["group_size"] == 4


def test_group_size_counts_a_repeated_learner_once(four_learners_one_teacher: Instance) -> None:
    p = plan(session("s1", "mon-1", "small_group", ["l2", "l2"], "math", "a", "t1"))
    # {l2}: |1 − 3| = 2.
    assert score(four_learners_one_teacher, p).raw["group_size"] == 2


def test_continuity(four_learners_two_teachers: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2", "l3"], "math", "b", "t1"),
        session("s2", "mon-2", "small_group", ["l1"], "math", "c", "t2"),
        session("s3", "mon-2", "community", ["l2"], teacher="t2"),
        session("s4", "mon-2", "independent", ["l3"], "math"),
        session("s5", "tue-1", "small_group", ["l1", "l3"], "math", "c", "t1"),
    )
    # l1 math: {t1, t2} → 1. l2 math: {t1} (s3 has no subject) → 0.
    # l3 math: {t1} (s4 has no teacher) → 0. Total 1.
    assert score(four_learners_two_teachers, p).raw["continuity"] == 1


def test_variety(four_learners_daily_cap_one: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2"], "math", "b", "t1"),
        session("s2", "mon-2", "independent", ["l1"], "math"),
        session("s3", "mon-2", "community", ["l2"], teacher="t1"),
        session("s4", "tue-1", "independent", ["l1", "l2"], "math"),
    )
    # Cap 1. l1 math: mon 2 → 1, tue 1 → 0. l2 math: mon 1 (s3 has no subject) → 0,
    # tue 1 → 0. Total 1.
    assert score(four_learners_daily_cap_one, p).raw["variety"] == 1


def test_variety_default_cap_two(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2"], "math", "b", "t1"),
        session("s2", "mon-2", "independent", ["l1"], "math"),
    )
    # Cap 2: l1 has 2 math sessions on mon → 0.
    assert score(four_learners_one_teacher, p).raw["variety"] == 0


def test_age_mix(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "community", ["l1", "l2", "l3", "l4"], teacher="t1"),
        session("s2", "mon-2", "circle", ["l1", "l2", "l4"]),
        session("s3", "tue-1", "independent", ["l1", "l2", "l3", "l4"]),
    )
    # s1: target 4, half ceil(4/2) = 2; age 6: 3 → 1, age 8: 1 → 0.
    # s2: target 3, half ceil(3/2) = 2; age 6: 3 → 1. s3 is mix "any" → 0. Total 2.
    assert score(four_learners_one_teacher, p).raw["age_mix"] == 2


def test_load_balance(four_learners_two_teachers: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1"], "math", "b", "t1"),
        session("s2", "mon-2", "small_group", ["l2"], "math", "a", "t1"),
        session("s3", "tue-1", "small_group", ["l3"], "math", "c", "t1"),
        session("s4", "mon-2", "community", ["l1"], teacher="t2"),
        session("s5", "tue-1", "community", ["l4"], teacher="t2"),
    )
    # fair = {t1: 2, t2: 1} (see test_fair.py). t1 leads 3 → 1; t2 leads 2 → 1. Total 2.
    assert score(four_learners_two_teachers, p).raw["load_balance"] == 2


def test_review(four_learners_one_teacher: Instance) -> None:
    p = plan(session("s1", "mon-1", "small_group", ["l1", "l2", "l4"], "math", "a", "t1"))
    # Skill a: mastered by l1 and l4 → 2; l2 is ready for it → 0.
    r = score(four_learners_one_teacher, p).raw
    assert (r["review"], r["stretch"]) == (2, 0)


def test_stretch(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2", "l4"], "math", "b", "t1"),
        session("s2", "mon-2", "small_group", ["l2"], "math", "c", "t1"),
        session("s3", "tue-1", "community", ["l2"], teacher="t1"),
    )
    # s1 (skill b): l1 is ready (a mastered) → 0; l2 has not mastered a → stretch 1;
    # l4 has mastered b → review 1. s2 (skill c): l2 is two steps away, neither mastered nor
    # ready → stretch 1. s3 is not same_skill. Stretch 2, review 1.
    r = score(four_learners_one_teacher, p).raw
    assert (r["stretch"], r["review"]) == (2, 1)


def test_empty_plan(four_learners_one_teacher: Instance) -> None:
    # Only the goals are short: 120 + 60 + 60 + 60 + 30 = 330 minutes.
    r = score(four_learners_one_teacher, plan()).raw
    assert r == {t: 0 for t in r} | {"goal_shortfall": 330}
