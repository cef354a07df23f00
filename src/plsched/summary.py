"""A short summary of an instance and a check that it is feasible *in principle*.

"Feasible in principle" compares aggregate capacity with aggregate demand; it is a set of
necessary conditions, not a proof that a plan exists:

- per teacher-led modality and subject: the goal minutes demanded against what the teachers
  who lead that modality (and hold a qualification in that subject) can give in a week, with
  every session at ``max_size`` (shown at ``target_size`` too);
- all teacher-led modalities together: teacher sessions needed at ``max_size`` against the
  sessions the teachers can lead (``target_size`` gives the comfortable number);
- per block: room seats against available learners, and room zones against the sessions the
  block needs (its share of teacher-led sessions plus independent sessions for the rest);
- per learner: goal minutes within the available minutes, a ready skill and a qualified
  teacher with the needed tags for every skill-focus goal, a room with every feature asked
  for, and a ``max_group_size`` that admits the modality.

A goal's demand counts at least one (shortest) block: a 30-minute goal still takes a block.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from plsched.schema.instance import Instance, Learner, Modality, Teacher

__all__ = [
    "BlockCapacity",
    "InstanceSummary",
    "ReadyStats",
    "TeacherCapacity",
    "summarize",
    "teacher_sessions",
]

logger = logging.getLogger(__name__)

_SHOWN_IDS = 5


@dataclass(frozen=True)
class ReadyStats:
    """Sizes of the learners' ready sets in one subject."""

    subject: str
    skills: int
    min: int
    median: float
    max: int


@dataclass(frozen=True)
class TeacherCapacity:
    """Demand and teacher capacity of one teacher-led modality and subject, in learner-minutes."""

    modality: str
    subject: str | None
    teachers: int
    demand_minutes: int
    capacity_minutes: float
    target_capacity_minutes: float

    @property
    def label(self) -> str:
        return f"{self.modality} {self.subject or '(no subject)'}"


@dataclass(frozen=True)
class BlockCapacity:
    """Room capacity of one block against the learners and sessions it must hold."""

    block: str
    learners: int
    seats: int
    zones: int
    sessions_needed: int


