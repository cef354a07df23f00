"""Struct-of-arrays views for scoring: the instance's read-only tables and a plan's sessions.

Every id becomes an index. A plan becomes per-session arrays (block, modality, subject, skill,
teacher, size) and per-membership arrays (one row per learner of a session), so each term of
the objective is a handful of gathers and ``np.bincount`` / ``np.unique`` sums.

Skills are indexed per (subject, skill) pair, since two subjects may share a model. A session
skill that is a skill of some model but not of the session's subject's model (or a skill on a
session without a subject) breaks hard rule 7; it is kept as :data:`FOREIGN_SKILL` and scored
as it is (never mastered, never ready). A skill of no model at all is an unknown id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plsched.errors import InputError
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule

__all__ = ["FOREIGN_SKILL", "NONE", "InstanceArrays", "PlanArrays", "plan_arrays"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NONE = -1
"""Index of a null subject, skill or teacher."""

FOREIGN_SKILL = -2
"""Index of a skill that exists, but not in the model of the session's subject."""


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
    skills: dict[tuple[int, str], int]
    """(subject index, skill id) -> skill index."""
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
        blocks = _index(b.id for b in instance.blocks)
        modalities = _index(m.id for m in instance.modalities)
        subjects = _index(s.id for s in instance.subjects)
        days = _index(dict.fromkeys(b.day for b in instance.blocks))
        models = {m.id: m for m in instance.competency_models}

        skills: dict[tuple[int, str], int] = {}
        prereqs: list[list[str]] = []
        for si, subject in enumerate(instance.subjects):
            for skill in models[subject.model].skills:
                skills[(si, skill.id)] = len(prereqs)
                prereqs.append(list(skill.prerequisites))
        pre_lists = [
            [skills[(si, p)] for p in pres] for (si, _), pres in zip(skills, prereqs, strict=True)
        ]
        prereq_ptr = np.zeros(len(pre_lists) + 1, dtype=np.int64)
        prereq_ptr[1:] = np.cumsum([len(p) for p in pre_lists], dtype=np.int64)
        prereq_idx = np.fromiter(
            (k for p in pre_lists for k in p), dtype=np.int64, count=int(prereq_ptr[-1])
        )

        n_l, n_k, n_s = len(learners), len(skills), len(subjects)
        mastered = np.zeros((n_l, n_k), dtype=bool)
        focus = np.zeros((n_l, n_k), dtype=bool)
        has_focus = np.zeros((n_l, n_s), dtype=bool)
        g_learner: list[int] = []
        g_modality: list[int] = []
        g_subject: list[int] = []
        g_minutes: list[int] = []
        for li, learner in enumerate(instance.learners):
            for subject_id, ids in learner.mastery.items():
                si = subjects[subject_id]
                mastered[li, [skills[(si, k)] for k in ids]] = True
            for goal in learner.goals:
                si = NONE if goal.subject is None else subjects[goal.subject]
                g_learner.append(li)
                g_modality.append(modalities[goal.modality])
                g_subject.append(si)
                g_minutes.append(goal.minutes_per_week)
                if goal.focus and si != NONE:
                    focus[li, [skills[(si, k)] for k in goal.focus]] = True
                    has_focus[li, si] = True

        mods = instance.modalities
        return cls(
            learners=learners,
            blocks=blocks,
            modalities=modalities,
            subjects=subjects,
            teachers=_index(t.id for t in instance.teachers),
            rooms=_index(r.id for r in instance.rooms),
            skills=skills,
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
            mastered=mastered,
            focus=focus,
            has_focus=has_focus,
            goal_learner=np.array(g_learner, dtype=np.int64),
            goal_modality=np.array(g_modality, dtype=np.int64),
            goal_subject=np.array(g_subject, dtype=np.int64),
            goal_minutes=np.array(g_minutes, dtype=np.int64),
            daily_subject_cap=instance.policy.daily_subject_cap,
        )


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


def _lookup(table: dict[str, int], value: str, kind: str, session_id: str) -> int:
    try:
        return table[value]
    except KeyError:
        raise InputError(f"plan session {session_id!r}: unknown {kind} {value!r}.") from None


def plan_arrays(inst: InstanceArrays, plan: Schedule) -> PlanArrays:
    """Index a plan; an id the instance does not know raises :class:`InputError`."""
    n = len(plan.sessions)
    s_block = np.empty(n, dtype=np.int64)
    s_modality = np.empty(n, dtype=np.int64)
    s_subject = np.empty(n, dtype=np.int64)
    s_skill = np.empty(n, dtype=np.int64)
    s_teacher = np.empty(n, dtype=np.int64)
    s_size = np.empty(n, dtype=np.int64)
    members: list[str] = []
    for i, s in enumerate(plan.sessions):
        s_block[i] = _lookup(inst.blocks, s.block, "block", s.id)
        s_modality[i] = _lookup(inst.modalities, s.modality, "modality", s.id)
        _lookup(inst.rooms, s.room, "room", s.id)
        si = NONE if s.subject is None else _lookup(inst.subjects, s.subject, "subject", s.id)
        s_subject[i] = si
        s_teacher[i] = (
            NONE if s.teacher is None else _lookup(inst.teachers, s.teacher, "teacher", s.id)
        )
        if s.skill is None:
            s_skill[i] = NONE
        else:
            k = inst.skills.get((si, s.skill))
            if k is None:
                if s.skill not in inst.known_skills:
                    raise InputError(f"plan session {s.id!r}: unknown skill {s.skill!r}.")
                k = FOREIGN_SKILL
            s_skill[i] = k
        distinct = dict.fromkeys(s.learners)
        s_size[i] = len(distinct)
        members += distinct
    try:
        m_learner = np.fromiter(
            (inst.learners[lid] for lid in members), dtype=np.int64, count=len(members)
        )
    except KeyError:
        bad = next(lid for lid in members if lid not in inst.learners)
        where = next(s.id for s in plan.sessions if bad in s.learners)
        raise InputError(f"plan session {where!r}: unknown learner {bad!r}.") from None
    m_session = np.repeat(np.arange(n, dtype=np.int64), s_size)
    return PlanArrays(
        s_block=s_block,
        s_modality=s_modality,
        s_subject=s_subject,
        s_skill=s_skill,
        s_teacher=s_teacher,
        s_size=s_size,
        m_session=m_session,
        m_learner=m_learner,
    )
