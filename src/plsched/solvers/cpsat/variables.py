"""Variables of the CP-SAT model: candidate teacher-led sessions and teacherless pools.

Only variables that can be 1 are created: a learner gets a membership variable for a
candidate only when the hard rules allow it there (readiness, teacher tags, availability).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model


@dataclass
class Candidate:
    """A teacher-led session that may meet: block, teacher, modality, subject, skill."""

    block: int
    teacher: int
    modality: int
    subject: int
    skill: int
    learners: list[int]
    rooms: list[int]
    active: cp_model.IntVar | None = None
    x: dict[int, cp_model.IntVar] = field(default_factory=dict)
    z: dict[int, cp_model.IntVar] = field(default_factory=dict)
    w: dict[int, cp_model.IntVar] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.modality, self.subject, self.skill, self.teacher)


@dataclass
class Pool:
    """Teacherless sessions of one modality and subject in one room and block."""

    block: int
    modality: int
    subject: int
    room: int
    fixed: list[int]
    learners: list[int]
    count: cp_model.IntVar | None = None
    x: dict[int, cp_model.IntVar] = field(default_factory=dict)
    several: cp_model.IntVar | None = None  # count >= 2, lets avoid pairs share the pool

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.modality, self.subject, -1, -1)
