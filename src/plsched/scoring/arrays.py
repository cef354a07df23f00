"""Struct-of-arrays views for scoring: the instance's read-only tables and a plan's sessions.

Every id becomes an index. A plan becomes per-session arrays (block, modality, subject, skill,
teacher, size) and per-membership arrays (one row per learner of a session), so each term of
the objective is a handful of gathers, ``np.bincount`` sums and sort-based distinct counts.

Skills are indexed per (subject, skill) pair, since two subjects may share a model. A session
skill that is a skill of some model but not of the session's subject's model (or a skill on a
session without a subject) breaks hard rule 7; it is kept as :data:`FOREIGN_SKILL` and scored
as it is: never mastered nor ready, hence a stretch in a same_skill session. A skill of no
model at all is an unknown id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from plsched.errors import InputError
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule, Session
from plsched.scoring._npsets import unique

__all__ = [
    "FOREIGN_SKILL",
    "NONE",
    "InstanceArrays",
    "PlanArrays",
    "memberships",
    "plan_arrays",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NONE = -1
"""Index of a null subject, skill or teacher."""

FOREIGN_SKILL = -2
"""Index of a skill that exists, but not in the model of the session's subject."""

MISSING = -9
"""Index of an id the instance does not know (never left in a finished array)."""


def _index(ids: Iterable[str]) -> dict[str, int]:
    return {value: i for i, value in enumerate(ids)}


@dataclass(frozen=True, eq=False)
class InstanceArrays:
    """The instance as index maps and read-only NumPy tables."""

    learners: dict[str, int]
    blocks: dict[str, int]
    modalities: dict[str, int]
    subjects: dict[str, int]
    teachers: dict[str, int]
    rooms: dict[str, int]
    skill_of: tuple[dict[str, int], ...]
    """Per subject index: skill id -> skill index (skills are numbered across subjects)."""
    known_skills: frozenset[str]
    learner_age: IntArray
    block_minutes: IntArray
    block_day: IntArray
    n_days: int
    mod_teacher_required: BoolArray
    mod_skill_focus: BoolArray
    mod_same_skill: BoolArray
    mod_diverse: BoolArray
    mod_target: IntArray
    prereq_ptr: IntArray
    """CSR over skills: the prerequisites of skill k are prereq_idx[ptr[k]:ptr[k+1]]."""
    prereq_idx: IntArray
    mastered: BoolArray
    """learners × skills."""
    focus: BoolArray
    """learners × skills: k is in F(l, subject of k)."""
    has_focus: BoolArray
    """learners × subjects: F(l, s) is non-empty."""
    goal_learner: IntArray
    goal_modality: IntArray
    goal_subject: IntArray
    goal_minutes: IntArray
    daily_subject_cap: int

    @classmethod
    def build(cls, instance: Instance) -> InstanceArrays:
        learners = _index(lr.id for lr in instance.learners)
        modalities = _index(m.id for m in instance.modalities)
        subjects = _index(s.id for s in instance.subjects)
        days = _index(dict.fromkeys(b.day for b in instance.blocks))
        models = {m.id: m for m in instance.competency_models}

        skill_of: list[dict[str, int]] = []
        pre_lists: list[list[int]] = []
        for subject in instance.subjects:
            skills = models[subject.model].skills
            local = {k.id: len(pre_lists) + j for j, k in enumerate(skills)}
            pre_lists += [[local[p] for p in k.prerequisites] for k in skills]
            skill_of.append(local)
        prereq_ptr = np.zeros(len(pre_lists) + 1, dtype=np.int64)
        prereq_ptr[1:] = np.cumsum([len(p) for p in pre_lists], dtype=np.int64)
        prereq_idx = np.fromiter(chain.from_iterable(pre_lists), np.int64, int(prereq_ptr[-1]))

        n_l, n_k, n_s = len(learners), len(pre_lists), len(subjects)
        mastered_at = _SkillCells(skill_of, subjects)
        focus_at = _SkillCells(skill_of, subjects)
        has_focus = np.zeros((n_l, n_s), dtype=bool)
        g_learner: list[int] = []
        g_modality: list[str] = []
        g_subject: list[int] = []
        g_minutes: list[int] = []
        for li, learner in enumerate(instance.learners):
            for subject_id, ids in learner.mastery.items():
                mastered_at.add(li, subject_id, ids)
            for goal in learner.goals:
                g_learner.append(li)
                g_modality.append(goal.modality)
                g_subject.append(NONE if goal.subject is None else subjects[goal.subject])
                g_minutes.append(goal.minutes_per_week)
                if goal.focus and goal.subject is not None:
                    focus_at.add(li, goal.subject, goal.focus)
                    has_focus[li, subjects[goal.subject]] = True

        mods = instance.modalities
        return cls(
            learners=learners,
            blocks=_index(b.id for b in instance.blocks),
            modalities=modalities,
            subjects=subjects,
            teachers=_index(t.id for t in instance.teachers),
            rooms=_index(r.id for r in instance.rooms),
            skill_of=tuple(skill_of),
            known_skills=frozenset(k.id for m in instance.competency_models for k in m.skills),
            learner_age=np.array([lr.age for lr in instance.learners], dtype=np.int64),
            block_minutes=np.array([b.minutes for b in instance.blocks], dtype=np.int64),
            block_day=np.array([days[b.day] for b in instance.blocks], dtype=np.int64),
            n_days=len(days),
            mod_teacher_required=np.array([m.teacher_required for m in mods], dtype=bool),
            mod_skill_focus=np.array([m.skill_focus for m in mods], dtype=bool),
            mod_same_skill=np.array([m.mix == "same_skill" for m in mods], dtype=bool),
            mod_diverse=np.array([m.mix == "diverse" for m in mods], dtype=bool),
            mod_target=np.array([m.target_size for m in mods], dtype=np.int64),
            prereq_ptr=prereq_ptr,
            prereq_idx=prereq_idx,
            mastered=mastered_at.matrix(n_l, n_k),
            focus=focus_at.matrix(n_l, n_k),
            has_focus=has_focus,
            goal_learner=np.array(g_learner, dtype=np.int64),
            goal_modality=np.array([modalities[m] for m in g_modality], dtype=np.int64),
            goal_subject=np.array(g_subject, dtype=np.int64),
            goal_minutes=np.array(g_minutes, dtype=np.int64),
            daily_subject_cap=instance.policy.daily_subject_cap,
        )


