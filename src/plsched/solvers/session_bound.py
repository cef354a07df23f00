"""A lower bound from counting whole sessions: one integer program per subject (HiGHS).

The per-learner and LP bounds (:mod:`plsched.solvers.bound`, :mod:`plsched.solvers.lp_bound`)
let a learner sit in a fraction of a session. Here sessions are counted in whole numbers, so a
learner whose focus skill no one else shares is seen to pay: either it sits off focus, or a
session of at least ``min_size`` learners meets on its skill and the others in it sit off focus,
and sizes away from ``target_size`` cost.

The relaxation of subject s. Let M be the modalities that are teacher-required and skill-focus
(the only ones with off_focus minutes), τ a block length and N_τ the blocks of that length. Block
identity is dropped except for τ. All variables are integers ≥ 0 (shortfalls and size costs may
be fractional: their optimum is integral when the others are):

- ``c[k, m, τ]`` sessions of skill k (of s) and modality m in blocks of length τ, ``S`` their
  seats, ``d`` their group_size cost: ``min·c ≤ S ≤ max·c``, ``d ≥ ±(S − target·c)``.
- ``y[l, k, m, τ]`` blocks of length τ in which learner l sits in such a session with k one of
  its focus skills; ``o[l, k, m, τ]`` blocks in which a learner with a focus in s sits in such
  a session on a skill k it may attend and has not in focus (for a modality whose mix is not
  same_skill, ``o[l, m, τ]``, whatever the skill); ``p[l, m, τ]`` the same for a learner with
  no focus in s and a goal of (s, m); ``free[m, τ]`` the seats of every other learner with no
  focus in s.
- Goals g = (l, s, m): ``short_g ≥ minutes_g − Σ_τ τ·(Σ_k y + o + p)``.
- Cost: ``W_goal·Σ short + W_focus·Σ τ·o + W_size·Σ d``.

Why it is a relaxation. Take any plan that keeps the hard rules and count, from its sessions of
subject s whose modality is in M, every variable above for what it names (``d`` the plan's own
group_size of those sessions, ``short`` its shortfall of those goals). Each row holds:

- a variable counts only what the plan can hold: a session of (k, m) at block b needs a teacher
  who leads m, is qualified for k and is available (rule 2), a room with the features of m and s
  (rule 3), ``min_size`` learners available who may attend k (rules 4 and 5); a learner sits in
  it only when available, the teacher carries its needed tags, its ``max_group_size`` allows
  ``min_size`` (rule 8) and, in a same_skill session, k is allowed to it (rule 5). The upper
  bound of each variable counts the blocks where all of that holds;
- a learner is in one session per block (rule 1), so over the blocks of length τ: it is in at
  most ``c`` sessions of (k, m) (``y ≤ c``, ``o ≤ c``) and at most Σ_k c sessions of m (over
  the skills it may attend), in at most as many sessions as it has available blocks, and every
  seat is one (learner, block) pair: the seats of learners with no focus in s are at most their
  available blocks, and a seat of a same_skill session on k held by a learner without k in
  focus is, when it has a focus in s, one of its sittings off focus on k (rule 5 allows it k),
  so S − Σ_l y ≤ Σ_l o[l, k] + the available blocks of the learners allowed k with no focus
  in s. Counted only in Σ_k S, the minutes off focus of a learner whose focus no one shares
  filled groups on skills it may not attend, and one minute filled several skills' groups:
  on the large preset the joint bound was 1,716 with the fillers only within their available
  blocks, 1,896 with them within the sittings off focus of those who may attend, and 1,965
  with those sittings counted by skill;
- the seats of a session are its learners: Σ_k S = Σ y + Σ o + Σ p + free, and S ≥ Σ_l y;
- sizes lie within the modality's bounds (rule 4), and Σ_i |n_i − target| ≥ |Σ_i n_i −
  target·c| (triangle inequality), so the plan's group_size of these sessions is ≥ ``d``'s rows;
- teachers: the sessions whose qualified teachers all lie in a set U (for U the teachers
  qualified for some (k, m), and all of them) are at most Σ_{t∈U} of t's sessions a week
  (``max_sessions_per_week``, and ``max_sessions_per_day`` over its available blocks of each
  day), per block length and in all (rule 2);
- rooms: sessions of m are at most the zones, and their seats at most the capacity, of the
  rooms open with m's and s's features, summed over the blocks of length τ (rule 3);
- a goal's delivered minutes are exactly Σ_τ τ·(its learner's y + o + p for m), and the plan's
  off_focus minutes in s are exactly Σ τ·o (docs/objective.md).

So the plan's point is feasible, and its cost there is exactly the plan's goal_shortfall of
the goals of (s, M), off_focus in s and group_size of those sessions. Different subjects have
disjoint sessions and goals, so Σ_s (a proven lower bound of subject s's optimum) plus a lower
bound on the goals left out (modalities outside M and null subjects; the caller uses the
per-learner bound of those goals) is a lower bound of every plan's scaled objective; the other
terms are non-negative.

Solving. HiGHS (``scipy.optimize.milp``) solves every subject's LP relaxation first (about a
second for all subjects of 2,000 learners), then, in the time left, the MILP of the subjects
whose model is small (``MAX_MILP_COLUMNS``: hand-sized schools, a morning of 20 learners),
counted when HiGHS solves it (its dual bound is valid when the clock stops it too, but then
depends on the machine's speed). Larger models keep the LP: their MILPs gained at most a few
per cent, took seconds to minutes, and HiGHS overran its time limit on them. The plan's cost
at its point is an integer combination of the cost coefficients, hence a multiple of their
greatest common divisor g (100 with the default weights), so the bound, less a relative
margin of 1e-6 for floating point, is rounded up to a multiple of g.

Crowding: too few zones for the learners working alone (:func:`crowding_floor`). Every
learner available at block b is in exactly one session (rule 1), N_b of them, and every session
takes a zone of a room open at b, whose sessions hold at most its capacity (rule 3). Give each
session S an allowance a_S: its modality's max_size for a teacher-led skill-focus session
(whose group_size the subjects' models count, or nothing does: 0 ≥ n − max), its target_size
for any other (teacherless, or teacher-led without skill focus: no other part of the session
bound counts their group_size, and |n − target| ≥ n − target). So the group_size G_b of the
latter is ≥ Σ_S max(0, n_S − a_S) ≥ Σ_r max(0, n_r − A_r) (n_r, A_r: learners and allowances
of room r's sessions) ≥ N_b − Σ_r min(cap_r, A_r), as n_r ≤ cap_r. With t* the largest
target_size of a teacherless modality (0 if none), A_r ≤ t*·zones_r + x_r, x_r = Σ over its
teacher-led S of (a_S − t*)⁺, so Σ_r min(cap_r, A_r) ≤ Σ_r min(cap_r, t*·zones_r) +
min(Σ_r x_r, Σ_r (cap_r − t*·zones_r)⁺). Σ_r x_r is at most the greedy fill (largest
(a_m − t*)⁺ first) of the teacher-led sessions that can meet: those of modality m at most its
available leaders and the zones of the open rooms with m's features, all of them at most the
available teachers and the open zones. So every plan pays at least Σ_b max(0, N_b − those
seats) raw group_size, in sessions disjoint from those the subjects' models count, and none of
it is goal_shortfall or off_focus: :func:`~plsched.solvers.bound.lower_bound` adds W_size times
it to the session bound and to the per-learner bound (which counts no group_size).

Sittings: a goal of m minutes, met in blocks of at most τ minutes (the longest block its
learner is available in), needs q = ⌈m/τ⌉ sittings; with q − j of them it is short by at least
m − τ·(q − j) = r + τ·(j − 1) ≥ j·r minutes (r = m − τ·(q − 1)), so every plan keeps
sittings + short/r ≥ q. The LP, which may cover 150 minutes with 2.5 sittings of 60, cannot.

Length classes: with more than ``MAX_LENGTH_CLASSES`` block lengths, τ stands for a class of
consecutive lengths (:func:`length_classes`) rather than one length. Every row that counts
blocks counts those of the class; a sitting delivers the class's longest block (goal minutes
and the sittings cut: a plan's delivered minutes are at most that) and costs off_focus at its
shortest (a plan's minutes off focus are at least that), so each plan's point still keeps every
row and costs at most what the plan pays. A 1,200-learner school with blocks of 40, 45, 60 and
90 minutes, one class per length: no subject's LP solved within its share (5.4 s) and the
joint LP (94,000 columns) not within a minute, so the bound fell to the per-learner 276; in
two classes, 1.9 s for the subjects, 9.3 s for the joint LP (50,000 columns), and 546.

Joint (:func:`joint_lower_bound`). The subjects' models above count every subject's sessions
as if its teachers led nothing else, and no part counts load_balance. The joint relaxation puts
the subjects' models (rows unchanged) in one LP with:

- the teacher-led modalities without skill focus that a goal asks for (:func:`plain_led`:
  conferences, community meetings): ``n[m, τ]`` sessions of m whatever their subject, ``S``
  their seats, ``d`` their group_size and ``z[g, τ]`` the sittings of each goal g of m, with
  the rows of the subjects' models (sizes within bounds, d ≥ ±(S − target·n), zones and seats
  of the rooms with m's features, a learner only where a teacher of m with its tags is
  available and its max_group_size allows min_size, delivered minutes, sittings), and S ≥ Σ z
  (other learners may fill seats);
- teachers: ``x[t, C, τ]`` sessions of class C in blocks of length τ led by teacher t, for
  the t of C's teachers (a class: the counted sessions that the same teachers may lead, rule
  2), Σ_t x = C's sessions, a teacher's x within its sessions a week in blocks of each length
  and in all, and ``over[t] ≥ Σ x[t] − fair(t)`` at the load_balance weight;
- zones and seats, summed over the blocks of each length: every session takes a zone of an
  open room (rule 3), so the counted sessions and ``p`` others (teacherless, and any kind
  not counted) take at most the open zones; every learner available at a block sits in one
  session (rule 1), so the counted sessions' seats and the others' ``Q`` are the learners
  present; the others' group_size is at least Q − A·p and t·p − Q (A, t: the largest and the
  least target_size of their modalities; Σ|n − target| ≥ |Σ n − Σ target|).

Why it is a relaxation: take a plan, count the subjects' variables as above, n, S, d and z
from its sessions of the plain-led modalities (d ≥ the rows by the triangle inequality), x
from which teacher leads each counted session, and over[t] = max(0, sessions(t) − fair(t)),
at least the row's, as sessions(t) counts every session t leads and Σ x[t] only the counted
ones; p, Q and the others' d from its other sessions. Every row holds, and the cost there is
the plan's goal_shortfall of the counted goals, its off_focus, its load_balance
(docs/objective.md: Σ_t max(0, sessions(t) − fair(t))) and the group_size of all its
sessions, at most. The goals left out (teacherless modalities) get the per-learner bound; the
crowding floor is not added (the zones rows count those sessions). On the large preset it
proves 1,965 where the subjects' models prove 1,525 (teachers of one subject are short where
the whole school is not), on xl 2,390 where the other bounds prove 630 (zones); it takes 8-27
s on 1,000-2,000 learners (66,000-77,000 columns), which is why plsched.solve runs it beside
the search. A row per learner and block length over all its sittings (rule 1 across
subjects) changed no bound on the presets and tripled the time: left out.

What it leaves out: the teacher-led sessions a plan holds for its goals and whose allowance is
below t* (a small_group of at most 8 takes a zone that could seat 12) are not counted, as a plan
may pay the shortfall instead. Counting them needs the shortfall and the crowding in one model,
and even then teachers left idle may lead sessions of allowance above t* (community at 16):
on the campus preset (seed 2) the open rooms seat, at t*, about 230 learners more than are
present in every block, and Σ_b (N_b − t*·Z_b) is −7,454 (instances/campus.json: −10,969), more
than a linear coupling over a week's sessions recovers (measured: a variant pricing every
skill-focus session at t* + e − max_m, e = 4, went to −2,056,000 on that preset).
"""

