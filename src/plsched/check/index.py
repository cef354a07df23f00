"""Look-ups of the instance by id, shared by every rule; nothing here judges the plan.

Every look-up returns ``None`` (or an empty value) for an id the instance lacks, so that a
rule can skip what it cannot judge; :mod:`plsched.check.references` reports those ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from plsched.schema.instance import (
    Block,
    Instance,
    Learner,
    Modality,
    Room,
    Skill,
    Subject,
    Teacher,
)
from plsched.schema.schedule import Schedule, Session

__all__ = ["PlanIndex", "Readiness"]


class Readiness(Enum):
    """Where a skill lies for one learner in the prerequisite DAG."""

    READY = "ready"  # not mastered, every prerequisite mastered
    MASTERED = "mastered"
    STRETCH = "stretch"  # not ready, every prerequisite mastered or ready
    BEYOND = "beyond"  # further away than a stretch


T = TypeVar("T", Block, Learner, Modality, Room, Subject, Teacher)


def _by_id(items: Iterable[T]) -> dict[str, T]:
    return {item.id: item for item in items}


@dataclass(frozen=True)
class PlanIndex:
    """An instance and a plan, indexed by id."""

    instance: Instance
    plan: Schedule
    blocks: dict[str, Block]
    learners: dict[str, Learner]
    teachers: dict[str, Teacher]
    rooms: dict[str, Room]
    modalities: dict[str, Modality]
    subjects: dict[str, Subject]
    skills_of: dict[str, dict[str, Skill]]
    known_skills: frozenset[str]

    @classmethod
    def build(cls, instance: Instance, plan: Schedule) -> PlanIndex:
        models = {m.id: m for m in instance.competency_models}
        skills_of: dict[str, dict[str, Skill]] = {}
        for subject in instance.subjects:
            model = models.get(subject.model)
            skills_of[subject.id] = {} if model is None else {k.id: k for k in model.skills}
        known = frozenset(k.id for m in instance.competency_models for k in m.skills)
        return cls(
            instance=instance,
            plan=plan,
            blocks=_by_id(instance.blocks),
            learners=_by_id(instance.learners),
            teachers=_by_id(instance.teachers),
            rooms=_by_id(instance.rooms),
            modalities=_by_id(instance.modalities),
            subjects=_by_id(instance.subjects),
            skills_of=skills_of,
            known_skills=known,
        )

    @property
    def sessions(self) -> tuple[Session, ...]:
        return self.plan.sessions

    @staticmethod
    def members(session: Session) -> tuple[str, ...]:
        """The distinct learner ids of a session, in plan order."""
        return tuple(dict.fromkeys(session.learners))

    def size(self, session: Session) -> int:
        """Number of distinct learners in a session."""
        return len(self.members(session))

    def skill(self, session: Session) -> Skill | None:
        """The session's skill when it is a skill of the session subject's model."""
        if session.subject is None or session.skill is None:
            return None
        return self.skills_of.get(session.subject, {}).get(session.skill)

    def sessions_by_block(self) -> dict[str, list[Session]]:
        """Sessions of known blocks, grouped by block id."""
        grouped: dict[str, list[Session]] = defaultdict(list)
        for s in self.sessions:
            if s.block in self.blocks:
                grouped[s.block].append(s)
        return grouped

    def mastered(self, learner: Learner, subject: str) -> frozenset[str]:
        return frozenset(learner.mastery.get(subject, ()))

    def readiness(self, learner: Learner, subject: str, skill: Skill) -> Readiness:
        """Whether ``learner`` is ready for ``skill`` of ``subject`` (see :class:`Readiness`)."""
        done = self.mastered(learner, subject)
        if skill.id in done:
            return Readiness.MASTERED
        if all(p in done for p in skill.prerequisites):
            return Readiness.READY
        skills = self.skills_of.get(subject, {})
        for p in skill.prerequisites:
            if p in done:
                continue
            pre = skills.get(p)
            if pre is None or not all(q in done for q in pre.prerequisites):
                return Readiness.BEYOND
        return Readiness.STRETCH

    def focus(self, learner: Learner, subject: str) -> frozenset[str]:
        """The union of the learner's focus skills over their goals in ``subject``."""
        return frozenset(k for g in learner.goals if g.subject == subject for k in g.focus)
