"""Which focus skill each learner's standing group works on: a small integer program (CP-SAT).

Most learners list two or three focus skills in a subject, and a skill makes groups only when
enough learners sit in it: a learner whose one focus skill is shared by two others is
stranded when those two are sent to their other focus skills. Taking the most shared skill
first (the greedy split, :meth:`plsched.solvers.standing._Former.greedy_clusters`) stranded
about forty learners of math on the large preset whose skill three or more learners share.

The program, for one teacher-led goal (subject and modality): x[r, j] = 1 when learner r's
groups work on skill j (one of its focus skills it may attend), off[r] = 1 when it sits in a
group on another skill, f[j] of the learners off focus sit in groups on skill j (at most those
who may), and z[j, N] = 1 when skill j's groups hold N learners in all (N = 0 or lo..; one
boolean per size keeps the relaxation tight). Costs count learners away from the target at
one meeting (the unit of :func:`group_count`), per meeting:

    minimise  Σ_j M_j·Σ_N z[j, N]·cost(N) + Σ_r off_focus·meetings[r]·off[r] + 2·off_focus·lost
    s.t.      Σ_j x[r, j] + off[r] = 1,   Σ_N z[j, N] = 1,   Σ_r x[r, j] + f[j] = Σ_N N·z[j, N],
              Σ_j f[j] + lost = Σ_r off[r]

where cost(N) is the cheapest split of N into groups of lo..hi (learners away from target
plus ``per_group`` a group), M_j the mean meetings of the learners with j in focus, and lost
the learners off focus no group can seat. Which learner fills which group is left to the
caller. Skills no learner links are planned apart (:func:`focus_clusters`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from ortools.sat.python import cp_model
from scipy.sparse.csgraph import connected_components

__all__ = ["focus_clusters", "group_count"]

log = logging.getLogger(__name__)

#: Costs are scaled by this and rounded for CP-SAT, which takes integers.
UNIT = 10

#: A cluster takes at most this many groups' worth of learners off focus.
FILL_CAP = 2

#: CP-SAT's deterministic seconds for one goal's split, by default: from the annealed start,
#: 60-s solves at seeds 0-2 gave large 5,384 / 5,392 / 5,444 and campus 5,472 / 5,541 / 5,479
#: at 0.5, and 5,260 / 5,148 / 5,369 and 5,358 / 5,278 / 5,296 at 1.5.
CLUSTER_TIME = 1.5

#: Annealing tries per learner to place (:func:`_anneal`), and its first and last
#: temperatures, in learners away from a target at one meeting.
ANNEAL_MOVES = 400
ANNEAL_START = 3.0
ANNEAL_END = 0.05


def focus_clusters(
    focus: np.ndarray,
    may: np.ndarray,
    meetings: np.ndarray,
    *,
    lo: int,
    hi: int,
    target: int,
    per_group: float,
    off_focus: float,
    hint: np.ndarray | None = None,
    time_limit: float = CLUSTER_TIME,
) -> tuple[np.ndarray, np.ndarray]:
    """For R learners to place and J skills (``focus``: True where a learner may sit in a
    group on the skill as one of its focus skills; ``may``: where it may sit in one at all),
    the (R,) column each learner's group works on, -1 for learners off focus (and those with
    no focus skill), and the (J,) learners planned to sit off focus in each skill's groups.

    Skills that no learner links (as two of its focus skills) are planned apart, each set
    with the learners whose focus lies in it, in a share of ``time_limit`` by its size (CP-SAT
    in deterministic time, one worker: the same input gives the same plan); where CP-SAT
    finds nothing better, ``hint`` (an (R,) assignment, -1 off focus) completed stands."""
    n_rows, n_skills = focus.shape
    sizes = _Sizes(lo, hi, target, per_group, off_focus)
    out = np.full(n_rows, -1, dtype=np.int64)
    fill = np.zeros(n_skills, dtype=np.int64)
    if hint is None:
        hint = np.full(n_rows, -1, dtype=np.int64)
    rows, cols = np.nonzero(focus)
    if rows.size == 0:
        return out, fill
    hint = _anneal(focus, meetings, hint, sizes)
    # skills linked by a learner who has both in focus: a learner's first focus skill to each other
    first = np.full(n_rows, -1, dtype=np.int64)
    first[rows[::-1]] = cols[::-1]
    links = sp.csr_array((np.ones(rows.size), (first[rows], cols)), shape=(n_skills, n_skills))
    _, part = connected_components(links, directed=False)
    placed = np.unique(rows)
    for p in np.unique(part[cols]):
        skills = np.flatnonzero(part == p)
        members = np.flatnonzero(focus[:, skills].any(axis=1))
        share = time_limit * members.size / placed.size
        sub_hint = np.searchsorted(skills, hint[members])
        sub_hint = np.where(np.isin(hint[members], skills), sub_hint, -1)
        on, part_fill = _solve(
            focus[np.ix_(members, skills)],
            may[np.ix_(members, skills)],
            meetings[members],
            sub_hint,
            sizes,
            share,
        )
        out[members] = np.where(on >= 0, skills[np.maximum(on, 0)], -1)
        fill[skills] = part_fill
    log.debug(
        "focus clusters: %d learners, %d skills, %d off focus",
        placed.size,
        np.unique(cols).size,
        int((out[placed] < 0).sum()),
    )
    return out, fill


@dataclass(frozen=True)
class _Sizes:
    """A goal's group sizes and the costs the program weighs (see :func:`focus_clusters`)."""

    lo: int
    hi: int
    target: int
    per_group: float
    off_focus: float