from __future__ import annotations

import itertools
import logging
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from plsched.compiled import MIX_SAME_SKILL, CompiledProblem
from plsched.solvers.cpsat.candidates import Prepared

__all__ = [
    "SESSION_SHARE",
    "SubjectBound",
    "crowding_floor",
    "session_goals",
    "session_lower_bounds",
]

log = logging.getLogger(__name__)

#: At most this many teacher sets U get their own capacity rows per subject (the largest first).
MAX_TEACHER_SETS = 200

#: Classes of block lengths the models keep apart, at most (module docstring, "Length
#: classes"): a school with four lengths made LPs that HiGHS did not solve in a minute.
MAX_LENGTH_CLASSES = 2

#: Subjects whose model has more columns get the LP relaxation only. Measured: models of a few
#: hundred columns (the tiny preset, hand-sized schools) solve in 0.03 s, 942 columns in 1 s;
#: the small preset's 1,400 to 3,700 columns took from 0.1 s to more than 10 s, for at most 2 %
#: over the LP (a bound cut short by the clock is not used, see session_lower_bounds); and
#: HiGHS checks its time limit only between the phases of its root node, which overran it by
#: up to 1.7 s on 5,000 to 7,500 columns and 11 s on whole schools (12,000 and more).
MAX_MILP_COLUMNS = 1000

#: The session bound's share of :func:`~plsched.solvers.bound.lower_bound`'s time limit (the
#: time its LP relaxations leave goes to the small MILPs; the rest, to the LP bound). Its LPs
#: took 2.6-4.8 s on xl and large, and 6.9 s on a 1,196-learner school of another shape, whose
#: math LP ran out of 7.5 s (half of 15) beside the joint bound and left the LP bound's 324
#: stated, where the session bound proves 1,156.
SESSION_SHARE = 0.7

#: A MILP given less time than this is not started.
MIN_MILP_SECONDS = 0.2


