"""Scoring a plan: every term's raw value, the integer-scaled total and the goal shortfalls."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule
from plsched.scoring import terms
from plsched.scoring.arrays import InstanceArrays, plan_arrays
from plsched.scoring.fair import fair_loads
from plsched.scoring.stability import stability
from plsched.scoring.weights import OVERFLOW_LIMIT, SCALE, TERMS, scaled_weights

__all__ = ["Score", "goal_shortfalls", "score"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Score:
    """A plan's objective: raw terms, integer-scaled terms and their sum."""

    raw: dict[str, int]
    """Raw value per term (docs/objective.md), in TERMS order."""
    scaled_terms: dict[str, int]
    """round(weight × SCALE) × raw per term."""
    scaled: int
    """Σ scaled_terms: the exact integer objective, as CP-SAT sees it."""
    objective: float
    """scaled / SCALE."""
    weighted: dict[str, float]
    """scaled_terms / SCALE per term: a plan's ``objective_terms``."""


def score(instance: Instance, plan: Schedule, previous: Schedule | None = None) -> Score:
    """Recompute every term and the total of ``plan`` from the instance alone.

    A plan that breaks hard rules is scored as it is; an id the instance does not know raises
    :class:`plsched.errors.InputError`. ``previous`` (yesterday's plan) feeds ``stability``.
    """
    if plan.instance != instance.name:
        logger.warning(
            "Plan is for instance %r, scored against instance %r.", plan.instance, instance.name
        )
    inst = InstanceArrays.build(instance)
    arrays = plan_arrays(inst, plan)
    fair = fair_loads(instance)
    fair_arr = np.array([fair[t.id] for t in instance.teachers], dtype=np.int64)
    raw = {
        "goal_shortfall": terms.goal_shortfall(inst, arrays),
        "off_focus": terms.off_focus(inst, arrays),
        "group_size": terms.group_size(inst, arrays),
        "continuity": terms.continuity(inst, arrays),
        "variety": terms.variety(inst, arrays),
        "age_mix": terms.age_mix(inst, arrays),
        "load_balance": terms.load_balance(inst, arrays, fair_arr),
        "stability": stability(inst, plan, previous),
        "review": terms.review(inst, arrays),
        "stretch": terms.stretch(inst, arrays),
    }
    weights = scaled_weights(instance.policy)
    scaled_terms = {t: weights[t] * raw[t] for t in TERMS}
    total = sum(scaled_terms.values())
    if total > OVERFLOW_LIMIT:
        logger.warning(
            "The scaled objective %d passes 2**62; CP-SAT's 64-bit integers may overflow.", total
        )
    return Score(
        raw=raw,
        scaled_terms=scaled_terms,
        scaled=total,
        objective=total / SCALE,
        weighted={t: v / SCALE for t, v in scaled_terms.items()},
    )


def goal_shortfalls(instance: Instance, plan: Schedule) -> list[tuple[str, str | None, str, int]]:
    """(learner id, subject or None, modality, minutes short) for every goal not fully met."""
    inst = InstanceArrays.build(instance)
    short = terms.goal_shortfall_per_goal(inst, plan_arrays(inst, plan))
    goals = [(lr.id, g) for lr in instance.learners for g in lr.goals]
    return [
        (lid, g.subject, g.modality, int(m))
        for (lid, g), m in zip(goals, short.tolist(), strict=True)
        if m > 0
    ]
