"""The independent checker: every hard rule, one module each, run over an instance and a plan.

It knows nothing of any solver; it reads the public formats only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from plsched.check import (
    references,
    rule1_attendance,
    rule2_teachers,
    rule3_rooms,
    rule4_sizes,
    rule5_readiness,
    rule6_avoid,
    rule7_session_kinds,
    rule8_needs,
)
from plsched.check.index import PlanIndex
from plsched.check.kpis import compute_kpis
from plsched.check.report import CheckReport, Violation
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule

__all__ = ["RULES", "check"]

logger = logging.getLogger(__name__)

#: The rule checks in rule order; each lists every violation of its rule.
RULES: tuple[Callable[[PlanIndex], list[Violation]], ...] = (
    references.violations,
    rule1_attendance.violations,
    rule2_teachers.violations,
    rule3_rooms.violations,
    rule4_sizes.violations,
    rule5_readiness.violations,
    rule6_avoid.violations,
    rule7_session_kinds.violations,
    rule8_needs.violations,
)


def check(instance: Instance, plan: Schedule) -> CheckReport:
    """List every hard rule ``plan`` breaks on ``instance``, and the plan's KPIs."""
    if plan.instance != instance.name:
        logger.warning(
            "Plan is for instance %r but is checked against instance %r.",
            plan.instance,
            instance.name,
        )
    index = PlanIndex.build(instance, plan)
    found: list[Violation] = []
    for rule in RULES:
        found.extend(rule(index))
    logger.info("Checked %d sessions: %d violation(s).", len(plan.sessions), len(found))
    return CheckReport(violations=tuple(found), kpis=compute_kpis(index))
