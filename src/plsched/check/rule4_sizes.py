"""Rule 4: a session's size lies within its modality's bounds, and no learner is listed twice
in one session."""

from __future__ import annotations

from collections import Counter

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation

__all__ = ["violations"]


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    for s in index.sessions:
        for lid, n in Counter(s.learners).items():
            if n > 1:
                found.append(violation(4, f"session {s.id!r} lists learner {lid!r} {n} times."))
        modality = index.modalities.get(s.modality)
        if modality is None:
            continue
        size = index.size(s)
        if not modality.min_size <= size <= modality.max_size:
            found.append(
                violation(
                    4,
                    f"session {s.id!r} has {size} learner(s), outside the {modality.min_size}-"
                    f"{modality.max_size} of modality {modality.id!r}.",
                )
            )
    return found
