"""One function per term of the objective (docs/objective.md), each a raw non-negative integer.

Every function takes the instance's arrays and a plan's arrays and is vectorised: per-session
and per-membership gathers, then ``np.bincount`` / ``np.add.at`` sums and sort-based distinct
counts. The ``stability`` term, which also needs a previous plan, lives in
:mod:`plsched.scoring.stability`.
"""

from __future__ import annotations

import numpy as np

from plsched.scoring._npsets import unique, unique_counts
from plsched.scoring.arrays import NONE, BoolArray, InstanceArrays, IntArray, PlanArrays

__all__ = [
    "age_mix",
    "continuity",
    "goal_shortfall",
    "goal_shortfall_per_goal",
    "group_size",
    "load_balance",
    "off_focus",
    "review",
    "stretch",
    "variety",
]


def _excess(counts: IntArray, cap: IntArray | int) -> int:
    """Σ max(0, count − cap)."""
    return int(np.maximum(counts - cap, 0).sum())


def _member_minutes(inst: InstanceArrays, plan: PlanArrays) -> IntArray:
    return inst.block_minutes[plan.s_block[plan.m_session]]


def goal_shortfall_per_goal(inst: InstanceArrays, plan: PlanArrays) -> IntArray:
    """max(0, minutes_per_week − delivered) per goal, in the instance's goal order.

    delivered(l, g) sums the block minutes of the sessions holding l whose modality and subject
    are the goal's (a null subject matching only null-subject sessions).
    """
    n_mod = len(inst.modalities)
    n_sub = len(inst.subjects) + 1  # subject index + 1, so null (-1) is 0

    def key(learner: IntArray, modality: IntArray, subject: IntArray) -> IntArray:
        return (learner * n_mod + modality) * n_sub + (subject + 1)

    if inst.goal_minutes.size == 0:
        return inst.goal_minutes.copy()
    goal_keys = key(inst.goal_learner, inst.goal_modality, inst.goal_subject)
    order = np.argsort(goal_keys, kind="stable")
    sorted_keys = goal_keys[order]
    m_keys = key(plan.m_learner, plan.s_modality[plan.m_session], plan.s_subject[plan.m_session])
    pos = np.minimum(np.searchsorted(sorted_keys, m_keys), sorted_keys.size - 1)
    hit = sorted_keys[pos] == m_keys
    delivered_sorted = np.zeros(sorted_keys.size, dtype=np.int64)
    np.add.at(delivered_sorted, pos[hit], _member_minutes(inst, plan)[hit])
    delivered = np.empty_like(delivered_sorted)
    delivered[order] = delivered_sorted
    return np.maximum(inst.goal_minutes - delivered, 0)


def goal_shortfall(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Goal minutes not delivered, summed over every learner's goals."""
    return int(goal_shortfall_per_goal(inst, plan).sum())


def off_focus(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Teacher-led skill-focus minutes on a skill outside the learner's non-empty focus."""
    mod = plan.s_modality[plan.m_session]
    subject = plan.s_subject[plan.m_session]
    skill = plan.s_skill[plan.m_session]
    learner = plan.m_learner
    rows = inst.mod_teacher_required[mod] & inst.mod_skill_focus[mod] & (subject != NONE)
    rows[rows] = inst.has_focus[learner[rows], subject[rows]]
    on_focus = np.zeros_like(rows)
    known = rows & (skill >= 0)
    on_focus[known] = inst.focus[learner[known], skill[known]]
    return int(_member_minutes(inst, plan)[rows & ~on_focus].sum())


def group_size(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Σ over sessions of |size − target_size|."""
    return int(np.abs(plan.s_size - inst.mod_target[plan.s_modality]).sum())


def continuity(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Distinct teachers beyond the first, per learner and subject (teacher-led sessions)."""
    teacher = plan.s_teacher[plan.m_session]
    subject = plan.s_subject[plan.m_session]
    rows = (teacher != NONE) & (subject != NONE)
    pair = plan.m_learner[rows] * len(inst.subjects) + subject[rows]
    triple = pair * len(inst.teachers) + teacher[rows]
    return int(unique(triple).size - unique(pair).size)


def variety(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Sessions of one subject in one day beyond ``policy.daily_subject_cap``, per learner."""
    subject = plan.s_subject[plan.m_session]
    rows = subject != NONE
    day = inst.block_day[plan.s_block[plan.m_session[rows]]]
    code = (plan.m_learner[rows] * inst.n_days + day) * len(inst.subjects) + subject[rows]
    _, counts = unique_counts(code)
    return _excess(counts, inst.daily_subject_cap)


_AGES = 26  # learner ages lie in 2..25 (schema)


def age_mix(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Learners of one age in a ``diverse`` session beyond ceil(target_size / 2)."""
    rows = inst.mod_diverse[plan.s_modality[plan.m_session]]
    session = plan.m_session[rows]
    code = session * _AGES + inst.learner_age[plan.m_learner[rows]]
    codes, counts = unique_counts(code)
    half = (inst.mod_target[plan.s_modality[codes // _AGES]] + 1) // 2
    return _excess(counts, half)


def load_balance(inst: InstanceArrays, plan: PlanArrays, fair: IntArray) -> int:
    """Sessions led beyond each teacher's fair load."""
    teacher = plan.s_teacher[plan.s_teacher != NONE]
    led = np.bincount(teacher, minlength=len(inst.teachers))
    return _excess(led, fair)


def _skill_rows(inst: InstanceArrays, plan: PlanArrays) -> tuple[BoolArray, BoolArray]:
    """Membership rows of same_skill sessions with a skill, and which of them are mastered."""
    rows = inst.mod_same_skill[plan.s_modality[plan.m_session]]
    skill = plan.s_skill[plan.m_session]
    rows &= skill != NONE
    mastered = np.zeros_like(rows)
    known = rows & (skill >= 0)
    mastered[known] = inst.mastered[plan.m_learner[known], skill[known]]
    return rows, mastered


def _ready(inst: InstanceArrays, learner: IntArray, skill: IntArray) -> BoolArray:
    """Whether each (learner, skill) pair is ready: not mastered, every prerequisite mastered."""
    start = inst.prereq_ptr[skill]
    count = inst.prereq_ptr[skill + 1] - start
    row = np.repeat(np.arange(skill.size), count)
    offset = np.arange(row.size) - np.repeat(np.cumsum(count) - count, count)
    pre = inst.prereq_idx[np.repeat(start, count) + offset]
    missing = np.bincount(row[~inst.mastered[learner[row], pre]], minlength=skill.size)
    return ~inst.mastered[learner, skill] & (missing == 0)


def review(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Learners of same_skill sessions on a skill they have mastered."""
    _, mastered = _skill_rows(inst, plan)
    return int(mastered.sum())


def stretch(inst: InstanceArrays, plan: PlanArrays) -> int:
    """Learners of same_skill sessions on a skill neither mastered nor ready."""
    rows, mastered = _skill_rows(inst, plan)
    skill = plan.s_skill[plan.m_session]
    known = rows & (skill >= 0)
    ready = np.zeros_like(rows)
    ready[known] = _ready(inst, plan.m_learner[known], skill[known])
    return int((rows & ~mastered & ~ready).sum())
