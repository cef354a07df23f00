"""The compiled problem: index maps and read-only NumPy arrays shared by solvers and scoring.

Built once from a validated :class:`~plsched.schema.Instance`; nothing here is mutated later
(every array has ``writeable = False``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from plsched.errors import InputError
from plsched.schema.instance import Instance
from plsched.scoring.fair import fair_loads

__all__ = ["CompiledProblem", "compile_problem"]

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

MIX_SAME_SKILL, MIX_DIVERSE, MIX_ANY = 0, 1, 2
_MIX = {"same_skill": MIX_SAME_SKILL, "diverse": MIX_DIVERSE, "any": MIX_ANY}


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class CompiledProblem:
    """Index-based view of an instance. Learners l, blocks b, teachers t, rooms r, skills k."""

    instance: Instance
    # blocks
    block_ids: tuple[str, ...]
    block_index: dict[str, int]
    block_day: IntArray  # (B,) day index
    day_ids: tuple[str, ...]
    block_minutes: IntArray  # (B,)
    # subjects and skills (skills of all subjects in one index space)
    subject_ids: tuple[str, ...]
    subject_index: dict[str, int]
    subject_features: IntArray  # (S,) feature bitmask the room needs
    skill_ids: tuple[str, ...]  # global skill ids are unique per subject: "subject/skill"
    skill_index: dict[tuple[int, str], int]  # (subject, skill id) -> k
    skill_subject: IntArray  # (K,)
    skill_level: NDArray[np.float64]  # (K,)
    skill_prereqs: tuple[tuple[int, ...], ...]  # k -> prerequisite skills k'
    # modalities
    modality_ids: tuple[str, ...]
    modality_index: dict[str, int]
    mod_teacher: BoolArray
    mod_min: IntArray
    mod_max: IntArray
    mod_target: IntArray
    mod_skill: BoolArray
    mod_mix: IntArray
    mod_features: IntArray
    # rooms
    room_ids: tuple[str, ...]
    room_index: dict[str, int]
    room_capacity: IntArray
    room_zones: IntArray
    room_features: IntArray
    room_available: BoolArray  # (R, B)
    # teachers
    teacher_ids: tuple[str, ...]
    teacher_index: dict[str, int]
    teacher_available: BoolArray  # (T, B)
    teacher_modalities: BoolArray  # (T, M)
    teacher_can_skill: BoolArray  # (T, K) level within a qualification of its subject
    teacher_subject: BoolArray  # (T, S) any qualification in the subject
    teacher_tags: IntArray  # (T,) bitmask
    teacher_max_day: IntArray
    teacher_max_week: IntArray
    teacher_fair: IntArray  # (T,) fair load (see docs/objective.md)
    # learners
    learner_ids: tuple[str, ...]
    learner_index: dict[str, int]
    learner_available: BoolArray  # (L, B)
    learner_age: IntArray
    learner_band: IntArray
    band_ids: tuple[str, ...]
    learner_max_group: IntArray  # (L,) large when unlimited
    learner_need_tags: IntArray  # (L,) bitmask
    learner_need_features: IntArray  # (L,) bitmask
    mastered: BoolArray  # (L, K)
    ready: BoolArray  # (L, K)
    stretch: BoolArray  # (L, K)
    focus: BoolArray  # (L, K) union of goal focus lists
    has_focus: BoolArray  # (L, S) some focus skill in the subject
    avoid_pairs: IntArray  # (P, 2) with first < second
    # goals (flat)
    goal_learner: IntArray
    goal_subject: IntArray  # -1 for null
    goal_modality: IntArray
    goal_minutes: IntArray
    feature_ids: tuple[str, ...]
    tag_ids: tuple[str, ...]

    @property
    def n_blocks(self) -> int:
        return len(self.block_ids)

    @property
    def n_learners(self) -> int:
        return len(self.learner_ids)

    @property
    def n_teachers(self) -> int:
        return len(self.teacher_ids)

    @property
    def n_rooms(self) -> int:
        return len(self.room_ids)

    @property
    def n_skills(self) -> int:
        return len(self.skill_ids)

    def session_features(self, m: int, s: int) -> int:
        """Room features a session of modality m and subject s (-1: none) needs."""
        return int(self.mod_features[m]) | (int(self.subject_features[s]) if s >= 0 else 0)

    def allowed_skills(self, *, review: bool = True, stretch: bool = True) -> BoolArray:
        """(L, K): skills a learner may attend in a same_skill session under the policy;
        ``review`` / ``stretch`` False leave out the mastered / stretch skills it allows."""
        policy = self.instance.policy
        allowed = self.ready.copy()
        if review and policy.allow_review:
            allowed |= self.mastered
        if stretch and policy.allow_stretch:
            allowed |= self.stretch
        return allowed


class _Bits:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.ids: dict[str, int] = {}

    def mask(self, names: tuple[str, ...] | list[str]) -> int:
        m = 0
        for name in names:
            if name not in self.ids:
                if len(self.ids) >= 62:
                    raise InputError(f"more than 62 distinct {self.kind}s are not supported.")
                self.ids[name] = len(self.ids)
            m |= 1 << self.ids[name]
        return m


def compile_problem(inst: Instance) -> CompiledProblem:
    """Compile a validated instance into index maps and arrays."""
    features = _Bits("room feature")
    tags = _Bits("teacher tag")

    block_ids = tuple(b.id for b in inst.blocks)
    block_index = {b: i for i, b in enumerate(block_ids)}
    day_ids = tuple(dict.fromkeys(b.day for b in inst.blocks))
    day_index = {d: i for i, d in enumerate(day_ids)}
    block_day = np.array([day_index[b.day] for b in inst.blocks], dtype=np.int64)
    block_minutes = np.array([b.minutes for b in inst.blocks], dtype=np.int64)
    n_blocks = len(block_ids)

    models = {m.id: m for m in inst.competency_models}
    subject_ids = tuple(s.id for s in inst.subjects)
    subject_index = {s: i for i, s in enumerate(subject_ids)}
    subject_features = np.array([features.mask(s.room_features) for s in inst.subjects])
    skill_ids: list[str] = []
    skill_index: dict[tuple[int, str], int] = {}
    skill_subject: list[int] = []
    skill_level: list[float] = []
    for si, subj in enumerate(inst.subjects):
        for skill in models[subj.model].skills:
            skill_index[(si, skill.id)] = len(skill_ids)
            skill_ids.append(f"{subj.id}/{skill.id}")
            skill_subject.append(si)
            skill_level.append(skill.level)
    prereqs: list[tuple[int, ...]] = []
    for si, subj in enumerate(inst.subjects):
        for skill in models[subj.model].skills:
            prereqs.append(tuple(skill_index[(si, p)] for p in skill.prerequisites))
    n_skills = len(skill_ids)

    modality_ids = tuple(m.id for m in inst.modalities)
    modality_index = {m: i for i, m in enumerate(modality_ids)}
    mods = inst.modalities

    room_ids = tuple(r.id for r in inst.rooms)
    room_available = np.ones((len(room_ids), n_blocks), dtype=bool)
    for r, room in enumerate(inst.rooms):
        for b in room.unavailable:
            room_available[r, block_index[b]] = False

    n_t = len(inst.teachers)
    teacher_available = np.ones((n_t, n_blocks), dtype=bool)
    teacher_modalities = np.zeros((n_t, len(mods)), dtype=bool)
    teacher_can_skill = np.zeros((n_t, n_skills), dtype=bool)
    teacher_subject = np.zeros((n_t, len(subject_ids)), dtype=bool)
    level = np.array(skill_level, dtype=np.float64)
    subj_of = np.array(skill_subject, dtype=np.int64)
    for t, teacher in enumerate(inst.teachers):
        for b in teacher.unavailable:
            teacher_available[t, block_index[b]] = False
        for m in teacher.modalities:
            teacher_modalities[t, modality_index[m]] = True
        for q in teacher.qualifications:
            si = subject_index[q.subject]
            teacher_subject[t, si] = True
            teacher_can_skill[t] |= (
                (subj_of == si) & (level >= q.min_level) & (level <= q.max_level)
            )

    fair = fair_loads(inst)  # the scoring layer's definition, shared (docs/objective.md)

    n_l = len(inst.learners)
    learner_index = {learner.id: i for i, learner in enumerate(inst.learners)}
    learner_available = np.ones((n_l, n_blocks), dtype=bool)
    mastered = np.zeros((n_l, n_skills), dtype=bool)
    focus = np.zeros((n_l, n_skills), dtype=bool)
    band_ids = tuple(dict.fromkeys(learner.band for learner in inst.learners))
    band_index = {b: i for i, b in enumerate(band_ids)}
    goal_rows: list[tuple[int, int, int, int]] = []
    pairs: set[tuple[int, int]] = set()
    for i, learner in enumerate(inst.learners):
        for b in learner.unavailable:
            learner_available[i, block_index[b]] = False
        for subject, skills in learner.mastery.items():
            si = subject_index[subject]
            for s in skills:
                mastered[i, skill_index[(si, s)]] = True
        for g in learner.goals:
            si = -1 if g.subject is None else subject_index[g.subject]
            goal_rows.append((i, si, modality_index[g.modality], g.minutes_per_week))
            for s in g.focus:
                focus[i, skill_index[(si, s)]] = True
        for other in learner.avoid:
            j = learner_index[other]
            pairs.add((min(i, j), max(i, j)))

    # ready: not mastered and every prerequisite mastered; stretch: one step further.
    pre = np.zeros((n_skills, n_skills), dtype=np.float32)
    for k, ps in enumerate(prereqs):
        for p in ps:
            pre[p, k] = 1.0
    n_pre = pre.sum(axis=0)
    m32 = mastered.astype(np.float32)
    ready = ~mastered & (m32 @ pre >= n_pre)
    known = (mastered | ready).astype(np.float32)
    stretch = ~mastered & ~ready & (known @ pre >= n_pre)

    has_focus = np.zeros((n_l, len(subject_ids)), dtype=bool)
    if n_skills:
        for si in range(len(subject_ids)):
            has_focus[:, si] = focus[:, subj_of == si].any(axis=1)

    goals = np.array(goal_rows, dtype=np.int64).reshape(-1, 4)
    big = 1 << 20
    return CompiledProblem(
        instance=inst,
        block_ids=block_ids,
        block_index=block_index,
        block_day=_frozen(block_day),
        day_ids=day_ids,
        block_minutes=_frozen(block_minutes),
        subject_ids=subject_ids,
        subject_index=subject_index,
        subject_features=_frozen(np.asarray(subject_features, dtype=np.int64)),
        skill_ids=tuple(skill_ids),
        skill_index=skill_index,
        skill_subject=_frozen(subj_of),
        skill_level=_frozen(level),
        skill_prereqs=tuple(prereqs),
        modality_ids=modality_ids,
        modality_index=modality_index,
        mod_teacher=_frozen(np.array([m.teacher_required for m in mods], dtype=bool)),
        mod_min=_frozen(np.array([m.min_size for m in mods], dtype=np.int64)),
        mod_max=_frozen(np.array([m.max_size for m in mods], dtype=np.int64)),
        mod_target=_frozen(np.array([m.target_size for m in mods], dtype=np.int64)),
        mod_skill=_frozen(np.array([m.skill_focus for m in mods], dtype=bool)),
        mod_mix=_frozen(np.array([_MIX[m.mix] for m in mods], dtype=np.int64)),
        mod_features=_frozen(np.array([features.mask(m.room_features) for m in mods])),
        room_ids=room_ids,
        room_index={r: i for i, r in enumerate(room_ids)},
        room_capacity=_frozen(np.array([r.capacity for r in inst.rooms], dtype=np.int64)),
        room_zones=_frozen(np.array([r.zones for r in inst.rooms], dtype=np.int64)),
        room_features=_frozen(np.array([features.mask(r.features) for r in inst.rooms])),
        room_available=_frozen(room_available),
        teacher_ids=tuple(t.id for t in inst.teachers),
        teacher_index={t.id: i for i, t in enumerate(inst.teachers)},
        teacher_available=_frozen(teacher_available),
        teacher_modalities=_frozen(teacher_modalities),
        teacher_can_skill=_frozen(teacher_can_skill),
        teacher_subject=_frozen(teacher_subject),
        teacher_tags=_frozen(np.array([tags.mask(t.tags) for t in inst.teachers], np.int64)),
        teacher_max_day=_frozen(np.array([t.max_sessions_per_day for t in inst.teachers])),
        teacher_max_week=_frozen(np.array([t.max_sessions_per_week for t in inst.teachers])),
        teacher_fair=_frozen(np.array([fair[t.id] for t in inst.teachers], dtype=np.int64)),
        learner_ids=tuple(learner.id for learner in inst.learners),
        learner_index=learner_index,
        learner_available=_frozen(learner_available),
        learner_age=_frozen(np.array([x.age for x in inst.learners], dtype=np.int64)),
        learner_band=_frozen(np.array([band_index[x.band] for x in inst.learners], np.int64)),
        band_ids=band_ids,
        learner_max_group=_frozen(
            np.array(
                [big if x.max_group_size is None else x.max_group_size for x in inst.learners],
                dtype=np.int64,
            )
        ),
        learner_need_tags=_frozen(
            np.array([tags.mask(x.needs.teacher) for x in inst.learners], dtype=np.int64)
        ),
        learner_need_features=_frozen(
            np.array([features.mask(x.needs.room) for x in inst.learners], dtype=np.int64)
        ),
        mastered=_frozen(mastered),
        ready=_frozen(ready),
        stretch=_frozen(stretch),
        focus=_frozen(focus),
        has_focus=_frozen(has_focus),
        avoid_pairs=_frozen(np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)),
        goal_learner=_frozen(goals[:, 0].copy()),
        goal_subject=_frozen(goals[:, 1].copy()),
        goal_modality=_frozen(goals[:, 2].copy()),
        goal_minutes=_frozen(goals[:, 3].copy()),
        feature_ids=tuple(features.ids),
        tag_ids=tuple(tags.ids),
    )


def half_up(target: int) -> int:
    """ceil(target / 2): the per-age share of a diverse session."""
    return math.ceil(target / 2)
