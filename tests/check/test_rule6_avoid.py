"""Rule 6: learners that avoid each other never share a session."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session


def test_avoiding_learners_share_a_session(five_learners_two_teachers: Instance) -> None:
    # Only l1 lists l3; the rule holds either way round.
    plan = edited_week(
        session("s8", "tue-2", ["l3", "l2", "l1"]), session("s9", "tue-2", ["l4", "l5"])
    )
    [msg] = only_rule(check(five_learners_two_teachers, plan), 6)
    assert msg == (
        "rule 6: learners 'l3' and 'l1' avoid each other but share session 's8' in block 'tue-2'."
    )
