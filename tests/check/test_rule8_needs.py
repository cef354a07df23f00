"""Rule 8: group-size limits, teacher tags and room features learners need."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session, small_group


def test_group_larger_than_a_members_limit(five_learners_two_teachers: Instance) -> None:
    # l2 works in groups of at most 2; s1 has 3.
    plan = edited_week(
        small_group("s1", "mon-1", ["l2", "l4", "l5"], "t2", "b"),
        session("s2", "mon-1", ["l1"]),
        session("s10", "mon-1", ["l3"]),
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 8)
    assert all(part in msg for part in ("'l2'", "'s1'", " 2 ", " 3 "))


def test_teacher_lacks_a_needed_tag(five_learners_two_teachers: Instance) -> None:
    # l5 needs an "ell" teacher; t1 is not one.
    plan = edited_week(
        small_group("s8", "tue-2", ["l4", "l5"], "t1", "b"),
        session("s9", "tue-2", ["l3"]),
        session("s10", "tue-2", ["l1", "l2"]),
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 8)
    assert all(part in msg for part in ("'l5'", "'ell'", "'t1'", "'s8'"))


def test_room_lacks_a_needed_feature(five_learners_two_teachers: Instance) -> None:
    # l1 needs a quiet room in teacher-led sessions; the hall is not quiet.
    plan = edited_week(small_group("s1", "mon-1", ["l1", "l2"], "t1", "b", room="hall"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 8)
    assert all(part in msg for part in ("'l1'", "'quiet'", "'hall'", "'s1'"))


def test_needs_do_not_apply_without_teacher(five_learners_two_teachers: Instance) -> None:
    # l1 (quiet) and l5 (ell) work independently in the hall in the valid week.
    plan = edited_week(session("s8", "tue-2", ["l1", "l2", "l5"]))
    assert check(five_learners_two_teachers, plan).ok