@dataclass(frozen=True)
class InstanceSummary:
    """Counts, ready-set sizes and capacity against demand of one instance."""

    name: str
    blocks: int
    days: int
    subjects: int
    skills: tuple[tuple[str, int], ...]
    modalities: int
    rooms: int
    teachers: int
    learners: int
    goals: int
    ready: tuple[ReadyStats, ...]
    teacher_capacity: tuple[TeacherCapacity, ...]
    sessions_demanded: float
    sessions_demanded_at_max: float
    sessions_available: int
    block_capacity: tuple[BlockCapacity, ...]
    learner_problems: tuple[str, ...]

    @property
    def min_seats(self) -> int:
        return min((b.seats for b in self.block_capacity), default=0)

    @property
    def max_learners_per_block(self) -> int:
        return max((b.learners for b in self.block_capacity), default=0)

    @property
    def min_zones(self) -> int:
        return min((b.zones for b in self.block_capacity), default=0)

    @property
    def max_sessions_needed(self) -> int:
        return max((b.sessions_needed for b in self.block_capacity), default=0)

    def lines(self) -> list[str]:
        """A short human summary, one fact a line."""
        out = [
            f"instance {self.name}: {self.blocks} blocks over {self.days} days, "
            f"{self.subjects} subjects, {self.modalities} modalities",
            f"{self.learners} learners, {self.teachers} teachers, {self.rooms} rooms, "
            f"{self.goals} goals",
        ]
        if self.skills:
            out.append("skills: " + ", ".join(f"{s} {n}" for s, n in self.skills))
        if self.ready:
            out.append(
                "ready skills per learner (min/median/max): "
                + ", ".join(f"{r.subject} {r.min}/{r.median:g}/{r.max}" for r in self.ready)
            )
        if self.teacher_capacity:
            out.append("teacher-led learner-minutes a week: demand / capacity at max (target):")
            for c in self.teacher_capacity:
                out.append(
                    f"  {c.label}: {c.demand_minutes} / {c.capacity_minutes:.0f} "
                    f"({c.target_capacity_minutes:.0f}), {c.teachers} teachers"
                )
        ratio = self.sessions_available / self.sessions_demanded if self.sessions_demanded else 0
        out.append(
            f"teacher sessions a week: {self.sessions_demanded:.0f} needed at target size "
            f"({self.sessions_demanded_at_max:.0f} at max), {self.sessions_available} available"
            + (f" ({ratio:.2f}x)" if self.sessions_demanded else "")
        )
        if self.block_capacity:
            out.append(
                f"rooms per block: >= {self.min_seats} seats for <= "
                f"{self.max_learners_per_block} learners; >= {self.min_zones} zones for <= "
                f"{self.max_sessions_needed} sessions"
            )
        problems = self.problems()
        out.append(
            "feasible in principle: yes"
            if not problems
            else f"feasible in principle: no ({len(problems)} problems)"
        )
        return out

    def problems(self) -> list[str]:
        """Every shortfall of capacity against demand; empty when feasible in principle."""
        out: list[str] = []
        for c in self.teacher_capacity:
            if c.demand_minutes > c.capacity_minutes:
                out.append(
                    f"{c.label}: {c.demand_minutes} learner-minutes a week are demanded and "
                    f"its {c.teachers} teachers give at most {c.capacity_minutes:.0f}."
                )
        if self.sessions_demanded_at_max > self.sessions_available:
            out.append(
                f"teachers: {math.ceil(self.sessions_demanded_at_max)} teacher sessions a week "
                f"are needed even at max size, and only {self.sessions_available} can be led."
            )
        short_seats = [b for b in self.block_capacity if b.seats < b.learners]
        if short_seats:
            worst = min(short_seats, key=lambda b: b.seats - b.learners)
            out.append(
                f"rooms: fewer seats than learners in {len(short_seats)} block(s), worst "
                f"{worst.block!r} with {worst.seats} seats for {worst.learners} learners."
            )
        short_zones = [b for b in self.block_capacity if b.zones < b.sessions_needed]
        if short_zones:
            worst = min(short_zones, key=lambda b: b.zones - b.sessions_needed)
            out.append(
                f"rooms: fewer zones than sessions needed in {len(short_zones)} block(s), worst "
                f"{worst.block!r} with {worst.zones} zones for {worst.sessions_needed} sessions."
            )
        out.extend(self.learner_problems)
        return out

    def warnings(self) -> list[str]:
        """Tight spots that are not shortfalls: capacity only above target size."""
        out: list[str] = []
        for c in self.teacher_capacity:
            if c.capacity_minutes >= c.demand_minutes > c.target_capacity_minutes:
                out.append(f"{c.label}: demand is met only with groups above target size.")
        if self.sessions_available >= self.sessions_demanded_at_max and (
            self.sessions_demanded > self.sessions_available
        ):
            out.append("teachers: sessions suffice only with groups above target size.")
        return out


def teacher_sessions(teacher: Teacher, day_blocks: dict[str, list[str]]) -> int:
    """Most sessions a teacher can lead in the week: daily caps on available blocks, weekly cap."""
    away = set(teacher.unavailable)
    per_day = sum(
        min(teacher.max_sessions_per_day, sum(1 for b in blocks if b not in away))
        for blocks in day_blocks.values()
    )
    return min(teacher.max_sessions_per_week, per_day)


