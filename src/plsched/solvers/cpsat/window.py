"""What a CP-SAT model decides: a window of blocks, free teachers and free learners.

Everything outside the window is fixed by the current plan and enters the model as constants.
The whole problem is the window with every block, teacher and learner free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from plsched.compiled import CompiledProblem
from plsched.solvers.state import Sess

__all__ = ["Context", "Window", "build_context"]


@dataclass(frozen=True)
class Window:
    """Blocks to re-plan, and per block the teachers and learners whose sessions are free.

    ``teachers[b]`` / ``learners[b]`` of ``None`` mean all of them.
    """

    blocks: tuple[int, ...]
    teachers: dict[int, frozenset[int] | None] = field(default_factory=dict)
    learners: dict[int, frozenset[int] | None] = field(default_factory=dict)
    exact: bool = True  # False: candidates limited to what learners' goals ask for
    max_skills: int | None = None  # per teacher and modality, the skills most can attend

    @staticmethod
    def whole(cp: CompiledProblem) -> Window:
        return Window(blocks=tuple(range(cp.n_blocks)), exact=True)


@dataclass
class Context:
    """Constants from the fixed part of the plan."""

    free_teachers: dict[int, list[int]]  # block -> teachers free to lead there
    free_learners: dict[int, list[int]]  # block -> learners free (available) there
    fixed: list[Sess]  # sessions kept as they are (in window blocks)
    kept: list[Sess]  # sessions of blocks outside the window
    teacher_week: np.ndarray  # (T,) fixed sessions led
    teacher_day: np.ndarray  # (T, D)
    room_zones_used: np.ndarray  # (R, B) by fixed teacher-led sessions
    room_load: np.ndarray  # (R, B) learners of fixed sessions, fixed pool members included
    pool_fixed: dict[tuple[int, int, int, int], list[int]]  # pool -> fixed members
    # learner-side constants for learners free somewhere in the window
    minutes_out: dict[tuple[int, int, int], int]  # (l, subject, modality) -> minutes
    teachers_out: dict[tuple[int, int], set[int]]  # (l, subject) -> teachers
    day_subject_out: dict[tuple[int, int, int], int]  # (l, day, subject) -> sessions
    current: dict[tuple[int, int], Sess]  # (l, b) -> current session, free learners only
    current_sessions: list[Sess]  # the free part of the current plan (for hints)


def build_context(cp: CompiledProblem, window: Window, plan: Sequence[Sess]) -> Context:
    wset = set(window.blocks)
    free_t: dict[int, list[int]] = {}
    free_l: dict[int, list[int]] = {}
    for b in window.blocks:
        ts = window.teachers.get(b)
        avail_t = np.flatnonzero(cp.teacher_available[:, b])
        free_t[b] = [int(t) for t in avail_t if ts is None or t in ts]
        ls = window.learners.get(b)
        avail_l = np.flatnonzero(cp.learner_available[:, b])
        free_l[b] = [int(x) for x in avail_l if ls is None or x in ls]
    free_t_set = {b: set(v) for b, v in free_t.items()}
    free_l_set = {b: set(v) for b, v in free_l.items()}

    n_days = len(cp.day_ids)
    teacher_week = np.zeros(cp.n_teachers, dtype=np.int64)
    teacher_day = np.zeros((cp.n_teachers, n_days), dtype=np.int64)
    zones = np.zeros((cp.n_rooms, cp.n_blocks), dtype=np.int64)
    load = np.zeros((cp.n_rooms, cp.n_blocks), dtype=np.int64)
    pool_fixed: dict[tuple[int, int, int, int], list[int]] = defaultdict(list)
    fixed: list[Sess] = []
    kept: list[Sess] = []
    current: dict[tuple[int, int], Sess] = {}
    current_sessions: list[Sess] = []
    free_anywhere: set[int] = set().union(*free_l_set.values()) if free_l_set else set()

    for s in plan:
        b = s.block
        if b not in wset:
            kept.append(s)
            if s.teacher >= 0:
                teacher_week[s.teacher] += 1
                teacher_day[s.teacher, cp.block_day[b]] += 1
            continue
        if s.teacher >= 0:
            if s.teacher in free_t_set[b]:
                for m in s.members:
                    current[(m, b)] = s
                current_sessions.append(s)
                continue
            fixed.append(s)
            teacher_week[s.teacher] += 1
            teacher_day[s.teacher, cp.block_day[b]] += 1
            zones[s.room, b] += 1
            load[s.room, b] += len(s.members)
            continue
        stay = [m for m in s.members if m not in free_l_set[b]]
        for m in s.members:
            if m in free_l_set[b]:
                current[(m, b)] = s
        current_sessions.append(s)
        pool_fixed[s.pool].extend(stay)
        load[s.room, b] += len(stay)

    # members of free teachers' sessions must be free too
    for (m, b), s in current.items():
        if s.teacher >= 0 and m not in free_l_set[b]:
            free_l_set[b].add(m)
            free_l[b].append(m)
            free_anywhere.add(m)

    minutes_out: dict[tuple[int, int, int], int] = defaultdict(int)
    teachers_out: dict[tuple[int, int], set[int]] = defaultdict(set)
    day_subject_out: dict[tuple[int, int, int], int] = defaultdict(int)
    for s in plan:
        b = s.block
        for m in s.members:
            if m not in free_anywhere or (b in wset and m in free_l_set[b]):
                continue
            minutes_out[(m, s.subject, s.modality)] += int(cp.block_minutes[b])
            if s.subject >= 0:
                day_subject_out[(m, int(cp.block_day[b]), s.subject)] += 1
                if s.teacher >= 0:
                    teachers_out[(m, s.subject)].add(s.teacher)
    return Context(
        free_teachers=free_t,
        free_learners={b: sorted(v) for b, v in free_l.items()},
        fixed=fixed,
        kept=kept,
        teacher_week=teacher_week,
        teacher_day=teacher_day,
        room_zones_used=zones,
        room_load=load,
        pool_fixed=dict(pool_fixed),
        minutes_out=dict(minutes_out),
        teachers_out=dict(teachers_out),
        day_subject_out=dict(day_subject_out),
        current=current,
        current_sessions=current_sessions,
    )
