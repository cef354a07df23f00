"""Seating: rooms for sessions, teacherless sessions for everyone else, and pools split into
sessions of optimal sizes. Shared by the construction and the grade-classes baseline."""

from __future__ import annotations

import logging
from collections import defaultdict

import numpy as np

from plsched.compiled import MIX_SAME_SKILL, CompiledProblem
from plsched.solvers.cpsat.candidates import Prepared
from plsched.solvers.state import Sess, split_pool

__all__ = [
    "even_pools",
    "roomiest_first",
    "seat_teacherless",
    "seats_for_rest",
    "squeeze_in",
    "tightest_room",
]

log = logging.getLogger(__name__)


def tightest_room(
    cp: CompiledProblem,
    b: int,
    size: int,
    features: int,
    zones_left: np.ndarray,
    seats_left: np.ndarray,
) -> int:
    """The tightest open room in block b with the features and seats for ``size``; -1 if none."""
    ok = (
        cp.room_available[:, b]
        & (zones_left > 0)
        & (seats_left >= size)
        & ((cp.room_features & features) == features)
    )
    rooms = np.flatnonzero(ok)
    if rooms.size == 0:
        return -1
    # the room with the fewest features the session does not need (a quiet room is kept for
    # learners who need one), then the tightest (large rooms are kept for teacherless pools)
    extra = np.array([int(x).bit_count() for x in cp.room_features[rooms] & ~features])
    best = np.lexsort((seats_left[rooms], extra))[0]
    return int(rooms[best])


def roomiest_first(
    cp: CompiledProblem,
    b: int,
    size: int,
    features: int,
    zones_left: np.ndarray,
    seats_left: np.ndarray,
) -> list[int]:
    """Open rooms of block b with a free zone, the features and ``size`` seats: rooms with no
    feature beyond ``features`` first (they are kept for who needs them), most seats first."""
    extra = np.array([int(x).bit_count() for x in cp.room_features & ~features])
    return [
        int(r)
        for r in np.lexsort((-seats_left, extra))
        if cp.room_available[r, b]
        and zones_left[r] > 0
        and seats_left[r] >= size
        and (int(cp.room_features[r]) & features) == features
    ]


def even_pools(cp: CompiledProblem, prep: Prepared, sessions: list[Sess]) -> list[Sess]:
    """Re-split each pool (block, modality, subject, room) into sessions of optimal sizes, the
    form the CP-SAT model counts pools in (Σ|size − target| = |N − n·target|)."""
    pools: dict[tuple[int, int, int, int], list[Sess]] = defaultdict(list)
    out = [s for s in sessions if s.teacher >= 0]
    for s in sessions:
        if s.teacher < 0:
            pools[s.pool].append(s)
    for (b, m, subj, r), group in pools.items():
        members = sorted(x for s in group for x in s.members)
        lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
        parts = split_pool(members, len(group), lo, hi, target, prep.avoid_set)
        out.extend(Sess(b, m, subj, -1, -1, r, p) for p in parts)
    return out


def seats_for_rest(
    cp: CompiledProblem, b: int, zones_left: np.ndarray, seats_left: np.ndarray
) -> int:
    """Learners the rooms left could still seat in teacherless sessions."""
    hi = int(cp.mod_max[~cp.mod_teacher].max()) if (~cp.mod_teacher).any() else 0
    usable = cp.room_available[:, b] & (zones_left > 0)
    return int(np.minimum(seats_left, zones_left * hi)[usable].sum())