@dataclass(frozen=True)
class SubjectBound:
    """What the session relaxation of one subject proves."""

    subject: int
    scaled: int | None  # a bound on the subject's share of the scaled objective; None: none
    lp_scaled: int | None  # what the LP relaxation alone proves
    columns: int
    rows: int


def session_goals(cp: CompiledProblem) -> np.ndarray:
    """(G,) the goals the relaxation counts: a subject, and a teacher-led skill-focus modality."""
    m = cp.goal_modality
    return np.asarray((cp.goal_subject >= 0) & cp.mod_teacher[m] & cp.mod_skill[m], dtype=bool)


def crowding_floor(cp: CompiledProblem) -> np.ndarray:
    """(B,) the raw group_size that every plan pays at each block in sessions whose group_size
    the subjects' models do not count: learners beyond what the open rooms' zones and
    capacities seat within the sessions' allowances (module docstring, "Crowding")."""
    alone = ~cp.mod_teacher
    base = int(cp.mod_target[alone].max()) if alone.any() else 0
    allowance = np.where(cp.mod_teacher & cp.mod_skill, cp.mod_max, cp.mod_target)
    excess = allowance.astype(np.int64) - base
    led = np.flatnonzero(cp.mod_teacher & (excess > 0))
    led = led[np.argsort(-excess[led], kind="stable")]
    open_rooms = cp.room_available.astype(np.int64)  # (R, B)
    open_zones = (cp.room_zones[:, None] * open_rooms).sum(axis=0)
    seated = (np.minimum(cp.room_capacity, base * cp.room_zones)[:, None] * open_rooms).sum(axis=0)
    spare = (np.maximum(0, cp.room_capacity - base * cp.room_zones)[:, None] * open_rooms).sum(
        axis=0
    )
    extra = np.zeros(cp.n_blocks, dtype=np.int64)
    if led.size:
        t_avail = cp.teacher_available.astype(np.int64)
        left = np.minimum(
            t_avail[cp.teacher_modalities[:, led].any(axis=1)].sum(axis=0), open_zones
        )
        for m in led:
            zones = _open_rooms(cp, int(cp.mod_features[m]))[0]
            take = np.minimum(
                np.minimum(t_avail[cp.teacher_modalities[:, m]].sum(axis=0), zones), left
            )
            extra += take * excess[m]
            left -= take
    present = cp.learner_available.sum(axis=0).astype(np.int64)
    floor: np.ndarray = np.maximum(0, present - seated - np.minimum(extra, spare))
    return floor


@dataclass
class _Model:
    """A MILP under construction: columns with bounds [0, ub], rows lo ≤ A·x ≤ hi."""

    ub: list[np.ndarray] = field(default_factory=list)
    cost: list[np.ndarray] = field(default_factory=list)
    integer: list[np.ndarray] = field(default_factory=list)
    lo: list[np.ndarray] = field(default_factory=list)
    hi: list[np.ndarray] = field(default_factory=list)
    entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    n_cols: int = 0
    n_rows: int = 0

    def cols(
        self, ub: np.ndarray, cost: float | np.ndarray = 0.0, integer: bool = True
    ) -> np.ndarray:
        ub = np.asarray(ub, dtype=np.float64).ravel()
        idx = np.arange(self.n_cols, self.n_cols + ub.size)
        self.ub.append(ub)
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=np.float64), ub.shape).copy())
        self.integer.append(np.full(ub.size, int(integer), dtype=np.uint8))
        self.n_cols += ub.size
        return idx

    def rows(self, n: int, lo: float | np.ndarray, hi: float | np.ndarray) -> np.ndarray:
        idx = np.arange(self.n_rows, self.n_rows + n)
        self.lo.append(np.broadcast_to(np.asarray(lo, dtype=np.float64), (n,)).copy())
        self.hi.append(np.broadcast_to(np.asarray(hi, dtype=np.float64), (n,)).copy())
        self.n_rows += n
        return idx

    def add(self, rows: np.ndarray, cols: np.ndarray, coefs: float | np.ndarray) -> None:
        rows, cols = np.asarray(rows).ravel(), np.asarray(cols).ravel()
        self.entries.append((rows, cols, np.broadcast_to(np.asarray(coefs, float), rows.shape)))

    def matrix(self) -> sp.csr_array:
        if not self.entries:
            return sp.csr_array((self.n_rows, self.n_cols))
        r, c, v = (np.concatenate(parts) for parts in zip(*self.entries, strict=True))
        return sp.csr_array((v, (r, c)), shape=(self.n_rows, self.n_cols))


@dataclass(frozen=True)
class _Shared:
    """What every subject's model reads: block lengths, availability and capacities per length."""

    tau: np.ndarray  # (J,) the length classes' longest block (minutes)
    tau_lo: np.ndarray  # (J,) the length classes' shortest block (minutes)
    block_j: np.ndarray  # (B,) the length class of each block
    avail_j: np.ndarray  # (L, J) learner's available blocks per length
    peers: np.ndarray  # (K, B) learners available who may attend k in a same_skill session
    present: np.ndarray  # (B,) learners available
    cap_j: np.ndarray  # (T, J) a teacher's sessions a week in blocks of each length, at most
    cap: np.ndarray  # (T,) a teacher's sessions a week, at most


def length_classes(minutes: np.ndarray, most: int) -> np.ndarray:
    """(B,) a class per block: one per distinct length, or, with more than ``most`` lengths,
    ``most`` runs of consecutive lengths, cut where the fewest block-minutes lie between a
    class's shortest and longest block (module docstring, "Length classes")."""
    lengths, block_j, count = np.unique(minutes, return_inverse=True, return_counts=True)
    if lengths.size <= most:
        return np.asarray(block_j, dtype=np.int64)
    best: tuple[float, tuple[int, ...]] | None = None
    for cuts in itertools.combinations(range(1, lengths.size), most - 1):
        edges = (0, *cuts, lengths.size)
        spread = sum(
            float(count[a:b] @ (lengths[b - 1] - lengths[a:b]))
            for a, b in itertools.pairwise(edges)
        )
        if best is None or spread < best[0]:
            best = (spread, edges)
    assert best is not None
    of_length = np.zeros(lengths.size, dtype=np.int64)
    for c, (a, b) in enumerate(itertools.pairwise(best[1])):
        of_length[a:b] = c
    return of_length[block_j]


