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
from plsched.scoring.stability import PreviousPlan, stability
from plsched.scoring.weights import OVERFLOW_LIMIT, SCALE, TERMS, scaled_weights

__all__ = ["Score", "Scorer", "goal_shortfalls", "score"]

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


class Scorer:
    """Scores many plans of one instance (and one previous plan), compiling both once.

    ``Scorer(instance, previous).score(plan)`` equals ``score(instance, plan, previous)``.
    """

    def __init__(self, instance: Instance, previous: Schedule | None = None) -> None:
        self.instance = instance
        self._inst = InstanceArrays.build(instance)
        fair = fair_loads(instance)
        self._fair = np.array([fair[t.id] for t in instance.teachers], dtype=np.int64)
        self._weights = scaled_weights(instance.policy)
        self._previous = None if previous is None else PreviousPlan.build(self._inst, previous)

    def score(self, plan: Schedule) -> Score:
        """Every term's raw value and the scaled total of ``plan``."""
        if plan.instance != self.instance.name:
            logger.warning(
                "Plan is for instance %r, scored against instance %r.",
                plan.instance,
                self.instance.name,
            )
        inst = self._inst
        arrays = plan_arrays(inst, plan)
        raw = {
            "goal_shortfall": terms.goal_shortfall(inst, arrays),
            "off_focus": terms.off_focus(inst, arrays),
            "group_size": terms.group_size(inst, arrays),
            "continuity": terms.continuity(inst, arrays),
            "variety": terms.variety(inst, arrays),
            "age_mix": terms.age_mix(inst, arrays),
            "load_balance": terms.load_balance(inst, arrays, self._fair),
            "stability": stability(inst, arrays, plan, self._previous),
            "review": terms.review(inst, arrays),
            "stretch": terms.stretch(inst, arrays),
        }
        scaled_terms = {t: self._weights[t] * raw[t] for t in TERMS}
        total = sum(scaled_terms.values())
        if total > OVERFLOW_LIMIT:
            logger.warning(
                "The scaled objective %d passes 2**62; CP-SAT's 64-bit integers may overflow.",
                total,
            )
        return Score(
            raw=raw,
            scaled_terms=scaled_terms,
            scaled=total,
            objective=total / SCALE,
            weighted={t: v / SCALE for t, v in scaled_terms.items()},
        )

    def goal_shortfalls(self, plan: Schedule) -> list[tuple[str, str | None, str, int]]:
        """(learner id, subject or None, modality, minutes short) for every goal not fully met."""
        short = terms.goal_shortfall_per_goal(self._inst, plan_arrays(self._inst, plan))
        goals = [(lr.id, g) for lr in self.instance.learners for g in lr.goals]
        return [
            (lid, g.subject, g.modality, int(m))
            for (lid, g), m in zip(goals, short.tolist(), strict=True)
            if m > 0
        ]


def score(instance: Instance, plan: Schedule, previous: Schedule | None = None) -> Score:
    """Recompute every term and the total of ``plan`` from the instance alone.

    A plan that breaks hard rules is scored as it is; an id the instance does not know raises
    :class:`plsched.errors.InputError`. ``previous`` (yesterday's plan) feeds ``stability``.
    To score many plans of one instance, build a :class:`Scorer` once.
    """
    return Scorer(instance, previous).score(plan)


def goal_shortfalls(instance: Instance, plan: Schedule) -> list[tuple[str, str | None, str, int]]:
    """(learner id, subject or None, modality, minutes short) for every goal not fully met."""
    return Scorer(instance).goal_shortfalls(plan)