def _ready_matrix(instance: Instance) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per subject: (learners x skills ready matrix, skill levels)."""
    models = {m.id: m for m in instance.competency_models}
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for subject in instance.subjects:
        model = models.get(subject.model)
        if model is None:
            continue
        index = {s.id: j for j, s in enumerate(model.skills)}
        n = len(model.skills)
        prereq = np.zeros((n, n), dtype=np.int32)
        for j, s in enumerate(model.skills):
            for p in s.prerequisites:
                prereq[index[p], j] = 1
        need = prereq.sum(axis=0)
        mastered = np.zeros((len(instance.learners), n), dtype=np.int32)
        for i, learner in enumerate(instance.learners):
            known = learner.mastery.get(subject.id, ())
            mastered[i, [index[k] for k in known if k in index]] = 1
        ready = (mastered == 0) & (mastered @ prereq == need)
        levels = np.array([s.level for s in model.skills], dtype=float)
        out[subject.id] = (ready, levels)
    return out


def _few(ids: list[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    return shown + (", ..." if len(ids) > _SHOWN_IDS else "")


def _learner_problems(
    instance: Instance,
    ready: dict[str, tuple[np.ndarray, np.ndarray]],
    block_minutes: dict[str, int],
) -> list[str]:
    """Goals that no capacity can serve, grouped by cause, naming a few learners each."""
    modalities = {m.id: m for m in instance.modalities}
    total_minutes = sum(block_minutes.values())
    causes: dict[str, list[str]] = defaultdict(list)
    fit = _GoalFit(instance)
    for i, learner in enumerate(instance.learners):
        away = sum(block_minutes.get(b, 0) for b in set(learner.unavailable))
        if sum(g.minutes_per_week for g in learner.goals) > total_minutes - away:
            causes["have more goal minutes than available minutes"].append(learner.id)
        for g in learner.goals:
            m = modalities.get(g.modality)
            if m is not None and m.teacher_required:
                for cause in fit.causes(learner, ready, i, g.subject, m):
                    causes[cause].append(learner.id)
    return [f"learners: {len(ids)} {cause} ({_few(ids)})." for cause, ids in causes.items()]


class _GoalFit:
    """Whether some room and some teacher could serve a teacher-led goal (cached per kind)."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.subject_features = {s.id: frozenset(s.room_features) for s in instance.subjects}
        self._rooms: dict[tuple[str, str | None, frozenset[str]], bool] = {}
        self._levels: dict[tuple[str, str | None, frozenset[str]], np.ndarray] = {}

    def room(self, m: Modality, subject: str | None, needs: frozenset[str]) -> bool:
        key = (m.id, subject, needs)
        if key not in self._rooms:
            features = (
                set(m.room_features) | needs | self.subject_features.get(subject or "", set())
            )
            self._rooms[key] = any(
                features <= set(r.features) and r.capacity >= m.min_size
                for r in self.instance.rooms
            )
        return self._rooms[key]

    def ranges(self, m: Modality, subject: str | None, tags: frozenset[str]) -> np.ndarray:
        """(k, 2) level ranges of the qualifications in ``subject`` of the teachers who lead
        ``m`` and carry ``tags``; without a subject, one unbounded row per such teacher."""
        key = (m.id, subject, tags)
        if key not in self._levels:
            leaders = [
                t for t in self.instance.teachers if m.id in t.modalities and tags <= set(t.tags)
            ]
            rows = (
                [(-np.inf, np.inf)] * len(leaders)
                if subject is None
                else [
                    (q.min_level, q.max_level)
                    for t in leaders
                    for q in t.qualifications
                    if q.subject == subject
                ]
            )
            self._levels[key] = np.array(rows, dtype=float).reshape(-1, 2)
        return self._levels[key]

    def causes(
        self,
        learner: Learner,
        ready: dict[str, tuple[np.ndarray, np.ndarray]],
        row: int,
        subject: str | None,
        m: Modality,
    ) -> list[str]:
        """Why no session could serve one teacher-led goal of a learner (empty when one could)."""
        what = f"a {m.id} {subject or '(no subject)'} goal"
        out = []
        if learner.max_group_size is not None and learner.max_group_size < m.min_size:
            out.append(f"have a max_group_size below the minimum size of {m.id}")
        if not self.room(m, subject, frozenset(learner.needs.room)):
            out.append(f"have {what} that no room with the features asked for can host")
        ranges = self.ranges(m, subject, frozenset(learner.needs.teacher))
        if m.skill_focus and subject is not None and subject in ready:
            matrix, levels = ready[subject]
            ready_levels = levels[matrix[row]][:, None]
            if ready_levels.size == 0:
                out.append(f"have {what} and no ready skill in {subject}")
            elif not np.any((ready_levels >= ranges[:, 0]) & (ready_levels <= ranges[:, 1])):
                out.append(
                    f"have {what} that no teacher with their needed tags is qualified to lead"
                )
        elif len(ranges) == 0:
            out.append(f"have {what} that no teacher with their needed tags leads")
        return out


