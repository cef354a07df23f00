"""Rule 1: one session per available block, none in an unavailable one."""

from __future__ import annotations

from plsched.check import check
from plsched.io import parse_instance
from plsched.schema.instance import Instance

from .builders import (
    edited_week,
    five_learners_two_teachers_dict,
    only_rule,
    session,
    valid_week,
)


def test_learner_in_no_session(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s4", "mon-2", ["l1"]))  # l2 left out of mon-2
    [msg] = only_rule(check(five_learners_two_teachers, plan), 1)
    assert "'l2'" in msg and "'mon-2'" in msg and "no session" in msg


def test_learner_in_two_sessions_of_one_block(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s6", "tue-1", ["l1", "l4", "l2"]))  # l2 also in s7
    [msg] = only_rule(check(five_learners_two_teachers, plan), 1)
    assert all(part in msg for part in ("'l2'", "'s6'", "'s7'", "'tue-1'"))


def test_learner_in_a_session_while_unavailable() -> None:
    data = five_learners_two_teachers_dict()
    data["learners"][3]["unavailable"] = ["tue-2"]  # l4 away tue-2, yet in s9
    [msg] = only_rule(check(parse_instance(data), valid_week()), 1)
    assert all(part in msg for part in ("'l4'", "'s9'", "'tue-2'", "unavailable"))


def test_unavailable_learner_left_out_is_fine() -> None:
    data = five_learners_two_teachers_dict()
    data["learners"][3]["unavailable"] = ["tue-2"]
    plan = edited_week(session("s9", "tue-2", ["l3"]))
    assert check(parse_instance(data), plan).ok