class _SkillCells:
    """Collects (learner, skill) cells of a learners × skills matrix, then builds it at once."""

    def __init__(self, skill_of: Sequence[Mapping[str, int]], subjects: Mapping[str, int]):
        self._skill_of = skill_of
        self._subjects = subjects
        self._learners: list[int] = []
        self._counts: list[int] = []
        self._cols: list[Iterable[int]] = []

    def add(self, learner: int, subject: str, skills: Sequence[str]) -> None:
        self._learners.append(learner)
        self._counts.append(len(skills))
        self._cols.append(map(self._skill_of[self._subjects[subject]].__getitem__, skills))

    def matrix(self, n_learners: int, n_skills: int) -> BoolArray:
        counts = np.array(self._counts, dtype=np.int64)
        rows = np.repeat(np.array(self._learners, dtype=np.int64), counts)
        cols = np.fromiter(chain.from_iterable(self._cols), np.int64, rows.size)
        out = np.zeros((n_learners, n_skills), dtype=bool)
        out[rows, cols] = True
        return out


@dataclass(frozen=True, eq=False)
class PlanArrays:
    """A plan's sessions (s_*) and memberships (m_*, one row per distinct learner of a session)."""

    s_block: IntArray
    s_modality: IntArray
    s_subject: IntArray
    s_skill: IntArray
    s_teacher: IntArray
    s_size: IntArray
    m_session: IntArray
    m_learner: IntArray

    @property
    def n_sessions(self) -> int:
        return int(self.s_block.size)


def _ids(table: Mapping[Any, int], values: Sequence[str | None]) -> IntArray:
    """Indices of values, MISSING for an id the table does not hold."""
    return np.fromiter(map(table.get, values, repeat(MISSING)), np.int64, len(values))


def _check(found: IntArray, sessions: Sequence[Session], kind: str, field: str) -> None:
    bad = np.flatnonzero(found == MISSING)
    if bad.size:
        s = sessions[int(bad[0])]
        raise InputError(f"plan session {s.id!r}: unknown {kind} {getattr(s, field)!r}.")


def memberships(
    inst: InstanceArrays, sessions: Sequence[Session], *, strict: bool
) -> tuple[IntArray, IntArray]:
    """(session, learner) index rows, each distinct learner of a session once.

    Unknown learners raise :class:`InputError` when ``strict``, else their rows are dropped.
    """
    counts = np.fromiter((len(s.learners) for s in sessions), np.int64, len(sessions))
    flat = list(chain.from_iterable(s.learners for s in sessions))
    m_learner = _ids(inst.learners, flat)
    m_session = np.repeat(np.arange(len(sessions), dtype=np.int64), counts)
    missing = m_learner == MISSING
    if missing.any():
        if strict:
            i = int(np.flatnonzero(missing)[0])
            raise InputError(
                f"plan session {sessions[int(m_session[i])].id!r}: unknown learner {flat[i]!r}."
            )
        m_learner, m_session = m_learner[~missing], m_session[~missing]
    n_l = max(len(inst.learners), 1)
    codes = unique(m_session * n_l + m_learner)
    return codes // n_l, codes % n_l


def plan_arrays(inst: InstanceArrays, plan: Schedule) -> PlanArrays:
    """Index a plan; an id the instance does not know raises :class:`InputError`."""
    sessions = plan.sessions
    s_block = _ids(inst.blocks, [s.block for s in sessions])
    _check(s_block, sessions, "block", "block")
    s_modality = _ids(inst.modalities, [s.modality for s in sessions])
    _check(s_modality, sessions, "modality", "modality")
    _check(_ids(inst.rooms, [s.room for s in sessions]), sessions, "room", "room")
    s_subject = _ids({**inst.subjects, None: NONE}, [s.subject for s in sessions])
    _check(s_subject, sessions, "subject", "subject")
    s_teacher = _ids({**inst.teachers, None: NONE}, [s.teacher for s in sessions])
    _check(s_teacher, sessions, "teacher", "teacher")
    s_skill = np.fromiter(
        (_skill(inst, int(si), s) for si, s in zip(s_subject, sessions, strict=True)),
        np.int64,
        len(sessions),
    )
    m_session, m_learner = memberships(inst, sessions, strict=True)
    return PlanArrays(
        s_block=s_block,
        s_modality=s_modality,
        s_subject=s_subject,
        s_skill=s_skill,
        s_teacher=s_teacher,
        s_size=np.bincount(m_session, minlength=len(sessions)).astype(np.int64),
        m_session=m_session,
        m_learner=m_learner,
    )


def _skill(inst: InstanceArrays, subject: int, s: Session) -> int:
    if s.skill is None:
        return NONE
    k = inst.skill_of[subject].get(s.skill) if subject != NONE else None
    if k is not None:
        return k
    if s.skill not in inst.known_skills:
        raise InputError(f"plan session {s.id!r}: unknown skill {s.skill!r}.")
    return FOREIGN_SKILL
