"""Rule 4: session sizes within the modality's bounds; no learner listed twice."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session


def test_session_above_max_size(five_learners_two_teachers: Instance) -> None:
    # independent holds 1-3 learners; s8 now has 4.
    plan = edited_week(
        session("s8", "tue-2", ["l1", "l2", "l4", "l5"]), session("s9", "tue-2", ["l3"])
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 4)
    assert all(part in msg for part in ("'s8'", "'independent'", " 4 ", "1-3"))


def test_session_below_min_size(five_learners_two_teachers: Instance) -> None:
    # A workshop needs 2-6 learners; s3 has 1.
    plan = edited_week(session("s3", "mon-2", ["l3"], "workshop", "hall", "t2", "math", "c"))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 4)
    assert all(part in msg for part in ("'s3'", "'workshop'", "2-6"))


def test_learner_listed_twice_in_a_session(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(session("s9", "tue-2", ["l3", "l4", "l4"]))
    [msg] = only_rule(check(five_learners_two_teachers, plan), 4)
    assert all(part in msg for part in ("'s9'", "'l4'", "2 times"))
