"""Rule 0, "reference": every id a plan names exists in the instance; session ids are unique.

The other rules skip what they cannot judge (an unknown block, learner, ...), so a plan with
bad references is reported here instead of crashing a rule.
"""

from __future__ import annotations

from collections import Counter

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation

__all__ = ["violations"]


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    counts = Counter(s.id for s in index.sessions)
    for sid, n in counts.items():
        if n > 1:
            found.append(violation(0, f"session id {sid!r} is used by {n} sessions."))
    for s in index.sessions:
        named: list[tuple[str, str | None, bool]] = [
            ("block", s.block, s.block in index.blocks),
            ("modality", s.modality, s.modality in index.modalities),
            ("room", s.room, s.room in index.rooms),
            ("teacher", s.teacher, s.teacher is None or s.teacher in index.teachers),
            ("subject", s.subject, s.subject is None or s.subject in index.subjects),
            ("skill", s.skill, s.skill is None or s.skill in index.known_skills),
        ]
        named += [("learner", lid, lid in index.learners) for lid in index.members(s)]
        for kind, ref, ok in named:
            if not ok:
                found.append(violation(0, f"session {s.id!r} names unknown {kind} {ref!r}."))
    return found