def _solve(
    focus: np.ndarray,
    may: np.ndarray,
    meetings: np.ndarray,
    hint: np.ndarray,
    sz: _Sizes,
    time_limit: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The program of the module docstring for learners who all have a focus skill."""
    lo, hi, target, per_group, off_focus = sz.lo, sz.hi, sz.target, sz.per_group, sz.off_focus
    n_rows, n_skills = focus.shape
    rows, cols, meet, members, skill_meet = _skill_meetings(focus, meetings)
    fillers = (may & ~focus).sum(axis=0)
    start = _complete(hint, focus, may, sz)

    model = cp_model.CpModel()
    x = {(int(r), int(j)): model.new_bool_var("") for r, j in zip(rows, cols, strict=True)}
    off = [model.new_bool_var("") for _ in range(n_rows)]
    by_learner: dict[int, list[cp_model.IntVar]] = {}
    by_skill: dict[int, list[cp_model.IntVar]] = {}
    for (r, j), v in x.items():
        by_learner.setdefault(r, []).append(v)
        by_skill.setdefault(j, []).append(v)
        model.add_hint(v, int(start[0][r]) == j)
    cost: list[cp_model.LinearExprT] = []
    for r, v in enumerate(off):
        model.add_exactly_one([*by_learner[r], v])
        model.add_hint(v, int(start[0][r]) < 0)
        cost.append(round(UNIT * off_focus * meet[r]) * v)
    seated: list[tuple[int, cp_model.IntVar]] = []
    for j in np.flatnonzero(members).tolist():
        # the cluster's size N, one boolean per value (a tight relaxation), and its groups'
        # cheapest cost at that size
        most = int(members[j] + min(int(fillers[j]), FILL_CAP * hi))
        f = model.new_int_var(0, int(fillers[j]), "")
        sizes = [0, *range(lo, most + 1)]
        pick = [model.new_bool_var("") for _ in sizes]
        model.add_exactly_one(pick)
        model.add(sum(by_skill[j]) + f == sum(n * z for n, z in zip(sizes, pick, strict=True)))
        seated.append((j, f))
        start_size = int((start[0] == j).sum() + start[1][0, j])
        for n, z in zip(sizes, pick, strict=True):
            price = _cluster_cost(n, lo, hi, target, per_group)
            if price is None:
                model.add(z == 0)
                continue
            cost.append(round(UNIT * price * skill_meet[j]) * z)
            model.add_hint(z, n == start_size)
        model.add_hint(f, int(start[1][0, j]))
    # every learner off focus sits in some group; one no group here can seat costs double
    lost = model.new_int_var(0, n_rows, "")
    model.add(sum(f for _, f in seated) + lost == sum(off))
    model.add_hint(lost, int(start[2]))
    cost.append(round(2 * UNIT * off_focus * float(meet.max())) * lost)
    model.minimize(sum(cost))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = max(0.01, time_limit)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fill = start[1][0].copy()
        return start[0], fill
    on = np.full(n_rows, -1, dtype=np.int64)
    for (r, j), v in x.items():
        if solver.boolean_value(v):
            on[r] = j
    fill = np.zeros(n_skills, dtype=np.int64)
    for j, f in seated:
        fill[j] = solver.value(f)
    return on, fill


def _skill_meetings(
    focus: np.ndarray, meetings: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The (row, skill) focus pairs, each learner's meetings (at least 1), each skill's
    learners with it in focus and their mean meetings."""
    rows, cols = np.nonzero(focus)
    meet = np.maximum(meetings.astype(np.float64), 1.0)
    members = np.bincount(cols, minlength=focus.shape[1])
    skill_meet = np.bincount(cols, weights=meet[rows], minlength=focus.shape[1])
    return rows, cols, meet, members, skill_meet / np.maximum(members, 1)


def _anneal(
    focus: np.ndarray, meetings: np.ndarray, hint: np.ndarray, sz: _Sizes, seed: int = 0
) -> np.ndarray:
    """A cheaper start for the program: simulated annealing over each learner's choice, one of
    its focus skills or off focus, ``ANNEAL_MOVES`` tries per learner (seeded: the same input
    gives the same start).

    It prices a choice as the program does, without the fillers: a skill's learners at the
    cheapest cost of their groups (:func:`_cluster_cost`, times the skill's mean meetings), a
    skill with too few for a group as all of them off focus (as :func:`_complete` sends them),
    a learner off focus at its off-focus cost. One learner moved at a time changes two
    skills' counts, so a move is priced from two table lookups; the program alone, started
    from the greedy split, had not reached what this finds in its half second (large,
    science workshops of 12: 202 learners away from a target in 89 groups; from this start 36
    in 82)."""
    lo, hi, target, per_group, off_focus = sz.lo, sz.hi, sz.target, sz.per_group, sz.off_focus
    n_rows, n_skills = focus.shape
    rows, _, meet, members, skill_meet = _skill_meetings(focus, meetings)
    price = np.zeros(int(members.max(initial=0)) + 2)
    for n in range(1, price.size):
        cost = _cluster_cost(n, lo, hi, target, per_group)
        price[n] = off_focus * n if cost is None else cost
    on = np.where((hint >= 0) & focus[np.arange(n_rows), np.maximum(hint, 0)], hint, -1)
    count = np.bincount(on[on >= 0], minlength=n_skills)
    movable = np.unique(rows)
    choices = [[*np.flatnonzero(focus[r]).tolist(), -1] for r in range(n_rows)]
    moves = ANNEAL_MOVES * movable.size
    rng = np.random.default_rng(seed)
    who = movable[rng.integers(0, movable.size, moves)].tolist()
    pick, coin = rng.random(moves).tolist(), rng.random(moves).tolist()
    # temperature from a few learners away from a target down to a small fraction of one
    cooling = (ANNEAL_END / ANNEAL_START) ** (1.0 / max(1, moves))
    heat = ANNEAL_START
    on_list, count_list = on.tolist(), count.tolist()
    meet_list, skill_list, price_list = meet.tolist(), skill_meet.tolist(), price.tolist()
    now = best = 0.0
    best_on = list(on_list)
    for r, u, v in zip(who, pick, coin, strict=True):
        heat *= cooling
        a = on_list[r]
        options = choices[r]
        b = options[int(u * len(options))]
        if a == b:
            continue
        if a >= 0:
            change = skill_list[a] * (price_list[count_list[a] - 1] - price_list[count_list[a]])
        else:
            change = -off_focus * meet_list[r]
        if b >= 0:
            change += skill_list[b] * (price_list[count_list[b] + 1] - price_list[count_list[b]])
        else:
            change += off_focus * meet_list[r]
        if change > 0 and v >= math.exp(-change / heat):
            continue
        if a >= 0:
            count_list[a] -= 1
        if b >= 0:
            count_list[b] += 1
        on_list[r] = b
        now += change
        if now < best - 1e-9:
            best = now
            best_on = list(on_list)
    return np.asarray(best_on, dtype=np.int64)


def _complete(
    hint: np.ndarray, focus: np.ndarray, may: np.ndarray, sz: _Sizes
) -> tuple[np.ndarray, np.ndarray, int]:
    """A whole solution of the program from an assignment: clusters below ``lo`` go off
    focus, each cluster gets its cheapest group count, and every learner off focus fills the
    group it may sit in that is furthest below its target. Returns the assignment, the (3, J)
    fillers, groups and learners away from target, and the learners left unseated."""
    lo, hi, target, per_group = sz.lo, sz.hi, sz.target, sz.per_group
    n_rows, n_skills = focus.shape
    on = np.where((hint >= 0) & focus[np.arange(n_rows), np.maximum(hint, 0)], hint, -1)
    sizes = np.bincount(on[on >= 0], minlength=n_skills)
    on[(on >= 0) & (sizes[np.maximum(on, 0)] < lo)] = -1
    sizes = np.bincount(on[on >= 0], minlength=n_skills)
    groups = np.zeros(n_skills, dtype=np.int64)
    for j in np.flatnonzero(sizes):
        groups[j] = group_count(int(sizes[j]), lo, hi, target, per_group)
        if not groups[j]:  # no groups of lo..hi hold them all: off focus
            on[on == j] = -1
            sizes[j] = 0
    fill = np.zeros(n_skills, dtype=np.int64)
    lost = 0
    for r in np.flatnonzero(on < 0):
        room = (groups * hi - sizes - fill).astype(np.float64)
        ok = may[r] & ~focus[r] & (room > 0)
        if not ok.any():
            lost += 1
            continue
        below = np.where(ok, groups * target - sizes - fill, -np.inf)
        fill[int(np.argmax(below))] += 1
    away = np.abs(sizes + fill - groups * target)
    return on, np.vstack([fill, groups, away]), lost


def group_count(n: int, lo: int, hi: int, target: int, per_group: float = 0.0) -> int:
    """How many sessions of lo..hi hold n learners at the least cost, 0 if none can: each
    learner away from the target costs 1, each session ``per_group`` (a teacher's time)."""
    counts = range(max(1, -(-n // hi)), n // max(1, lo) + 1)
    return min(counts, key=lambda g: (abs(n - g * target) + per_group * g, g), default=0)


def _cluster_cost(n: int, lo: int, hi: int, target: int, per_group: float) -> float | None:
    """The cheapest groups of lo..hi for n learners, per meeting: learners away from the
    target plus ``per_group`` a group (0 for no learners; None when no split fits)."""
    if n == 0:
        return 0.0
    g = group_count(n, lo, hi, target, per_group)
    return abs(n - g * target) + per_group * g if g else None
