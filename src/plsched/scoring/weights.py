"""The scaling constant, the term names and the integer weights of the objective."""

from __future__ import annotations

import logging
from fractions import Fraction

from plsched.schema.instance import Policy

__all__ = ["OVERFLOW_LIMIT", "SCALE", "TERMS", "scaled_weights"]

logger = logging.getLogger(__name__)

SCALE = 100
"""Weights are multiplied by SCALE and rounded, so that every objective is an exact integer."""

OVERFLOW_LIMIT = 2**62
"""Totals beyond this are warned about: CP-SAT works in 64-bit integers."""

TERMS = (
    "goal_shortfall",
    "off_focus",
    "group_size",
    "continuity",
    "variety",
    "age_mix",
    "load_balance",
    "stability",
    "review",
    "stretch",
)


def scaled_weights(policy: Policy) -> dict[str, int]:
    """``round(weight × SCALE)`` per term, in TERMS order.

    The product is taken on the weight's shortest decimal form (``0.2`` gives exactly 20, not
    ``20.000000000000004``) and rounded half to even, as Python's ``round``. A product that is
    not an integer is rounded and a warning is logged.
    """
    out: dict[str, int] = {}
    for term in TERMS:
        weight = float(getattr(policy.weights, term))
        exact = Fraction(repr(weight)) * SCALE
        rounded = round(exact)
        if exact != rounded:
            logger.warning(
                "Weight %s = %r is not a multiple of 1/%d; it is rounded to %r.",
                term,
                weight,
                SCALE,
                int(rounded) / SCALE,
            )
        out[term] = int(rounded)
    return out