def seat_teacherless(
    cp: CompiledProblem,
    prep: Prepared,
    b: int,
    m: int,
    learners: list[int],
    zones_left: np.ndarray,
    seats_left: np.ndarray,
    subject: int = -1,
) -> tuple[list[Sess], list[int]]:
    """Seat the remaining learners in teacherless sessions of modality m (and ``subject``, -1
    for none), largest free room first; returns the sessions and the learners left without a
    seat."""
    lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
    out: list[Sess] = []
    todo = list(learners)
    features = cp.session_features(m, subject)
    rooms = roomiest_first(cp, b, lo, features, zones_left, seats_left)
    for r in rooms:
        if not todo:
            break
        take = min(len(todo), int(seats_left[r]), int(zones_left[r]) * hi)
        count_lo = -(-take // hi)
        counts = [n for n in range(max(1, count_lo), int(zones_left[r]) + 1) if n * lo <= take]
        if not counts:
            continue
        n = min(counts, key=lambda n: abs(take - n * target))
        group, todo = todo[:take], todo[take:]
        members = set(group)
        paired = any(prep.avoid.get(x, set()) & members for x in group)
        if paired and n == 1 and zones_left[r] >= 2 and take >= 2 * lo:
            n = 2  # two sessions keep the pair apart
        if n == 1:
            # one session cannot hold both learners of an avoid pair: send one further
            kept: list[int] = []
            for x in group:
                (todo if prep.avoid.get(x, set()) & set(kept) else kept).append(x)
            while len(kept) < take and todo and not prep.avoid.get(todo[0], set()) & set(kept):
                kept.append(todo.pop(0))
            group = kept
            take = len(group)
        for g in split_pool(group, n, lo, hi, target, prep.avoid_set):
            out.append(Sess(b, m, subject, -1, -1, r, g))
        zones_left[r] -= n
        seats_left[r] -= take
    return out, todo


def squeeze_in(
    cp: CompiledProblem,
    prep: Prepared,
    b: int,
    learners: list[int],
    sessions: list[Sess],
    seats_left: np.ndarray,
) -> None:
    """Place learners left without a seat into sessions of block b that can take one more."""

    def fits(x: int, s: Sess) -> bool:
        size = len(s.members) + 1
        if size > cp.mod_max[s.modality] or seats_left[s.room] < 1:
            return False
        if prep.avoid.get(x, set()) & set(s.members):
            return False
        if s.teacher < 0:
            return True
        if cp.learner_need_tags[x] & ~cp.teacher_tags[s.teacher]:
            return False
        need = int(cp.learner_need_features[x])
        if int(cp.room_features[s.room]) & need != need:
            return False
        if min(int(cp.learner_max_group[y]) for y in (*s.members, x)) < size:
            return False
        same = s.skill >= 0 and cp.mod_mix[s.modality] == MIX_SAME_SKILL
        return not same or bool(prep.allowed[x, s.skill])

    def with_members(s: Sess, members: tuple[int, ...]) -> Sess:
        return Sess(s.block, s.modality, s.subject, s.skill, s.teacher, s.room, members)

    here = [i for i in range(len(sessions)) if sessions[i].block == b]
    for x in learners:
        placed = False
        for i in here:
            if fits(x, sessions[i]):
                sessions[i] = with_members(sessions[i], tuple(sorted((*sessions[i].members, x))))
                seats_left[sessions[i].room] -= 1
                placed = True
                break
        # otherwise move an avoided partner out of a teacherless session, and take its place
        for i in [] if placed else here:
            s = sessions[i]
            partners = prep.avoid.get(x, set()) & set(s.members)
            if s.teacher >= 0 or len(partners) != 1:
                continue
            (y,) = partners
            rest = tuple(m for m in s.members if m != y)
            if prep.avoid.get(x, set()) & set(rest):
                continue
            for j in here:
                if j != i and fits(y, sessions[j]):
                    sessions[j] = with_members(
                        sessions[j], tuple(sorted((*sessions[j].members, y)))
                    )
                    seats_left[sessions[j].room] -= 1
                    sessions[i] = with_members(s, tuple(sorted((*rest, x))))
                    placed = True
                    break
            if placed:
                break
        if not placed:
            log.warning("learner %s found no seat in block %s", cp.learner_ids[x], cp.block_ids[b])
