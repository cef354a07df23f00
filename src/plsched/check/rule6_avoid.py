"""Rule 6: two learners that avoid each other (either one lists the other) never share a
session."""

from __future__ import annotations

from itertools import combinations

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation

__all__ = ["violations"]


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    pairs: set[frozenset[str]] = {
        frozenset((learner.id, other))
        for learner in index.learners.values()
        for other in learner.avoid
    }
    if not pairs:
        return found
    for s in index.sessions:
        for a, b in combinations(index.members(s), 2):
            if frozenset((a, b)) in pairs:
                found.append(
                    violation(
                        6,
                        f"learners {a!r} and {b!r} avoid each other but share session {s.id!r} "
                        f"in block {s.block!r}.",
                    )
                )
    return found