def _shared(cp: CompiledProblem, prep: Prepared, most: int = MAX_LENGTH_CLASSES) -> _Shared:
    block_j = length_classes(cp.block_minutes, most)
    n_classes = int(block_j.max(initial=-1)) + 1
    tau = np.array([cp.block_minutes[block_j == j].max() for j in range(n_classes)])
    tau_lo = np.array([cp.block_minutes[block_j == j].min() for j in range(n_classes)])
    onehot = np.zeros((cp.n_blocks, tau.size), dtype=np.float32)
    onehot[np.arange(cp.n_blocks), block_j] = 1.0
    avail = cp.learner_available.astype(np.float32)
    n_days = len(cp.day_ids)
    t_avail = cp.teacher_available.astype(np.int64)
    per_day_j = np.zeros((cp.n_teachers, n_days, tau.size), dtype=np.int64)
    for d in range(n_days):
        for j in range(tau.size):
            per_day_j[:, d, j] = t_avail[:, (cp.block_day == d) & (block_j == j)].sum(axis=1)
    max_day = cp.teacher_max_day[:, None, None]
    cap_j = np.minimum(np.minimum(per_day_j, max_day).sum(axis=1), cp.teacher_max_week[:, None])
    per_day = np.minimum(per_day_j.sum(axis=2), cp.teacher_max_day[:, None]).sum(axis=1)
    return _Shared(
        tau=tau.astype(np.int64),
        tau_lo=tau_lo.astype(np.int64),
        block_j=block_j,
        avail_j=np.rint(avail @ onehot).astype(np.int64),
        peers=prep.allowed.astype(np.float32).T @ avail,
        present=avail.sum(axis=0),
        cap_j=cap_j,
        cap=np.minimum(per_day, cp.teacher_max_week),
    )


def _open_rooms(cp: CompiledProblem, features: int) -> tuple[np.ndarray, np.ndarray]:
    """(B,) zones and (B,) seats of the open rooms that have every feature of ``features``."""
    rooms = (cp.room_features & features) == features
    open_rooms = cp.room_available[rooms]
    zones: np.ndarray = (cp.room_zones[rooms, None] * open_rooms).sum(axis=0)
    seats: np.ndarray = (cp.room_capacity[rooms, None] * open_rooms).sum(axis=0)
    return zones, seats


def _per_length(mask: np.ndarray, sh: _Shared) -> np.ndarray:
    """(..., B) → (..., J): sums over the blocks of each length."""
    out = np.zeros((*mask.shape[:-1], sh.tau.size), dtype=np.int64)
    for j in range(sh.tau.size):
        out[..., j] = mask[..., sh.block_j == j].sum(axis=-1)
    return out


@dataclass
class _Cols:
    """Learner-side columns of one kind (y, o or p): learner, local modality, local skill (y
    only, else -1), length class, column."""

    parts: list[tuple[np.ndarray, ...]] = field(default_factory=list)

    def put(self, l: np.ndarray, mi: int, k: np.ndarray | None, j: int, col: np.ndarray) -> None:
        n = l.size
        kk = np.full(n, -1, dtype=np.int64) if k is None else k.astype(np.int64)
        self.parts.append((l.astype(np.int64), np.full(n, mi), kk, np.full(n, j), col))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if not self.parts:
            e = np.zeros(0, dtype=np.int64)
            return e, e, e, e, e
        l, m, k, j, col = (
            np.concatenate(x).astype(np.int64) for x in zip(*self.parts, strict=True)
        )
        return l, m, k, j, col


@dataclass
class _Subject:
    """Subject s's model under construction, and the column indices its rows refer to."""

    s: int
    skills: np.ndarray  # (K,) global skill ids of s
    mods: list[int]  # teacher-led skill-focus modalities (local index mi)
    c: np.ndarray  # (K, M, J) column of c[k, m, τ], -1 where no session can meet
    seats: np.ndarray  # (K, M, J) column of S[k, m, τ]
    total: np.ndarray  # (M, J) column of C[m, τ] = Σ_k c[k, m, τ]
    lp: _Model = field(default_factory=_Model)
    y: _Cols = field(default_factory=_Cols)
    o: _Cols = field(default_factory=_Cols)
    p: _Cols = field(default_factory=_Cols)
    teams: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (T,), (J,) c cols


def _size_rows(
    lp: _Model, c: np.ndarray, size: np.ndarray, d: np.ndarray, lo: int, hi: int, target: int
) -> None:
    """Sessions c, seats S and group_size d, column by column: min·c ≤ S ≤ max·c and
    d ≥ ±(S − target·c)."""
    for coef, low, high in ((lo, 0.0, np.inf), (hi, -np.inf, 0.0)):
        r = lp.rows(c.size, low, high)
        lp.add(r, size, 1.0)
        lp.add(r, c, -float(coef))
    for sign in (1.0, -1.0):
        r = lp.rows(c.size, 0.0, np.inf)
        lp.add(r, d, 1.0)
        lp.add(r, size, -sign)
        lp.add(r, c, sign * target)


