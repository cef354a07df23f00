"""Rule 2: teacher clashes, availability, modalities, daily and weekly maxima, qualifications."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session, small_group


def test_teacher_leads_two_sessions_in_one_block(five_learners_two_teachers: Instance) -> None:
    # t2 already leads s3 in mon-2.
    plan = edited_week(small_group("s4", "mon-2", ["l1", "l2"], "t2", "b", room="lab"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 2)
    assert all(part in msg for part in ("'t2'", "'s3'", "'s4'", "'mon-2'"))


def test_teacher_leads_while_unavailable(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(
        small_group("s7", "tue-1", ["l3"], "t2", "c"),  # t2 is away tue-1
        session("s10", "tue-1", ["l2", "l5"]),
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 2)
    assert all(part in msg for part in ("'t2'", "'s7'", "'tue-1'", "unavailable"))


def test_teacher_out_of_qualified_levels(five_learners_two_teachers: Instance) -> None:
    # Skill e has level 2.5; t1 teaches math levels 0-1.
    plan = edited_week(small_group("s1", "mon-1", ["l1", "l2"], "t1", "e", room="lab"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 2)
    assert all(part in msg for part in ("'t1'", "'s1'", "'e'", "2.5", "0-1"))


def test_teacher_without_qualification_in_subject(five_learners_two_teachers: Instance) -> None:
    science = session("s1", "mon-1", ["l1", "l2"], "small_group", "lab", "t1", "science", "x")
    [msg] = only_rule(check(five_learners_two_teachers, edited_week(science)), 2)
    assert all(part in msg for part in ("'t1'", "'science'", "'s1'"))


def test_teacher_over_daily_maximum(five_learners_two_teachers: Instance) -> None:
    # t1 leads s1 (mon-1) and now s4 (mon-2): 2 sessions on mon, maximum 1.
    plan = edited_week(
        small_group("s4", "mon-2", ["l1", "l2"], "t1", "b", room="lab"),
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 2)
    assert all(part in msg for part in ("'t1'", "'mon'", "daily", " 2 ", " 1."))


def test_teacher_over_weekly_maximum(five_learners_two_teachers: Instance) -> None:
    # t2 leads s1 (mon-1), s3 (mon-2) and s9 (tue-2): 3 sessions, weekly maximum 2.
    plan = edited_week(
        small_group("s1", "mon-1", ["l1", "l2"], "t2", "b", room="lab"),
        small_group("s9", "tue-2", ["l3"], "t2", "c"),
        session("s10", "tue-2", ["l4"]),
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 2)
    assert all(part in msg for part in ("'t2'", "weekly", " 3 ", " 2."))


def test_teacher_leads_a_modality_they_do_not(five_learners_two_teachers: Instance) -> None:
    workshop = session("s1", "mon-1", ["l1", "l2"], "workshop", "lab", "t1", "math", "b")
    [msg] = only_rule(check(five_learners_two_teachers, edited_week(workshop)), 2)
    assert all(part in msg for part in ("'t1'", "'workshop'", "'s1'"))
