"""Enumerate the candidate sessions and pools of a window (the model's variables' domain)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from plsched.compiled import MIX_SAME_SKILL, CompiledProblem
from plsched.solvers.cpsat.constraints import rule5_readiness, rule8_needs
from plsched.solvers.cpsat.variables import Candidate, Pool
from plsched.solvers.cpsat.window import Context, Window


@dataclass(frozen=True)
class Prepared:
    """Per-problem lookups computed once and shared by every window."""

    allowed: np.ndarray  # (L, K) skills allowed in same_skill sessions
    goal_mask: dict[tuple[int, int], np.ndarray]  # (subject, modality) -> (L,) has such goal
    goals_of: dict[int, list[tuple[int, int, int]]]  # l -> [(subject, modality, minutes)]
    avoid: dict[int, set[int]]
    avoid_set: set[tuple[int, int]]


def prepare(cp: CompiledProblem) -> Prepared:
    goal_mask: dict[tuple[int, int], np.ndarray] = {}
    goals_of: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for l, s, m, minutes in zip(
        cp.goal_learner, cp.goal_subject, cp.goal_modality, cp.goal_minutes, strict=True
    ):
        key = (int(s), int(m))
        if key not in goal_mask:
            goal_mask[key] = np.zeros(cp.n_learners, dtype=bool)
        goal_mask[key][l] = True
        goals_of[int(l)].append((int(s), int(m), int(minutes)))
    avoid: dict[int, set[int]] = defaultdict(set)
    for a, b in cp.avoid_pairs:
        avoid[int(a)].add(int(b))
        avoid[int(b)].add(int(a))
    return Prepared(
        allowed=cp.allowed_skills(),
        goal_mask=goal_mask,
        goals_of=dict(goals_of),
        avoid=dict(avoid),
        avoid_set={(int(a), int(b)) for a, b in cp.avoid_pairs},
    )


def _rooms_for(cp: CompiledProblem, rooms: list[int], features: int) -> list[int]:
    return [r for r in rooms if (int(cp.room_features[r]) & features) == features]


def enumerate_candidates(
    cp: CompiledProblem, prep: Prepared, window: Window, ctx: Context
) -> tuple[list[Candidate], list[Pool]]:
    cands: list[Candidate] = []
    pools: list[Pool] = []
    exact = window.exact
    for b in window.blocks:
        free = np.asarray(ctx.free_learners[b], dtype=np.int64)
        day = int(cp.block_day[b])
        rooms_b = [
            r
            for r in range(cp.n_rooms)
            if cp.room_available[r, b] and ctx.room_zones_used[r, b] < cp.room_zones[r]
        ]
        current_t = {s.teacher: s for s in ctx.current_sessions if s.block == b and s.teacher >= 0}
        for t in ctx.free_teachers[b]:
            cur = current_t.get(t)
            room_left = (
                ctx.teacher_week[t] < cp.teacher_max_week[t]
                and ctx.teacher_day[t, day] < cp.teacher_max_day[t]
            )
            if not room_left and cur is None:
                continue
            tag_ok = rule8_needs.teacher_tags_ok(cp, t, free)
            for m in map(int, np.flatnonzero(cp.teacher_modalities[t] & cp.mod_teacher)):
                rooms_m = _rooms_for(cp, rooms_b, int(cp.mod_features[m]))
                if not rooms_m:
                    continue
                base = tag_ok & rule8_needs.group_size_ok(cp, m, free)
                options: list[tuple[int, int]] = []
                if cp.mod_skill[m]:
                    options = [
                        (int(cp.skill_subject[k]), int(k))
                        for k in np.flatnonzero(cp.teacher_can_skill[t])
                    ]
                else:
                    # a subject no goal asks for is dominated by no subject (same session,
                    # fewer room features, no variety or continuity cost)
                    subjects = [-1, *np.flatnonzero(cp.teacher_subject[t]).tolist()]
                    options = [(int(s), -1) for s in subjects if s < 0 or (s, m) in prep.goal_mask]
                found: list[tuple[int, Candidate]] = []
                for s, k in options:
                    is_current = cur is not None and cur.key == (m, s, k, t)
                    if not exact and not is_current and (s, m) not in prep.goal_mask:
                        continue
                    rooms = _rooms_for(cp, rooms_m, int(cp.subject_features[s]) if s >= 0 else 0)
                    if not rooms:
                        continue
                    elig = base.copy()
                    if k >= 0 and cp.mod_mix[m] == MIX_SAME_SKILL:
                        elig &= rule5_readiness.ready_mask(prep, k, free)
                    if not exact:
                        gm = prep.goal_mask.get((s, m))
                        elig &= gm[free] if gm is not None else False
                    members: set[int] = set(free[elig].tolist())
                    if is_current and cur is not None:
                        members |= set(cur.members)
                        rooms = sorted(set(rooms) | {cur.room})
                    if len(members) < cp.mod_min[m] or (not room_left and not is_current):
                        continue
                    rank = 1 << 30 if is_current else len(members)
                    found.append((rank, Candidate(b, t, m, s, k, sorted(members), rooms)))
                if window.max_skills is not None and len(found) > window.max_skills:
                    found.sort(key=lambda f: -f[0])
                    found = found[: window.max_skills]
                cands.extend(c for _, c in found)
        # teacherless pools; in an LNS window a learner may stay in their pool's room or move
        # to one of the two rooms with the most spare seats (seating is interchangeable, and
        # offering every room only adds symmetric choices)
        spare_rooms: set[int] | None = None
        home: dict[int, int] = {}
        if not exact:
            spare = cp.room_capacity - ctx.room_load[:, b]
            spare = np.where(cp.room_available[:, b], spare, -1)
            spare_rooms = {int(r) for r in np.argsort(-spare, kind="stable")[:2]}
            for x in free:
                cur_s = ctx.current.get((int(x), b))
                if cur_s is not None and cur_s.teacher < 0:
                    home[int(x)] = cur_s.room
        for m in map(int, np.flatnonzero(~cp.mod_teacher)):
            # a subject no goal asks for is dominated by no subject (as for teacher-led
            # sessions without a skill); the current plan's subjects stay expressible
            current = {x.subject for x in ctx.current_sessions if x.block == b and x.modality == m}
            subjects = [
                s
                for s in [-1, *range(len(cp.subject_ids))]
                if s == -1 or (s, m) in prep.goal_mask or s in current
            ]
            for s in subjects:
                feats = cp.session_features(m, s)
                for r in range(cp.n_rooms):
                    key = (b, m, s, r)
                    fixed = ctx.pool_fixed.get(key, [])
                    usable = cp.room_available[r, b] and (int(cp.room_features[r]) & feats) == feats
                    if not usable:
                        continue
                    if not fixed and ctx.room_zones_used[r, b] >= cp.room_zones[r]:
                        continue
                    banned: set[int] = set()
                    for f in fixed:
                        banned |= prep.avoid.get(f, set())
                    joiners = [int(x) for x in free if int(x) not in banned]
                    if spare_rooms is not None and r not in spare_rooms:
                        joiners = [x for x in joiners if home.get(x) == r]
                    if not joiners and not fixed:
                        continue
                    pools.append(Pool(b, m, s, r, list(fixed), joiners))
    return cands, pools
