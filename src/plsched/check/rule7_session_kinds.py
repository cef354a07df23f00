"""Rule 7: a teacher-required modality has a teacher and others have none; a skill-focus
session names a subject and a skill of that subject's model, others name no skill."""

from __future__ import annotations

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation

__all__ = ["violations"]


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    for s in index.sessions:
        m = index.modalities.get(s.modality)
        if m is None:
            continue
        if m.teacher_required and s.teacher is None:
            found.append(
                violation(7, f"session {s.id!r} of modality {m.id!r} needs a teacher and has none.")
            )
        elif not m.teacher_required and s.teacher is not None:
            found.append(
                violation(
                    7,
                    f"session {s.id!r} of modality {m.id!r} is not teacher-led but names teacher "
                    f"{s.teacher!r}.",
                )
            )
        if not m.skill_focus:
            if s.skill is not None:
                found.append(
                    violation(
                        7,
                        f"session {s.id!r} of modality {m.id!r} has no skill focus but names "
                        f"skill {s.skill!r}.",
                    )
                )
            continue
        if s.subject is None:
            found.append(
                violation(7, f"session {s.id!r} of modality {m.id!r} needs a subject and has none.")
            )
        if s.skill is None:
            found.append(
                violation(7, f"session {s.id!r} of modality {m.id!r} needs a skill and has none.")
            )
        elif (
            s.subject in index.subjects and s.skill in index.known_skills and index.skill(s) is None
        ):
            found.append(
                violation(
                    7,
                    f"session {s.id!r} names skill {s.skill!r}, which is not a skill of subject "
                    f"{s.subject!r}.",
                )
            )
    return found
