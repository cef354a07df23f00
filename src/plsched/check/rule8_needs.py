"""Rule 8: in a teacher-led session the size is at most every member's ``max_group_size``, the
teacher carries every tag of the members' ``needs.teacher`` and the room every feature of
their ``needs.room``."""

from __future__ import annotations

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation

__all__ = ["violations"]


def _names(values: set[str]) -> str:
    return ", ".join(repr(v) for v in sorted(values))


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    for s in index.sessions:
        if s.teacher is None:
            continue
        teacher = index.teachers.get(s.teacher)
        room = index.rooms.get(s.room)
        size = index.size(s)
        for lid in index.members(s):
            learner = index.learners.get(lid)
            if learner is None:
                continue
            cap = learner.max_group_size
            if cap is not None and size > cap:
                found.append(
                    violation(
                        8,
                        f"learner {lid!r} works in groups of at most {cap} but session {s.id!r} "
                        f"has {size} learners.",
                    )
                )
            if teacher is not None:
                missing = set(learner.needs.teacher) - set(teacher.tags)
                if missing:
                    found.append(
                        violation(
                            8,
                            f"learner {lid!r} needs a teacher tagged {_names(missing)} but "
                            f"teacher {teacher.id!r} of session {s.id!r} is not.",
                        )
                    )
            if room is not None:
                missing = set(learner.needs.room) - set(room.features)
                if missing:
                    found.append(
                        violation(
                            8,
                            f"learner {lid!r} needs a room with {_names(missing)} but room "
                            f"{room.id!r} of session {s.id!r} lacks it.",
                        )
                    )
    return found
