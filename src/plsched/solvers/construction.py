"""A fast feasible plan: block by block, each free teacher takes the group that serves the most
remaining goal minutes, then everyone else goes to teacherless sessions in the rooms left.

Vectorised over learners and skills with NumPy; randomness comes from an explicit ``rng``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from plsched.compiled import MIX_SAME_SKILL, CompiledProblem
from plsched.solvers.cpsat.candidates import Prepared
from plsched.solvers.seating import (
    even_pools,
    seat_teacherless,
    seats_for_rest,
    squeeze_in,
    tightest_room,
)
from plsched.solvers.state import Sess

__all__ = ["construct"]

log = logging.getLogger(__name__)

LONG_LEFT = 10  # longest blocks still to come that make a short block not worth it


class _Need:
    """Remaining goal minutes per (subject, modality) as (L,) arrays."""

    def __init__(self, cp: CompiledProblem) -> None:
        self.left: dict[tuple[int, int], np.ndarray] = {}
        for l, s, m, minutes in zip(
            cp.goal_learner, cp.goal_subject, cp.goal_modality, cp.goal_minutes, strict=True
        ):
            key = (int(s), int(m))
            if key not in self.left:
                self.left[key] = np.zeros(cp.n_learners, dtype=np.int64)
            self.left[key][l] += int(minutes)

    def get(self, subject: int, modality: int, n: int) -> np.ndarray:
        arr = self.left.get((subject, modality))
        return arr if arr is not None else np.zeros(n, dtype=np.int64)


def construct(
    cp: CompiledProblem,
    prep: Prepared,
    rng: np.random.Generator,
    keep: Sequence[Sess] = (),
    *,
    grow: bool = True,
) -> list[Sess]:
    """A plan that keeps every hard rule whenever rooms can seat every learner.

    ``keep`` (yesterday's plan, for the nightly job) is placed first: each of its teacher-led
    sessions that still keeps every hard rule today meets again, with the members still
    allowed in it. With ``grow`` false no other teacher-led session is formed: yesterday's
    plan repaired, everyone else working on their own (the local search then opens sessions
    for the goals left short).
    """
    kept_by_block: dict[int, list[Sess]] = defaultdict(list)
    # teacher time promised to kept sessions later in the week is not the greedy's to take
    reserved_week = np.zeros(cp.n_teachers, dtype=np.int64)
    reserved_day = np.zeros((cp.n_teachers, len(cp.day_ids)), dtype=np.int64)
    for old in keep:
        if old.teacher >= 0 and cp.teacher_available[old.teacher, old.block]:
            kept_by_block[old.block].append(old)
            reserved_week[old.teacher] += 1
            reserved_day[old.teacher, cp.block_day[old.block]] += 1
    n_l = cp.n_learners
    need = _Need(cp)
    week = np.zeros(cp.n_teachers, dtype=np.int64)
    day_led = np.zeros((cp.n_teachers, len(cp.day_ids)), dtype=np.int64)
    day_subject = np.zeros((n_l, len(cp.day_ids), max(1, len(cp.subject_ids))), dtype=np.int64)
    cap = cp.instance.policy.daily_subject_cap
    # met[(t, s)][l]: learner l already had teacher t in subject s (continuity)
    met: dict[tuple[int, int], np.ndarray] = defaultdict(lambda: np.zeros(n_l, dtype=bool))
    teacherless = [int(m) for m in np.flatnonzero(~cp.mod_teacher)]
    filler = min(teacherless, key=lambda m: -int(cp.mod_max[m])) if teacherless else -1
    sessions: list[Sess] = []
    # how many blocks each learner still has, for urgency
    blocks_left = cp.learner_available.sum(axis=1).astype(np.float64)
    longest = int(cp.block_minutes.max()) if cp.n_blocks else 0
    # per learner and block: available blocks of the longest length still to come
    long_avail = cp.learner_available & (cp.block_minutes == longest)[None, :]
    long_after = np.cumsum(long_avail[:, ::-1], axis=1)[:, ::-1] - long_avail
    # per teacher and modality: the (subject, skills) options, computed once
    options_of: dict[tuple[int, int], dict[int, np.ndarray]] = {}
    for t in range(cp.n_teachers):
        for m in map(int, np.flatnonzero(cp.teacher_modalities[t] & cp.mod_teacher)):
            if cp.mod_skill[m]:
                ks = np.flatnonzero(cp.teacher_can_skill[t])
                options_of[(t, m)] = {
                    int(s): ks[cp.skill_subject[ks] == s] for s in np.unique(cp.skill_subject[ks])
                }
            else:
                subjects = [-1, *(int(s) for s in np.flatnonzero(cp.teacher_subject[t]))]
                options_of[(t, m)] = {s: np.array([-1]) for s in subjects}
    # readiness and focus as float matrices, so counting is a matrix-vector product
    # (sparse, skills × learners: each learner is ready for a few skills only)
    allowed_f = sparse.csr_matrix(prep.allowed.T, dtype=np.float32)
    focus_f = sparse.csr_matrix((prep.allowed & cp.focus).T, dtype=np.float32)
    focus_any = sparse.csr_matrix(cp.focus.T, dtype=np.float32)

    def commit(made: Sess, d: int, minutes: int, free: np.ndarray) -> None:
        sessions.append(made)
        arr = np.asarray(made.members)
        week[made.teacher] += 1
        day_led[made.teacher, d] += 1
        free[arr] = False
        still = need.left.get((made.subject, made.modality))
        if still is not None:
            still[arr] = np.maximum(still[arr] - minutes, 0)
        if made.subject >= 0:
            day_subject[arr, d, made.subject] += 1
            met[(made.teacher, made.subject)][arr] = True

    for b in range(cp.n_blocks):
        d = int(cp.block_day[b])
        minutes = int(cp.block_minutes[b])
        free = cp.learner_available[:, b].copy()
        zones_left = np.where(cp.room_available[:, b], cp.room_zones, 0).astype(np.int64)
        seats_left = cp.room_capacity.astype(np.int64).copy()
        teachers = [
            int(t)
            for t in np.flatnonzero(cp.teacher_available[:, b])
            if week[t] < cp.teacher_max_week[t] and day_led[t, d] < cp.teacher_max_day[t]
        ]
        # teachers below their fair load first, then by a seeded shuffle
        rng.shuffle(teachers)
        teachers.sort(key=lambda t: week[t] - cp.teacher_fair[t])
        urgency = np.zeros(n_l)

        for old in kept_by_block.get(b, []):
            reserved_week[old.teacher] -= 1
            reserved_day[old.teacher, d] -= 1
            if old.teacher in teachers:
                renewed = _still_valid(cp, prep, old, free, zones_left, seats_left, week, day_led)
                if renewed is not None:
                    commit(renewed, d, minutes, free)
                    teachers.remove(old.teacher)
        for t in teachers if grow else ():
            if (
                week[t] + reserved_week[t] >= cp.teacher_max_week[t]
                or day_led[t, d] + reserved_day[t, d] >= cp.teacher_max_day[t]
            ):
                continue
            options: list[tuple[float, int, int, int, np.ndarray]] = []
            tag_ok = (cp.learner_need_tags & ~cp.teacher_tags[t]) == 0
            for m in map(int, np.flatnonzero(cp.teacher_modalities[t] & cp.mod_teacher)):
                lo, target = int(cp.mod_min[m]), int(cp.mod_target[m])
                base = free & tag_ok & (cp.learner_max_group >= lo)
                for s, karr in options_of[(t, m)].items():
                    ks = karr.tolist()
                    feats = cp.session_features(m, s)
                    if tightest_room(cp, b, lo, feats, zones_left, seats_left) < 0:
                        continue
                    left = need.get(s, m, n_l)
                    # a block shorter than what is left, when one longer block would do,
                    # leaves a few minutes that cost a whole session later: skip it while
                    # enough longer blocks are still to come
                    fragment = (
                        (left > minutes) & (left <= longest) & (long_after[:, b] >= LONG_LEFT)
                    )
                    want = base & (left > 0) & ~fragment
                    if s >= 0:
                        want &= day_subject[:, d, s] < cap
                    if not want.any():
                        continue
                    idx = np.flatnonzero(want)
                    urgency[idx] = left[idx] / np.maximum(blocks_left[idx], 1.0)
                    wf = want.astype(np.float32)
                    same = cp.mod_mix[m] == MIX_SAME_SKILL
                    if ks == [-1]:
                        counts = np.array([idx.size])
                        focus = np.zeros(1)
                    elif same:
                        counts = (allowed_f @ wf)[karr]
                        focus = (focus_f @ wf)[karr]
                    else:
                        counts = np.full(karr.size, idx.size)
                        focus = (focus_any @ wf)[karr]
                    value = np.minimum(counts, target) + 1.5 * np.minimum(focus, target)
                    if s >= 0 and (t, s) in met:
                        seen = (want & met[(t, s)]).astype(np.float32)
                        if ks == [-1]:
                            again = np.array([seen.sum()])
                        elif same:
                            again = (allowed_f @ seen)[karr]
                        else:
                            again = np.full(karr.size, seen.sum())
                        value = value + np.minimum(again, target)
                    value = np.where(counts >= lo, value, -1.0)
                    for j in np.argsort(-value)[:3]:
                        if value[j] > 0:
                            options.append((float(value[j]), m, s, ks[int(j)], idx))
            options.sort(key=lambda o: -o[0])
            for _, m, s, k, idx in options[:6]:
                made = _form(
                    cp,
                    prep,
                    rng,
                    b,
                    t,
                    m,
                    s,
                    k,
                    idx,
                    urgency,
                    met,
                    zones_left,
                    seats_left,
                    int(free.sum()),
                )
                if made is None:
                    continue
                commit(made, d, minutes, free)
                break
        blocks_left[cp.learner_available[:, b]] -= 1
        rest = [int(i) for i in np.flatnonzero(free)]
        if rest and filler >= 0:
            pools, unseated = seat_teacherless(cp, prep, b, filler, rest, zones_left, seats_left)
            sessions.extend(pools)
            if unseated:
                squeeze_in(cp, prep, b, unseated, sessions, seats_left)
        elif rest:
            log.warning(
                "no teacherless modality: %d learners unplaced in block %s",
                len(rest),
                cp.block_ids[b],
            )
    return even_pools(cp, prep, sessions)


def _form(
    cp: CompiledProblem,
    prep: Prepared,
    rng: np.random.Generator,
    b: int,
    t: int,
    m: int,
    s: int,
    k: int,
    idx: np.ndarray,
    urgency: np.ndarray,
    met: dict[tuple[int, int], np.ndarray],
    zones_left: np.ndarray,
    seats_left: np.ndarray,
    waiting: int,
) -> Sess | None:
    """Pick members for teacher t's session and a room; None when it cannot meet."""
    if k >= 0 and cp.mod_mix[m] == MIX_SAME_SKILL:
        idx = idx[prep.allowed[idx, k]]
    seen = met[(t, s)][idx] if (t, s) in met else np.zeros(idx.size, dtype=bool)
    order = np.lexsort(
        (
            rng.random(idx.size),
            -urgency[idx],
            -(cp.focus[idx, k] if k >= 0 else np.zeros(idx.size)).astype(float),
            -seen.astype(float),
        )
    )
    base = cp.session_features(m, s)
    # first try with everyone's room needs, then without learners who need features
    for strict in (False, True):
        chosen: list[int] = []
        limit = int(cp.mod_target[m])
        for i in map(int, idx[order]):
            if len(chosen) >= limit:
                break
            if strict and int(cp.learner_need_features[i]) & ~base:
                continue
            if int(cp.learner_max_group[i]) <= len(chosen):
                continue
            if any(int(cp.learner_max_group[c]) <= len(chosen) for c in chosen):
                break
            if prep.avoid.get(i, set()) & set(chosen):
                continue
            chosen.append(i)
        if len(chosen) < int(cp.mod_min[m]):
            return None
        feats = base
        for c in chosen:
            feats |= int(cp.learner_need_features[c])
        room = tightest_room(cp, b, len(chosen), feats, zones_left, seats_left)
        if room >= 0:
            zones_left[room] -= 1
            seats_left[room] -= len(chosen)
            if seats_for_rest(cp, b, zones_left, seats_left) >= waiting - len(chosen):
                return Sess(b, m, s, k, t, room, tuple(sorted(chosen)))
            zones_left[room] += 1  # it would leave learners without a seat: undo
            seats_left[room] += len(chosen)
    return None


def _still_valid(
    cp: CompiledProblem,
    prep: Prepared,
    old: Sess,
    free: np.ndarray,
    zones_left: np.ndarray,
    seats_left: np.ndarray,
    week: np.ndarray,
    day_led: np.ndarray,
) -> Sess | None:
    """Yesterday's session as it can meet today (members no longer allowed dropped), or None."""
    b, t, m, s, k, r = old.block, old.teacher, old.modality, old.subject, old.skill, old.room
    d = int(cp.block_day[b])
    if not (
        cp.teacher_available[t, b]
        and cp.teacher_modalities[t, m]
        and cp.mod_teacher[m]
        and week[t] < cp.teacher_max_week[t]
        and day_led[t, d] < cp.teacher_max_day[t]
        and (k < 0 or cp.teacher_can_skill[t, k])
        and (s < 0 or cp.teacher_subject[t, s])
        and bool(cp.mod_skill[m]) == (k >= 0)
    ):
        return None
    feats = cp.session_features(m, s)
    if (
        not cp.room_available[r, b]
        or zones_left[r] < 1
        or (int(cp.room_features[r]) & feats) != feats
    ):
        return None
    same = k >= 0 and cp.mod_mix[m] == MIX_SAME_SKILL
    members: list[int] = []
    for x in old.members:
        need = int(cp.learner_need_features[x])
        if (
            free[x]
            and not cp.learner_need_tags[x] & ~cp.teacher_tags[t]
            and (not same or prep.allowed[x, k])
            and (int(cp.room_features[r]) & need) == need
            and not prep.avoid.get(x, set()) & set(members)
        ):
            members.append(x)
    while members and min(int(cp.learner_max_group[x]) for x in members) < len(members):
        members.remove(min(members, key=lambda x: int(cp.learner_max_group[x])))
    size = len(members)
    if not cp.mod_min[m] <= size <= cp.mod_max[m] or seats_left[r] < size:
        return None
    zones_left[r] -= 1
    seats_left[r] -= size
    if seats_for_rest(cp, b, zones_left, seats_left) < int(free.sum()) - size:
        zones_left[r] += 1
        seats_left[r] += size
        return None
    return Sess(b, m, s, k, t, r, tuple(sorted(members)))