def summarize(instance: Instance) -> InstanceSummary:
    """Summarize a parsed instance (competency models resolved, as ``parse_instance`` gives)."""
    blocks = instance.blocks
    block_minutes = {b.id: b.minutes for b in blocks}
    day_blocks: dict[str, list[str]] = defaultdict(list)
    for b in blocks:
        day_blocks[b.day].append(b.id)
    mean_minutes = float(np.mean([b.minutes for b in blocks]))
    shortest = min(b.minutes for b in blocks)
    modalities = {m.id: m for m in instance.modalities}
    models = {m.id: m for m in instance.competency_models}

    ready = _ready_matrix(instance)
    ready_stats = []
    for subject in instance.subjects:
        if subject.id not in ready:
            continue
        sizes = ready[subject.id][0].sum(axis=1)
        if sizes.size:
            ready_stats.append(
                ReadyStats(
                    subject.id,
                    len(models[subject.model].skills),
                    int(sizes.min()),
                    float(np.median(sizes)),
                    int(sizes.max()),
                )
            )

    # Teacher-led demand per (modality, subject), each goal at least one block.
    demand: dict[tuple[str, str | None], int] = defaultdict(int)
    for learner in instance.learners:
        for g in learner.goals:
            m = modalities.get(g.modality)
            if m is not None and m.teacher_required:
                demand[(m.id, g.subject)] += max(g.minutes_per_week, shortest)
    sessions = {t.id: teacher_sessions(t, day_blocks) for t in instance.teachers}
    capacities = []
    for (mid, subj), minutes in sorted(demand.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        m = modalities[mid]
        pool = [
            t
            for t in instance.teachers
            if mid in t.modalities
            and (subj is None or any(q.subject == subj for q in t.qualifications))
        ]
        supply = sum(sessions[t.id] for t in pool) * mean_minutes
        capacities.append(
            TeacherCapacity(
                mid, subj, len(pool), minutes, supply * m.max_size, supply * m.target_size
            )
        )
    at_target = sum(
        minutes / (modalities[mid].target_size * mean_minutes)
        for (mid, _), minutes in demand.items()
    )
    at_max = sum(
        minutes / (modalities[mid].max_size * mean_minutes) for (mid, _), minutes in demand.items()
    )
    leaders = [
        t
        for t in instance.teachers
        if any(x in modalities and modalities[x].teacher_required for x in t.modalities)
    ]
    available_sessions = sum(sessions[t.id] for t in leaders)

    block_capacity = _block_capacity(instance, demand, at_target)
    return InstanceSummary(
        name=instance.name,
        blocks=len(blocks),
        days=len(day_blocks),
        subjects=len(instance.subjects),
        skills=tuple(
            (s.id, len(models[s.model].skills)) for s in instance.subjects if s.model in models
        ),
        modalities=len(instance.modalities),
        rooms=len(instance.rooms),
        teachers=len(instance.teachers),
        learners=len(instance.learners),
        goals=sum(len(learner.goals) for learner in instance.learners),
        ready=tuple(ready_stats),
        teacher_capacity=tuple(capacities),
        sessions_demanded=at_target,
        sessions_demanded_at_max=at_max,
        sessions_available=available_sessions,
        block_capacity=block_capacity,
        learner_problems=tuple(_learner_problems(instance, ready, block_minutes)),
    )


def _block_capacity(
    instance: Instance, demand: dict[tuple[str, str | None], int], sessions_at_target: float
) -> tuple[BlockCapacity, ...]:
    """Per block: seats and zones of the open rooms against learners and sessions needed.

    The teacher-led sessions and learners of the week are spread over the blocks in proportion
    to the learner-minutes each block offers; the remaining learners need independent
    sessions of the largest size a teacher-free modality allows.
    """
    free_sizes = [m.max_size for m in instance.modalities if not m.teacher_required]
    free_size = max(free_sizes or [m.max_size for m in instance.modalities])
    present = {
        b.id: sum(1 for learner in instance.learners if b.id not in learner.unavailable)
        for b in instance.blocks
    }
    offered = sum(present[b.id] * b.minutes for b in instance.blocks)
    led_minutes = sum(demand.values())
    out = []
    for b in instance.blocks:
        share = present[b.id] * b.minutes / offered if offered else 0.0
        led_sessions = math.ceil(sessions_at_target * share - 1e-9)
        rest = max(0.0, present[b.id] - led_minutes * share / b.minutes)
        open_rooms = [r for r in instance.rooms if b.id not in r.unavailable]
        out.append(
            BlockCapacity(
                block=b.id,
                learners=present[b.id],
                seats=sum(r.capacity for r in open_rooms),
                zones=sum(r.zones for r in open_rooms),
                sessions_needed=led_sessions + math.ceil(rest / free_size - 1e-9),
            )
        )
    return tuple(out)
