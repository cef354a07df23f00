"""Rule 3: zones, capacity, availability and features of rooms."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session


def test_room_over_its_zones(five_learners_two_teachers: Instance) -> None:
    # The hall has 3 zones; mon-2 now has s3, s4, s5 and s10 there.
    plan = edited_week(session("s5", "mon-2", ["l4"]), session("s10", "mon-2", ["l5"]))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 3)
    assert all(part in msg for part in ("'hall'", "'mon-2'", "'s3'", "'s10'", "3 zone"))


def test_room_over_its_capacity(five_learners_two_teachers: Instance) -> None:
    # The lab holds 2 learners; s4 brings 3 there.
    plan = edited_week(
        session("s4", "mon-2", ["l1", "l2", "l4"], room="lab"), session("s5", "mon-2", ["l5"])
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 3)
    assert all(part in msg for part in ("'lab'", "'mon-2'", " 2 ", " 3 "))


def test_room_lacks_a_modality_feature(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s7", "tue-1", ["l2", "l3", "l5"], modality="reading"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 3)
    assert all(part in msg for part in ("'hall'", "'quiet'", "'s7'"))


def test_room_lacks_a_subject_feature(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s2", "mon-1", ["l3", "l4", "l5"], subject="science"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 3)
    assert all(part in msg for part in ("'hall'", "'lab'", "'s2'"))


def test_room_used_while_unavailable(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s6", "tue-1", ["l1", "l4"], room="lab"))  # lab closed tue-1
    [msg] = only_rule(check(five_learners_two_teachers, plan), 3)
    assert all(part in msg for part in ("'lab'", "'tue-1'", "'s6'", "unavailable"))