def _sessions(
    sub: _Subject, cp: CompiledProblem, sh: _Shared, mi: int, w_size: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """c, S and d of modality mods[mi], their size rows and room rows. Returns the (K, B) blocks
    where a session of k could meet and the (T, K) teachers who may lead it (None: nowhere)."""
    lp, m, s, skills = sub.lp, sub.mods[mi], sub.s, sub.skills
    lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
    can = cp.teacher_modalities[:, m][:, None] & cp.teacher_can_skill[:, skills]  # (T, K)
    n_teach = can.T.astype(np.float32) @ cp.teacher_available.astype(np.float32)  # (K, B)
    zones, seats = _open_rooms(cp, cp.session_features(m, s))
    if cp.mod_mix[m] == MIX_SAME_SKILL:
        peers = sh.peers[skills] >= lo
    else:
        peers = np.broadcast_to(sh.present >= lo, (skills.size, cp.n_blocks))
    ok = (n_teach > 0) & peers & (zones > 0)[None, :]
    ub = _per_length(np.where(ok, np.minimum(n_teach, zones[None, :]), 0), sh)  # (K, J)
    kk, jj = np.nonzero(ub > 0)
    if kk.size == 0:
        return None
    c = sub.c[kk, mi, jj] = lp.cols(ub[kk, jj])
    size = sub.seats[kk, mi, jj] = lp.cols(ub[kk, jj] * hi)
    d = lp.cols(ub[kk, jj] * hi, w_size, integer=False)
    _size_rows(lp, c, size, d, lo, hi, target)
    n_j = sh.tau.size
    sub.total[mi] = lp.cols(ub.sum(axis=0))  # C[m, τ] = Σ_k c
    r = lp.rows(n_j, 0.0, 0.0)
    lp.add(r, sub.total[mi], 1.0)
    lp.add(r[jj], c, -1.0)
    for cols, cap in ((c, _per_length(zones, sh)), (size, _per_length(seats, sh))):  # rule 3
        r = lp.rows(n_j, -np.inf, cap.astype(np.float64))
        lp.add(r[jj], cols, 1.0)
    for k in np.unique(kk):
        sub.teams.append((can[:, k], sub.c[k, mi]))
    return ok, can


def _learners(
    sub: _Subject,
    cp: CompiledProblem,
    prep: Prepared,
    sh: _Shared,
    mi: int,
    where: tuple[np.ndarray, np.ndarray],
    w_focus: float,
) -> None:
    """y, o and p of modality mods[mi], each bounded by the blocks where it could happen."""
    lp, m, skills = sub.lp, sub.mods[mi], sub.skills
    ok, can = where
    n_l = cp.n_learners
    live = np.asarray((sub.c[:, mi] >= 0).any(axis=1))  # (K,)
    same = cp.mod_mix[m] == MIX_SAME_SKILL
    if same:
        allowed = prep.allowed[:, skills] & live[None, :]
    else:
        allowed = np.broadcast_to(live, (n_l, skills.size))
    focus = cp.focus[:, skills]
    has_focus = cp.has_focus[:, sub.s]
    goal = np.zeros(n_l, dtype=bool)
    goal[cp.goal_learner[(cp.goal_subject == sub.s) & (cp.goal_modality == m)]] = True
    fits = cp.learner_max_group >= cp.mod_min[m]
    t_avail = cp.teacher_available.astype(np.float32)
    for need in np.unique(cp.learner_need_tags):
        members = np.flatnonzero(fits & (cp.learner_need_tags == need))
        if members.size == 0:
            continue
        tagged = can & ((cp.teacher_tags & need) == need)[:, None]
        ok_n = (ok & ((tagged.T.astype(np.float32) @ t_avail) > 0)).astype(np.float32)
        av = cp.learner_available[members]
        cand = allowed[members]
        fm = has_focus[members]
        on = cand & focus[members] & fm[:, None]
        aside = cand & ~focus[members] & fm[:, None]  # off focus, where it may sit
        for j in range(sh.tau.size):
            bj = sh.block_j == j
            reach = np.rint(av[:, bj].astype(np.float32) @ ok_n[:, bj].T)  # (L', K)
            live_j = (reach > 0) & (sub.c[:, mi, j] >= 0)[None, :]
            li, ki = np.nonzero(on & live_j)
            if li.size:
                sub.y.put(members[li], mi, ki, j, lp.cols(reach[li, ki]))
            if same:
                # off focus by skill: a same_skill group's fillers are its skill's (_seat_rows)
                li, ki = np.nonzero(aside & live_j)
                if li.size:
                    cost = w_focus * float(sh.tau_lo[j])
                    sub.o.put(members[li], mi, ki, j, lp.cols(reach[li, ki], cost))
        any_k = (cand.astype(np.float32) @ ok_n > 0) & av
        p_ub = _per_length(any_k, sh)
        # other mixes: off focus whatever the skill (same_skill: by skill, above)
        o_ub = None if same else _per_length((aside.astype(np.float32) @ ok_n > 0) & av, sh)
        for j in range(sh.tau.size):
            if o_ub is not None and (o_ub[:, j] > 0).any():
                li = np.flatnonzero(o_ub[:, j] > 0)
                cost = w_focus * float(sh.tau_lo[j])
                sub.o.put(members[li], mi, None, j, lp.cols(o_ub[li, j], cost))
            li = np.flatnonzero(~fm & goal[members] & (p_ub[:, j] > 0))
            if li.size:
                sub.p.put(members[li], mi, None, j, lp.cols(p_ub[li, j]))


def _learner_rows(sub: _Subject, cp: CompiledProblem, prep: Prepared, sh: _Shared) -> None:
    """y ≤ c (and o ≤ c where o is counted by skill); per (l, m, τ) at most Σ_k c sessions over
    the skills l may attend; per (l, τ) at most l's available blocks."""
    lp, n_j, n_m = sub.lp, sh.tau.size, len(sub.mods)
    for kind in (sub.y, sub.o):  # a skill's sessions, each sat once
        _, km, kk, kj, kcol = kind.arrays()
        by_skill = kk >= 0
        r = lp.rows(int(by_skill.sum()), -np.inf, 0.0)
        lp.add(r, kcol[by_skill], 1.0)
        lp.add(r, sub.c[kk[by_skill], km[by_skill], kj[by_skill]], -1.0)
    for kinds in ((sub.y, sub.o), (sub.p,)):
        l, mi, _, j, col = (
            np.concatenate(x) for x in zip(*(k.arrays() for k in kinds), strict=True)
        )
        if col.size == 0:
            continue
        # (l, m, τ): Σ_k y + o (or p) − Σ_{k l may attend} c ≤ 0
        keys, row_of = np.unique((l * n_m + mi) * n_j + j, return_inverse=True)
        rows = lp.rows(keys.size, -np.inf, 0.0)
        lp.add(rows[row_of], col, 1.0)
        rl, rm, rj = keys // (n_m * n_j), (keys // n_j) % n_m, keys % n_j
        for m_local, m in enumerate(sub.mods):
            pick = np.flatnonzero(rm == m_local)
            if pick.size == 0:
                continue
            if cp.mod_mix[m] == MIX_SAME_SKILL:
                attend = prep.allowed[rl[pick]][:, sub.skills] & (
                    sub.c[:, m_local, rj[pick]].T >= 0
                )
                ri, ki = np.nonzero(attend)
                lp.add(rows[pick[ri]], sub.c[ki, m_local, rj[pick[ri]]], -1.0)
            else:
                lp.add(rows[pick], sub.total[m_local, rj[pick]], -1.0)
        # (l, τ): Σ ≤ available blocks of length τ
        keys, row_of = np.unique(l * n_j + j, return_inverse=True)
        cap = sh.avail_j[keys // n_j, keys % n_j].astype(np.float64)
        lp.add(lp.rows(keys.size, -np.inf, cap)[row_of], col, 1.0)


def _seat_rows(sub: _Subject, cp: CompiledProblem, prep: Prepared, sh: _Shared) -> None:
    """Σ_k S = Σ y + Σ o + Σ p + free per (m, τ); S ≥ Σ_l y per (k, m, τ); seats of learners
    with no focus in s within their available blocks; same_skill fillers of k within the
    sittings off focus on k, and the available blocks of the learners allowed k with no focus
    in s (module docstring)."""
    lp, n_j, n_m = sub.lp, sh.tau.size, len(sub.mods)
    _, ym, yk, yj, ycol = sub.y.arrays()
    _, om, o_skill, oj, ocol = sub.o.arrays()
    _, pm, _, pj, pcol = sub.p.arrays()
    kk, mm, jj = np.nonzero(sub.c >= 0)
    has_focus = cp.has_focus[:, sub.s]
    others = sh.avail_j[~has_focus].sum(axis=0).astype(np.float64)  # (J,)
    free = lp.cols(np.tile(others, n_m)).reshape(n_m, n_j)
    seat = lp.rows(n_m * n_j, 0.0, 0.0).reshape(n_m, n_j)
    lp.add(seat[mm, jj], sub.seats[kk, mm, jj], 1.0)
    lp.add(seat, free, -1.0)
    for ms, js, cols in ((ym, yj, ycol), (om, oj, ocol), (pm, pj, pcol)):
        lp.add(seat[ms, js], cols, -1.0)
    r = lp.rows(n_j, -np.inf, others)
    lp.add(np.tile(r, n_m), free, 1.0)
    lp.add(r[pj], pcol, 1.0)
    on = np.full(sub.c.shape, -1, dtype=np.int64)
    on[kk, mm, jj] = lp.rows(kk.size, 0.0, np.inf)
    lp.add(on[kk, mm, jj], sub.seats[kk, mm, jj], 1.0)
    lp.add(on[yk, ym, yj], ycol, -1.0)
    same = [mi for mi, m in enumerate(sub.mods) if cp.mod_mix[m] == MIX_SAME_SKILL]
    if not same:
        return
    # a seat on k of a learner without k in focus is one of its sittings off focus on k when it
    # has a focus in s, else one of its available blocks; either way it may attend k
    outsiders = prep.allowed[:, sub.skills] & ~cp.focus[:, sub.skills]
    fill_cap = (outsiders & ~has_focus[:, None]).T.astype(np.float64) @ sh.avail_j.astype(
        np.float64
    )  # (K, J)
    for mi in same:
        ki, ji = np.nonzero(sub.c[:, mi] >= 0)
        fill = np.full(fill_cap.shape, -1, dtype=np.int64)
        fill[ki, ji] = lp.rows(ki.size, -np.inf, fill_cap[ki, ji])
        lp.add(fill[ki, ji], sub.seats[ki, mi, ji], 1.0)
        pick = ym == mi
        lp.add(fill[yk[pick], yj[pick]], ycol[pick], -1.0)
        pick = om == mi
        lp.add(fill[o_skill[pick], oj[pick]], ocol[pick], -1.0)


def _goal_minutes(
    lp: _Model, cp: CompiledProblem, goals: np.ndarray, w_goal: float
) -> tuple[np.ndarray, np.ndarray]:
    """The shortfall columns of ``goals`` and two rows each, for the caller to add the goal's
    sittings to: delivered minutes + short ≥ minutes (the caller adds τ per sitting), and the
    sittings cut, sittings + short / r ≥ q (module docstring, "Sittings"; the caller adds 1 per
    sitting). Returns the two row arrays."""
    minutes = cp.goal_minutes[goals].astype(np.float64)
    short = lp.cols(minutes, w_goal, integer=False)
    got = lp.rows(goals.size, minutes, np.inf)
    lp.add(got, short, 1.0)
    longest = np.where(cp.learner_available, cp.block_minutes[None, :], 0).max(axis=1)
    tau = np.maximum(1, longest[cp.goal_learner[goals]]).astype(np.float64)
    q = np.ceil(minutes / tau)
    sit = lp.rows(goals.size, q, np.inf)
    lp.add(sit, short, 1.0 / np.maximum(1.0, minutes - tau * (q - 1)))
    return got, sit


def _goal_rows(sub: _Subject, cp: CompiledProblem, sh: _Shared, w_goal: float) -> None:
    """short_g ≥ minutes_g − Σ_τ τ·(y + o + p of g's learner and modality), and the sittings
    cut on Σ_τ (y + o + p)."""
    lp, n_m = sub.lp, len(sub.mods)
    local = np.full(len(cp.modality_ids), -1, dtype=np.int64)
    local[sub.mods] = np.arange(n_m)
    goals = np.flatnonzero((cp.goal_subject == sub.s) & (local[cp.goal_modality] >= 0))
    if goals.size == 0:
        return
    rows, sit = _goal_minutes(lp, cp, goals, w_goal)
    goal_key = cp.goal_learner[goals] * n_m + local[cp.goal_modality[goals]]
    order = np.argsort(goal_key, kind="stable")
    sorted_keys = goal_key[order]
    for kind in (sub.y, sub.o, sub.p):
        l, mi, _, j, col = kind.arrays()
        key = l * n_m + mi
        first = np.searchsorted(sorted_keys, key, "left")
        count = np.searchsorted(sorted_keys, key, "right") - first  # a learner's goals of key
        which = np.repeat(np.arange(key.size), count)
        offset = np.arange(which.size) - np.repeat(np.cumsum(count) - count, count)
        g = order[first[which] + offset]
        lp.add(rows[g], col[which], sh.tau[j[which]].astype(np.float64))
        lp.add(sit[g], col[which], 1.0)


def _teacher_rows(sub: _Subject, sh: _Shared) -> None:
    """Per teacher set U (each (k, m)'s qualified teachers, and all of them): the sessions that
    only teachers of U may lead are at most U's sessions, per block length and in all."""
    if not sub.teams:
        return
    lp = sub.lp
    teams = np.array([t for t, _ in sub.teams])  # (P, T)
    cols = np.array([c for _, c in sub.teams])  # (P, J)
    sets = np.unique(np.vstack([teams, teams.any(axis=0)]), axis=0)
    sets = sets[np.argsort(-sets.sum(axis=1), kind="stable")][:MAX_TEACHER_SETS]
    for u in sets:
        inside = ~(teams & ~u).any(axis=1)
        pi, ji = np.nonzero(cols[inside] >= 0)
        c = cols[inside][pi, ji]
        per_length = lp.rows(sh.tau.size, -np.inf, sh.cap_j[u].sum(axis=0).astype(np.float64))
        lp.add(per_length[ji], c, 1.0)
        lp.add(np.repeat(lp.rows(1, -np.inf, float(sh.cap[u].sum())), c.size), c, 1.0)


def _build(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    s: int,
    sh: _Shared,
    lp: _Model | None = None,
) -> _Subject:
    """Subject s's model (see the module docstring), in ``lp`` when given (the joint model)."""
    skills = np.flatnonzero(cp.skill_subject == s)
    mods = [m for m in range(len(cp.modality_ids)) if cp.mod_teacher[m] and cp.mod_skill[m]]
    shape = (skills.size, len(mods), sh.tau.size)
    sub = _Subject(
        s,
        skills,
        mods,
        c=np.full(shape, -1, dtype=np.int64),
        seats=np.full(shape, -1, dtype=np.int64),
        total=np.full(shape[1:], -1, dtype=np.int64),
        lp=_Model() if lp is None else lp,
    )
    for mi in range(len(mods)):
        where = _sessions(sub, cp, sh, mi, float(weights.get("group_size", 0)))
        if where is not None:
            _learners(sub, cp, prep, sh, mi, where, float(weights.get("off_focus", 0)))
    _learner_rows(sub, cp, prep, sh)
    _seat_rows(sub, cp, prep, sh)
    _goal_rows(sub, cp, sh, float(weights.get("goal_shortfall", 0)))
    if lp is None:  # the joint model leads every session by one teacher instead
        _teacher_rows(sub, sh)
    return sub


def _solve(lp: _Model, time_limit: float, *, integer: bool) -> float | None:
    """A lower bound of the model's optimum from HiGHS: the LP relaxation's optimum, or the
    MILP's dual bound once HiGHS has closed the gap (to its relative tolerance, 1e-4); None
    when it did not within ``time_limit``."""
    cost = np.concatenate(lp.cost) if lp.cost else np.zeros(0)
    if not cost.any():
        return 0.0
    ub = np.concatenate(lp.ub)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # HiGHS' messages about the time limit
        res = milp(
            cost,
            integrality=np.concatenate(lp.integer) if integer else 0,
            bounds=Bounds(np.zeros_like(ub), ub),
            constraints=LinearConstraint(lp.matrix(), np.concatenate(lp.lo), np.concatenate(lp.hi)),
            options={"time_limit": max(0.05, time_limit), "disp": False},
        )
    if res.status != 0:  # no optimum within the time limit (see session_lower_bounds)
        log.debug("session bound: HiGHS stopped without an optimum (%s)", res.message)
        return None
    dual = getattr(res, "mip_dual_bound", None) if integer else res.fun
    if dual is None or not math.isfinite(dual):
        log.debug("session bound: HiGHS stopped without a bound (%s)", res.message)
        return None
    return float(dual)


def _grid(lp: _Model) -> int:
    """The greatest common divisor of the model's positive costs (1 if none): every plan's
    cost at its point is a multiple of it (module docstring, "Solving")."""
    cost = np.concatenate(lp.cost).astype(np.int64) if lp.cost else np.zeros(1, dtype=np.int64)
    return int(np.gcd.reduce(cost[cost > 0])) if (cost > 0).any() else 1


def _round_up(value: float, grid: int) -> int:
    """The least multiple of ``grid`` at least ``value`` less a margin for floating point."""
    safe = value - 1e-6 * max(1.0, abs(value))
    return max(0, grid * math.ceil(safe / grid))


def session_lower_bounds(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    *,
    time_limit: float,
    max_milp_columns: int = MAX_MILP_COLUMNS,
) -> list[SubjectBound]:
    """Per subject with goals of :func:`session_goals`, a bound on its goals' shortfall, its
    off_focus and the group_size of its teacher-led skill-focus sessions (module docstring).

    Every subject's LP relaxation first, then, in the time left, the MILP of the subjects with
    at most ``max_milp_columns`` columns (smallest first), keeping the larger bound. A MILP
    counts only when HiGHS solves it within its share: a dual bound cut short by the clock is
    valid too, but would make the result depend on the machine's speed and load."""
    t0 = time.monotonic()
    deadline = t0 + time_limit
    sh = _shared(cp, prep)
    covered = session_goals(cp)
    subjects = [s for s in range(len(cp.subject_ids)) if (covered & (cp.goal_subject == s)).any()]
    models = [_build(cp, prep, weights, s, sh).lp for s in subjects]
    # each LP may take all the time left: they are quick, and a share cut too fine by a
    # subject of a different size would lose a bound that the time allows
    found = [_solve(lp, deadline - time.monotonic(), integer=False) for lp in models]
    relaxed = list(found)
    small = sorted(
        (i for i, lp in enumerate(models) if lp.n_cols <= max_milp_columns),
        key=lambda i: models[i].n_cols,
    )
    for n, i in enumerate(small):
        share = (deadline - time.monotonic()) / (len(small) - n)
        if share < MIN_MILP_SECONDS:
            break
        dual = _solve(models[i], share, integer=True)
        if dual is not None:
            found[i] = dual if found[i] is None else max(dual, float(found[i] or 0.0))
    out = []
    for i, s in enumerate(subjects):
        grid = _grid(models[i])
        value = found[i]
        out.append(
            SubjectBound(
                subject=s,
                scaled=None if value is None else _round_up(value, grid),
                lp_scaled=None if relaxed[i] is None else _round_up(float(relaxed[i] or 0), grid),
                columns=models[i].n_cols,
                rows=models[i].n_rows,
            )
        )
        log.info(
            "session bound of %s: %s (LP relaxation %s), %d columns, %d rows",
            cp.subject_ids[s],
            out[-1].scaled,
            out[-1].lp_scaled,
            models[i].n_cols,
            models[i].n_rows,
        )
    log.info("session bounds: %.2f s", time.monotonic() - t0)
    return out


@dataclass(frozen=True)
class JointBound:
    """What the joint relaxation of every teacher-led goal proves."""

    scaled: int | None  # a bound on the costs it counts (see joint_lower_bound); None: none
    covered: np.ndarray  # (G,) the goals whose shortfall (and off_focus) it counts
    columns: int
    rows: int


def joint_goals(cp: CompiledProblem) -> np.ndarray:
    """(G,) the goals the joint relaxation counts: those of :func:`session_goals` and of
    :func:`plain_led` modalities."""
    return np.asarray(session_goals(cp) | plain_led(cp)[cp.goal_modality], dtype=bool)


def plain_led(cp: CompiledProblem) -> np.ndarray:
    """(M,) the teacher-led modalities without skill focus that some goal asks for: the joint
    relaxation counts every session of them."""
    out = np.zeros(len(cp.modality_ids), dtype=bool)
    out[cp.goal_modality] = True
    return np.asarray(out & cp.mod_teacher & ~cp.mod_skill, dtype=bool)


def _plain_led(
    lp: _Model,
    cp: CompiledProblem,
    sh: _Shared,
    weights: dict[str, int],
    classes: list[tuple[np.ndarray, np.ndarray]],
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every session of the modalities of :func:`plain_led`, counted per modality and block
    length (whatever its subject): n sessions, S seats, d their group_size, and z[g, τ] the
    sittings of goal g in them. Returns the (n, S) columns of each modality."""
    out = []
    w_goal = float(weights.get("goal_shortfall", 0))
    w_size = float(weights.get("group_size", 0))
    n_j = sh.tau.size
    t_avail = cp.teacher_available.astype(np.float32)
    for m in np.flatnonzero(plain_led(cp)).tolist():
        lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
        leads = cp.teacher_modalities[:, m]
        zones, seats = _open_rooms(cp, int(cp.mod_features[m]))
        teach = t_avail[leads].sum(axis=0)
        open_b = (teach > 0) & (zones > 0)
        ub = _per_length(np.where(open_b, np.minimum(teach, zones), 0), sh).astype(np.float64)
        n = lp.cols(ub)
        size = lp.cols(ub * hi)
        d = lp.cols(ub * hi, w_size, integer=False)
        _size_rows(lp, n, size, d, lo, hi, target)
        for cols, cap in ((n, _per_length(zones, sh)), (size, _per_length(seats, sh))):
            lp.add(lp.rows(n_j, -np.inf, cap.astype(np.float64)), cols, 1.0)  # rule 3
        classes.append((leads, n))
        goals = np.flatnonzero(cp.goal_modality == m)
        learners = cp.goal_learner[goals]
        reach = np.zeros((goals.size, n_j), dtype=np.int64)
        for need in np.unique(cp.learner_need_tags[learners]):
            rows_n = np.flatnonzero(cp.learner_need_tags[learners] == need)
            tagged = leads & ((cp.teacher_tags & need) == need)
            ok = open_b & (t_avail[tagged].sum(axis=0) > 0)
            reach[rows_n] = _per_length(cp.learner_available[learners[rows_n]] & ok[None, :], sh)
        reach[cp.learner_max_group[learners] < lo] = 0  # rule 8
        gi, ji = np.nonzero(reach > 0)
        z = lp.cols(reach[gi, ji].astype(np.float64))
        seat = lp.rows(n_j, 0.0, np.inf)  # S ≥ Σ_g z (other learners may fill seats)
        lp.add(seat, size, 1.0)
        lp.add(seat[ji], z, -1.0)
        got, sit = _goal_minutes(lp, cp, goals, w_goal)
        lp.add(got[gi], z, sh.tau[ji].astype(np.float64))
        lp.add(sit[gi], z, 1.0)
        out.append((n, size))
    return out


def _teacher_load(
    lp: _Model,
    cp: CompiledProblem,
    sh: _Shared,
    weights: dict[str, int],
    classes: list[tuple[np.ndarray, np.ndarray]],
) -> None:
    """Every counted session led by one teacher who may lead it: x[t, class, τ] of them, a
    teacher's sessions within its week per block length and in all, and its load over its fair
    load, ``over[t] ≥ Σ x − fair(t)``, at the load_balance weight."""
    n_j = sh.tau.size
    merged: dict[bytes, tuple[np.ndarray, list[np.ndarray]]] = {}
    for team, cols in classes:
        key = np.asarray(team, dtype=bool).tobytes()
        merged.setdefault(key, (np.asarray(team, dtype=bool), []))[1].append(cols)
    fair = cp.teacher_fair.astype(np.float64)
    cap = sh.cap.astype(np.float64)
    over = lp.cols(np.maximum(0.0, cap - fair), float(weights.get("load_balance", 0)), False)
    t_parts: list[np.ndarray] = []
    j_parts: list[np.ndarray] = []
    x_parts: list[np.ndarray] = []
    for team, cols_list in merged.values():
        teachers = np.flatnonzero(team)
        cols = np.array(cols_list)  # (P, J)
        for j in range(n_j):
            live = cols[:, j][cols[:, j] >= 0]
            if live.size == 0 or teachers.size == 0:
                continue
            x = lp.cols(sh.cap_j[teachers, j].astype(np.float64), integer=False)
            r = lp.rows(1, 0.0, 0.0)  # Σ_t x − Σ sessions of the class = 0
            lp.add(np.repeat(r, x.size), x, 1.0)
            lp.add(np.repeat(r, live.size), live, -1.0)
            t_parts.append(teachers)
            j_parts.append(np.full(teachers.size, j))
            x_parts.append(x)
    if not x_parts:
        return
    t_all, j_all, x_all = (np.concatenate(p) for p in (t_parts, j_parts, x_parts))
    week = lp.rows(cp.n_teachers, -np.inf, fair)  # Σ x − over ≤ fair
    lp.add(week[t_all], x_all, 1.0)
    lp.add(week, over, -1.0)
    lp.add(lp.rows(cp.n_teachers, -np.inf, cap)[t_all], x_all, 1.0)
    per_j = lp.rows(cp.n_teachers * n_j, -np.inf, sh.cap_j.astype(np.float64).ravel())
    lp.add(per_j[t_all * n_j + j_all], x_all, 1.0)


def _zones(
    lp: _Model,
    cp: CompiledProblem,
    sh: _Shared,
    weights: dict[str, int],
    counted: list[tuple[np.ndarray, np.ndarray]],
    uncounted: np.ndarray,
) -> None:
    """Every learner available at a block sits in one session there (rule 1) and every session
    takes a zone of an open room (rule 3), summed over the blocks of each length: the counted
    sessions (``counted``: (sessions, seats) columns, −1 for none) and ``p`` others, of the
    ``uncounted`` modalities, with ``Q`` seats, take at most the zones, and their seats are
    the learners present; the others' group_size is at least ``Q − A·p`` and ``t·p − Q`` (A,
    t: the largest and the least target_size of those modalities)."""
    n_j = sh.tau.size
    zones = _per_length(_open_rooms(cp, 0)[0], sh)
    present = _per_length(cp.learner_available.sum(axis=0), sh)
    zone_rows = lp.rows(n_j, -np.inf, zones.astype(np.float64))
    seat_rows = lp.rows(n_j, present.astype(np.float64), present.astype(np.float64))
    for sessions, seats in counted:
        for j in range(n_j):
            live = sessions[..., j] >= 0
            lp.add(np.repeat(zone_rows[j], int(live.sum())), sessions[..., j][live], 1.0)
            lp.add(np.repeat(seat_rows[j], int(live.sum())), seats[..., j][live], 1.0)
    if not uncounted.any():
        return
    most = float(cp.mod_target[uncounted].max())
    least = float(cp.mod_target[uncounted].min())
    p = lp.cols(zones.astype(np.float64))
    q = lp.cols(present.astype(np.float64), integer=False)
    d = lp.cols(present.astype(np.float64), float(weights.get("group_size", 0)), integer=False)
    lp.add(zone_rows, p, 1.0)
    lp.add(seat_rows, q, 1.0)
    for coef_q, coef_p in ((1.0, -most), (-1.0, least)):  # d ≥ Q − A·p, d ≥ t·p − Q
        r = lp.rows(n_j, 0.0, np.inf)
        lp.add(r, d, 1.0)
        lp.add(r, q, -coef_q)
        lp.add(r, p, -coef_p)


def joint_lower_bound(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    *,
    time_limit: float,
    length_classes: int = MAX_LENGTH_CLASSES,
) -> JointBound:
    """One LP of every teacher-led goal: the subjects' session models side by side, the
    sessions of teacher-led modalities without skill focus, every counted session led by a
    teacher who may lead it, and each teacher's load over its fair load (module docstring,
    "Joint"), with block lengths in at most ``length_classes`` classes ("Length classes"). A
    bound on the shortfall of the goals of ``joint_goals``, the off_focus, the group_size of
    the teacher-led sessions and the load_balance of every plan."""
    t0 = time.monotonic()
    sh = _shared(cp, prep, length_classes)
    lp = _Model()
    covered = session_goals(cp)
    subjects = [s for s in range(len(cp.subject_ids)) if (covered & (cp.goal_subject == s)).any()]
    subs = [_build(cp, prep, weights, s, sh, lp) for s in subjects]
    classes = [team for sub in subs for team in sub.teams]
    counted = [(sub.c, sub.seats) for sub in subs]
    counted += _plain_led(lp, cp, sh, weights, classes)
    _teacher_load(lp, cp, sh, weights, classes)
    modelled = np.zeros(len(cp.subject_ids), dtype=bool)
    modelled[subjects] = True
    uncounted = ~cp.mod_teacher | (cp.mod_teacher & ~cp.mod_skill & ~plain_led(cp))
    if not modelled.all():  # skill-focus sessions of a subject without goals
        uncounted |= cp.mod_teacher & cp.mod_skill
    _zones(lp, cp, sh, weights, counted, uncounted)
    value = _solve(lp, t0 + time_limit - time.monotonic(), integer=False)
    out = JointBound(
        scaled=None if value is None else _round_up(value, _grid(lp)),
        covered=joint_goals(cp),
        columns=lp.n_cols,
        rows=lp.n_rows,
    )
    log.info(
        "joint bound (%d length classes): %s, %d columns, %d rows, %.2f s",
        sh.tau.size,
        out.scaled,
        lp.n_cols,
        lp.n_rows,
        time.monotonic() - t0,
    )
    return out
