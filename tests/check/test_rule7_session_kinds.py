"""Rule 7: teacher and skill presence match the session's modality."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session


def test_teacher_required_session_without_teacher(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s3", "mon-2", ["l3"], "small_group", "hall", None, "math", "c"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 7)
    assert all(part in msg for part in ("'s3'", "'small_group'", "teacher"))


def test_session_without_skill_focus_names_a_skill(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s2", "mon-1", ["l3", "l4", "l5"], subject="math", skill="a"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 7)
    assert all(part in msg for part in ("'s2'", "'independent'", "'a'"))


def test_skill_focus_session_without_skill(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s3", "mon-2", ["l3"], "small_group", "hall", "t2", "math", None))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 7)
    assert all(part in msg for part in ("'s3'", "skill"))


def test_skill_of_another_subject(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s3", "mon-2", ["l3"], "small_group", "hall", "t2", "math", "x"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 7)
    assert all(part in msg for part in ("'s3'", "'x'", "'math'"))


def test_non_teacher_session_with_teacher(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s9", "tue-2", ["l3", "l4"], teacher="t2"))
    rules = {v.rule for v in check(five_learners_two_teachers, plan).violations}
    assert 7 in rules  # t2 does not lead independent work either (rule 2)
