"""A lower bound on the objective from an LP relaxation that couples learners through teachers,
rooms and group sizes, solved with HiGHS (``scipy.optimize.linprog``).

Why it is a bound. Take any plan that keeps the hard rules (DESIGN.md) and read it as a point of
the LP below; that point satisfies every row and its LP cost is at most the plan's scaled
objective, term by term. So the LP optimum, and any dual bound of it, is a lower bound. The
reading, variable by variable (a *key* is a (subject, modality) pair; a *goal key* is one some
goal asks for; sessions of a teacher-led modality whose key is no goal key are read as the
modality's *other* key; c is a class of interchangeable learners, see below):

- ``x[c, k, b]``: members of c in a session of goal key k at b, where k is a goal key of c and b
  a block that can deliver it (:func:`~plsched.solvers.bound.goal_reach_masks`: c available, a
  teacher who leads the modality, carries c's tags and is qualified for a skill c may attend is
  free, at least ``min_size`` learners who may attend that skill are available). A plan puts a
  learner in such a session only at such a block, so x lives only there; ``0 ≤ x ≤ |c|``.
- ``sf[c, g]``: the shortfall of goal g summed over c's members. ``sf ≥ |c|·goal − Σ_b
  minutes_b·x`` holds because a member's delivered minutes for g are exactly its x minutes
  (over-delivery is free, so ``max(0, ·)`` summed over members is ≥ the sum's ``max(0, ·)``).
- ``y[t, k, b]``: 1 when t leads a session of key k at b (only for t available at b, leading
  the modality and, for a subject, qualified in it: rule 2). ``f[k, b]``: learners in sessions
  of teacher-led key k at b that x does not count (no such goal, or the other key).
- ``N[m, b]``, ``n[m, b]``: learners and sessions of teacherless modality m at b.
- ``gc``: the group_size cost of the sessions of a key (or teacherless modality) at a block,
  ``L[t]``: t's load over its fair load.

Rows, and the rule each relaxes:

- per class and block, Σ_k x ≤ |c|: a learner is in one session per block (rule 1).
- per block, Σ teacher-led x + Σ f + Σ_m N = learners available (rule 1: every available
  learner is in exactly one session, teacher-led or not).
- per teacher and block Σ_k y ≤ 1; per day ≤ max_sessions_per_day; per week ≤
  max_sessions_per_week (rule 2); ``L[t] ≥ Σ y − fair(t)`` is the load_balance term.
- per teacher-led key and block: ``min·Σ_t y ≤ Σ x + f`` and ``Σ a·x + f ≤ max·Σ_t y``
  (rule 4, summed over the key's sessions), with a = max / min(max, max_group_size) ≥ 1: in a
  session S every member has max_group_size ≥ size(S) (rule 8), so Σ_{l∈S} max/min(max, mg_l)
  ≤ max. The same rows per teacher set (Hall-type): members of classes that only teachers in
  a set T' can serve (tags, qualification for the skills they may attend) fit in the sessions
  that teachers of T' lead.
- per teacherless modality and block: x of its goal keys ≤ N, and ``min·n ≤ N ≤ max·n``.
- rooms, per block and required feature set F (of a modality and subject): the sessions whose
  required features include F number at most the zones of the open rooms with F, and hold at
  most those rooms' capacity (rule 3; F = ∅ counts every session and learner).
- group_size: Σ_S |size_S − target| ≥ |Σ_S size_S − target·#S| (triangle inequality), so
  ``gc ≥ ±(N − target·n)`` per key (or teacherless modality) and block.
- off_focus: a member in a session of its goal key at a block where none of its focus skills
  can be taught is off focus (as D^F in bound.py), so those x pay ``w_focus·minutes_b``.

Terms the LP leaves at 0 (continuity, variety, age_mix, stability, review, stretch, off-focus
minutes outside goal sessions) are non-negative.

Classes. Learners with the same goals (keys and minutes), maximum group size cap and, per goal,
the same reachable and off-focus blocks and teacher set are interchangeable in every row above,
so summing each per-learner variable over a class loses nothing. When that gives more than
``MAX_X`` x columns, learners are grouped more coarsely (:func:`_signature`): a class then
takes the union of its members' reachable blocks and teacher sets, the intersection of their
off-focus blocks and the largest group size cap. Each member's part of a plan still satisfies
the class's rows (its blocks and teachers are among the class's; a block charged as off focus
is off focus for every member), so this is a relaxation of the exact classes, hence a bound.
The coverage LP is skipped when the weighted LP's solution, feasible for it, already has no
more shortfall than the per-learner bound: it could not do better.

Reading off the number. The LP is solved in floating point, so its reported optimum is not
trusted: any vector of dual multipliers (≤ rows with multiplier ≤ 0, = rows free) gives the
Lagrangian value ``b·y + Σ_j min(0, r_j·u_j)`` (r = c − Aᵀy, every variable in [0, u]), which is
a lower bound of the LP whatever the multipliers' accuracy. It is evaluated in float64 with an
error far below the margin subtracted (1e-6 relative, plus 1e-9 of the magnitudes summed); as
the scaled objective is an integer, the ceiling of what remains is still a bound. A second LP
with cost 1 per shortfall minute and nothing else bounds the raw goal_shortfall the same way.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.optimize import OptimizeResult, OptimizeWarning, linprog

from plsched.compiled import CompiledProblem

if TYPE_CHECKING:
    from plsched.solvers.bound import ReachMasks

__all__ = ["LpBound", "lp_lower_bound"]

log = logging.getLogger(__name__)

_TERMS = ("goal_shortfall", "off_focus", "group_size", "load_balance")

#: x columns beyond which learners are grouped more coarsely (see :func:`_classes`); HiGHS'
#: interior point time grows faster than linearly in them.
MAX_X = 24000

#: HiGHS' interior point method without a time limit takes seconds on 2,000 learners.
DEFAULT_TIME_LIMIT = 20.0


@dataclass(frozen=True)
class LpBound:
    """What the LP relaxation proves (both numbers are valid bounds, rounded safely)."""

    scaled: int  # bound on the scaled objective
    shortfall_minutes: int  # bound on raw goal_shortfall
    seconds: float
    columns: int
    rows: int


@dataclass(frozen=True)
class _Keys:
    """(subject, modality) keys: goal keys first, then one "other" key per teacher-led
    modality (subject -2) for sessions no goal asks for."""

    subject: np.ndarray  # (K,)
    modality: np.ndarray  # (K,)
    teachers: np.ndarray  # (K, T) who may lead a session of the key (rule 2)
    features: np.ndarray  # (K,) room features its sessions need
    index: dict[tuple[int, int], int]


@dataclass(frozen=True)
class _Classes:
    """Interchangeable learners. An *entry* is one (class, goal key); a *goal row* one
    (class, goal) (two goals of a learner may share a key)."""

    size: np.ndarray  # (C,)
    entry_class: np.ndarray  # (E,)
    entry_key: np.ndarray  # (E,)
    entry_ok: np.ndarray  # (E, B)
    entry_off: np.ndarray  # (E, B) blocks where a session of the key is off focus
    entry_teachers: np.ndarray  # (E, T)
    entry_coef: np.ndarray  # (E,) max / min(max, max_group_size) for teacher-led keys
    goal_entry: np.ndarray  # (Q,)
    goal_minutes: np.ndarray  # (Q,)


def _keys(cp: CompiledProblem) -> _Keys:
    pairs = list(
        dict.fromkeys(zip(cp.goal_subject.tolist(), cp.goal_modality.tolist(), strict=True))
    )
    pairs += [(-2, m) for m in np.flatnonzero(cp.mod_teacher).tolist()]
    subject = np.array([s for s, _ in pairs], dtype=np.int64)
    modality = np.array([m for _, m in pairs], dtype=np.int64)
    teachers = cp.teacher_modalities[:, modality].T & cp.mod_teacher[modality][:, None]
    has_subject = subject >= 0
    teachers[has_subject] &= cp.teacher_subject[:, subject[has_subject]].T
    features = cp.mod_features[modality].copy()
    features[has_subject] |= cp.subject_features[subject[has_subject]]
    return _Keys(subject, modality, teachers, features, {p: i for i, p in enumerate(pairs)})


def _signature(
    cp: CompiledProblem, masks: ReachMasks, off: np.ndarray, goals: list[int], l: int, level: int
) -> tuple[object, ...]:
    """What makes learner l distinct at a coarseness ``level``: its goals and group size cap,
    and at level 0 its goals' reachable and off-focus blocks and teacher sets, at level 1 the
    blocks and its teacher tags (teacher sets then differ by qualification levels only), at
    level 2 its tags. (Availability needs no place of its own: x lives on reachable blocks.)"""
    cap = int(cp.mod_max.max())
    head: tuple[object, ...] = (
        min(int(cp.learner_max_group[l]), cap),
        tuple((int(cp.goal_subject[g]), int(cp.goal_modality[g])) for g in goals),
        tuple(int(cp.goal_minutes[g]) for g in goals),
    )
    if level > 0:
        head += (int(cp.learner_need_tags[l]),)
    if level < 2:
        head += tuple((masks.ok[g].tobytes(), off[g].tobytes()) for g in goals)
    if level == 0:
        head += tuple(masks.teachers[g].tobytes() for g in goals)
    return head


def _classes(cp: CompiledProblem, masks: ReachMasks, keys: _Keys, level: int) -> _Classes:
    """Group learners by :func:`_signature` (deterministic: first-seen order). Members of a
    class share their goals; where their masks differ (levels 1 and 2) the class takes the
    union of reachable blocks and teachers and the intersection of off-focus blocks, which
    only enlarges what the LP allows (a relaxation of the exact classes)."""
    goal_key = np.array(
        [
            keys.index[(s, m)]
            for s, m in zip(cp.goal_subject.tolist(), cp.goal_modality.tolist(), strict=True)
        ],
        dtype=np.int64,
    ).reshape(-1)
    off = masks.ok & ~masks.focus_ok
    goals_of: list[list[int]] = [[] for _ in range(cp.n_learners)]
    for g, l in enumerate(cp.goal_learner.tolist()):
        goals_of[l].append(g)
    for goals in goals_of:
        goals.sort(key=lambda g: (int(goal_key[g]), int(cp.goal_minutes[g]), g))
    index: dict[tuple[object, ...], int] = {}
    members: list[list[int]] = []
    for l in range(cp.n_learners):
        c = index.setdefault(_signature(cp, masks, off, goals_of[l], l, level), len(members))
        if c == len(members):
            members.append([])
        members[c].append(l)
    e_class: list[int] = []
    e_goals: list[np.ndarray] = []  # per entry, the goal rows of every member for its key
    q_entry: list[int] = []
    q_minutes: list[int] = []
    for c, group in enumerate(members):
        rows = np.array([goals_of[l] for l in group], dtype=np.int64).reshape(len(group), -1)
        seen: dict[int, int] = {}
        for j, g in enumerate(goals_of[group[0]]):
            k = int(goal_key[g])
            if k not in seen:
                seen[k] = len(e_class)
                e_class.append(c)
                e_goals.append(rows[:, j])
            q_entry.append(seen[k])
            q_minutes.append(int(cp.goal_minutes[g]))
    n_e = len(e_class)
    ok = np.zeros((n_e, cp.n_blocks), dtype=bool)
    off_e = np.ones((n_e, cp.n_blocks), dtype=bool)
    teachers = np.zeros((n_e, cp.n_teachers), dtype=bool)
    mg = np.zeros(n_e, dtype=np.int64)
    for e, rows_e in enumerate(e_goals):
        ok[e] = masks.ok[rows_e].any(axis=0)
        off_e[e] = off[rows_e].all(axis=0)
        teachers[e] = masks.teachers[rows_e].any(axis=0)
        mg[e] = cp.learner_max_group[cp.goal_learner[rows_e]].max()
    ek = goal_key[np.array([r[0] for r in e_goals], dtype=np.int64)]
    em = keys.modality[ek]
    mx = cp.mod_max[em].astype(np.float64)
    coef = np.where(cp.mod_teacher[em], mx / np.maximum(np.minimum(mx, mg), 1), 1.0)
    return _Classes(
        size=np.array([len(group) for group in members], dtype=np.float64),
        entry_class=np.array(e_class, dtype=np.int64),
        entry_key=ek,
        entry_ok=ok,
        entry_off=off_e & ok,
        entry_teachers=teachers,
        entry_coef=coef,
        goal_entry=np.array(q_entry, dtype=np.int64),
        goal_minutes=np.array(q_minutes, dtype=np.float64),
    )


@dataclass
class _Model:
    """A sparse LP under construction: min c·x, A_ub x ≤ b_ub, A_eq x = b_eq, 0 ≤ x ≤ ub."""

    cost: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    n_cols: int = 0
    parts: dict[bool, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = field(
        default_factory=lambda: {False: [], True: []}
    )
    rhs: dict[bool, list[np.ndarray]] = field(default_factory=lambda: {False: [], True: []})
    n_rows: dict[bool, int] = field(default_factory=lambda: {False: 0, True: 0})

    def columns(self, upper: np.ndarray, cost: np.ndarray | float = 0.0) -> np.ndarray:
        """New columns with bounds [0, upper]; their indices, shaped like ``upper``."""
        upper = np.asarray(upper, dtype=np.float64)
        idx = self.n_cols + np.arange(upper.size).reshape(upper.shape)
        self.upper.append(upper.ravel())
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=np.float64), upper.shape).ravel())
        self.n_cols += upper.size
        return idx

    def rows(
        self,
        row: np.ndarray,
        col: np.ndarray,
        val: np.ndarray | float,
        rhs: np.ndarray,
        *,
        eq: bool = False,
    ) -> None:
        """Rows ``Σ val·x[col] (≤ or =) rhs[row]`` for local row ids 0..len(rhs)-1; rows with no
        entry are dropped (they hold whenever their right-hand side is ≥ 0, as here)."""
        row = np.asarray(row, dtype=np.int64).ravel()
        col = np.asarray(col, dtype=np.int64).ravel()
        vals = np.broadcast_to(np.asarray(val, dtype=np.float64), row.shape).ravel()
        used, local = np.unique(row, return_inverse=True)
        base = self.n_rows[eq]
        self.parts[eq].append((base + local, col, vals))
        self.rhs[eq].append(np.asarray(rhs, dtype=np.float64).ravel()[used])
        self.n_rows[eq] += used.size

    def matrix(self, eq: bool) -> tuple[sp.csr_array, np.ndarray]:
        parts = self.parts[eq]
        r = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        c = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        v = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
        a = sp.csr_array((v, (r, c)), shape=(self.n_rows[eq], self.n_cols))
        b = np.concatenate(self.rhs[eq]) if self.rhs[eq] else np.zeros(0)
        return a, b


@dataclass(frozen=True)
class _Built:
    model: _Model
    shortfall_cols: np.ndarray
    cost: np.ndarray  # the weighted objective's cost vector


@dataclass(frozen=True)
class _X:
    """x columns (sorted by entry, then block) and what they stand for."""

    col: np.ndarray
    entry: np.ndarray
    block: np.ndarray
    key: np.ndarray
    led: np.ndarray  # the key's modality is teacher-led


@dataclass(frozen=True)
class _Y:
    col: np.ndarray
    key: np.ndarray
    teacher: np.ndarray
    block: np.ndarray


@dataclass(frozen=True)
class _Sessions:
    """Learners and sessions per (teacher-led key, block) and per (teacherless modality,
    block)."""

    led_key: np.ndarray  # (P,) key of each (k, b) pair where a session of k can meet
    led_block: np.ndarray  # (P,)
    led_learners: np.ndarray  # (P,) column N[k, b]
    free_modality: np.ndarray  # (Q,) modality of each (m, b) pair, teacherless m
    free_block: np.ndarray  # (Q,)
    free_learners: np.ndarray  # (Q,) column N[m, b]
    free_sessions: np.ndarray  # (Q,) column n[m, b]


def _learner_part(
    lp: _Model, cp: CompiledProblem, cls: _Classes, keys: _Keys, w_goal: float, w_focus: float
) -> tuple[_X, np.ndarray]:
    """x, the shortfall columns and rows, and one session per learner and block."""
    minutes = cp.block_minutes.astype(np.float64)
    xe, xb = np.nonzero(cls.entry_ok)
    xc, xk = cls.entry_class[xe], cls.entry_key[xe]
    x = lp.columns(cls.size[xc], w_focus * minutes[xb] * cls.entry_off[xe, xb])
    q_size = cls.size[cls.entry_class[cls.goal_entry]]
    sf = lp.columns(q_size * cls.goal_minutes, w_goal)
    n_q = cls.goal_entry.size
    # -Σ_b minutes·x[e(q), b] - sf[q] ≤ -|c|·goal; x is sorted by entry (np.nonzero is
    # row-major), so goal row q takes the x range of its entry
    n_e = cls.entry_class.size
    starts = np.searchsorted(xe, np.arange(n_e))[cls.goal_entry]
    lens = np.searchsorted(xe, np.arange(n_e), side="right")[cls.goal_entry] - starts
    q_rows = np.repeat(np.arange(n_q), lens)
    q_cols = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
    lp.rows(
        np.concatenate([q_rows, np.arange(n_q)]),
        np.concatenate([x[q_cols], sf]),
        np.concatenate([-minutes[xb[q_cols]], -np.ones(n_q)]),
        -q_size * cls.goal_minutes,
    )
    n_b = cp.n_blocks
    lp.rows(xc * n_b + xb, x, 1.0, np.repeat(cls.size, n_b))
    led = cp.mod_teacher[keys.modality[xk]]
    return _X(x, xe, xb, xk, led), sf


def _teacher_part(lp: _Model, cp: CompiledProblem, keys: _Keys, w_load: float) -> _Y:
    """y, one session per teacher and block, the daily and weekly maxima, load over fair."""
    n_b, n_t, n_days = cp.n_blocks, cp.n_teachers, len(cp.day_ids)
    yk, yt, yb = np.nonzero(keys.teachers[:, :, None] & cp.teacher_available[None, :, :])
    y = lp.columns(np.ones(yk.size))
    load = lp.columns(cp.teacher_max_week.astype(np.float64), w_load)
    lp.rows(yt * n_b + yb, y, 1.0, np.ones(n_t * n_b))
    lp.rows(yt * n_days + cp.block_day[yb], y, 1.0, np.repeat(cp.teacher_max_day, n_days))
    lp.rows(yt, y, 1.0, cp.teacher_max_week)
    lp.rows(
        np.concatenate([yt, np.arange(n_t)]),
        np.concatenate([y, load]),
        np.concatenate([np.ones(y.size), -np.ones(n_t)]),
        cp.teacher_fair,
    )
    return _Y(y, yk, yt, yb)


def _led_sessions(
    lp: _Model, cp: CompiledProblem, cls: _Classes, keys: _Keys, xs: _X, ys: _Y, w_group: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """N[k, b] ≥ Σ x, and size bounds and group_size cost per teacher-led key and block."""
    n_b, n_k = cp.n_blocks, keys.subject.size
    avail_count = cp.learner_available.sum(axis=0).astype(np.float64)
    pair = np.full((n_k, n_b), -1, dtype=np.int64)
    opened = np.zeros((n_k, n_b), dtype=bool)
    opened[ys.key, ys.block] = True
    pk, pb = np.nonzero(opened)
    n_p = pk.size
    pair[pk, pb] = np.arange(n_p)
    n_led = np.bincount(pair[ys.key, ys.block], minlength=n_p).astype(np.float64)
    target = cp.mod_target[keys.modality[pk]].astype(np.float64)
    lo = cp.mod_min[keys.modality[pk]].astype(np.float64)
    hi = cp.mod_max[keys.modality[pk]].astype(np.float64)
    learners = lp.columns(avail_count[pb])
    gc = lp.columns(avail_count[pb] + target * n_led, w_group)
    xl = np.flatnonzero(xs.led)
    x_pair = pair[xs.key[xl], xs.block[xl]]
    if (x_pair < 0).any():  # a reachable block has a free teacher of the key by construction
        raise AssertionError("x at a block where no teacher of its key is free")
    y_pair = pair[ys.key, ys.block]
    rows_p = np.arange(n_p)
    ones = np.ones(n_p)
    lp.rows(  # Σ x ≤ N
        np.concatenate([x_pair, rows_p]),
        np.concatenate([xs.col[xl], learners]),
        np.concatenate([np.ones(xl.size), -ones]),
        np.zeros(n_p),
    )
    heavy = xl[cls.entry_coef[xs.entry[xl]] > 1.0]
    lp.rows(  # Σ (a − 1)·x + N ≤ max·n
        np.concatenate([pair[xs.key[heavy], xs.block[heavy]], rows_p, y_pair]),
        np.concatenate([xs.col[heavy], learners, ys.col]),
        np.concatenate([cls.entry_coef[xs.entry[heavy]] - 1.0, ones, -hi[y_pair]]),
        np.zeros(n_p),
    )
    both = np.concatenate([rows_p, y_pair])
    cols = np.concatenate([learners, ys.col])
    lp.rows(both, cols, np.concatenate([-ones, lo[y_pair]]), np.zeros(n_p))  # min·n ≤ N
    three = np.concatenate([rows_p, y_pair, rows_p])
    cols3 = np.concatenate([learners, ys.col, gc])
    lp.rows(three, cols3, np.concatenate([ones, -target[y_pair], -ones]), np.zeros(n_p))
    lp.rows(three, cols3, np.concatenate([-ones, target[y_pair], -ones]), np.zeros(n_p))
    return pk, pb, learners


def _free_sessions(
    lp: _Model, cp: CompiledProblem, keys: _Keys, xs: _X, w_group: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """N[m, b] ≥ Σ x and n[m, b] per teacherless modality and block, sizes, group_size."""
    n_b = cp.n_blocks
    avail_count = cp.learner_available.sum(axis=0).astype(np.float64)
    free_m = np.flatnonzero(~cp.mod_teacher)
    n_q = free_m.size * n_b
    qm = np.repeat(free_m, n_b)
    qb = np.tile(np.arange(n_b), free_m.size)
    zones_of = _room_totals(cp, cp.room_zones)
    zones = np.concatenate([zones_of(int(cp.mod_features[m])) for m in free_m] or [np.zeros(0)])
    target = cp.mod_target[qm].astype(np.float64)
    learners = lp.columns(avail_count[qb])
    sessions = lp.columns(zones)
    gc = lp.columns(avail_count[qb] + target * zones, w_group)
    pos = np.full(cp.mod_teacher.size, -1, dtype=np.int64)
    pos[free_m] = np.arange(free_m.size)
    xf = np.flatnonzero(~xs.led)
    rows_q = np.arange(n_q)
    ones = np.ones(n_q)
    lp.rows(  # Σ x ≤ N
        np.concatenate([pos[keys.modality[xs.key[xf]]] * n_b + xs.block[xf], rows_q]),
        np.concatenate([xs.col[xf], learners]),
        np.concatenate([np.ones(xf.size), -ones]),
        np.zeros(n_q),
    )
    both = np.concatenate([rows_q, rows_q])
    cols = np.concatenate([learners, sessions])
    lo, hi = cp.mod_min[qm].astype(np.float64), cp.mod_max[qm].astype(np.float64)
    lp.rows(both, cols, np.concatenate([-ones, lo]), np.zeros(n_q))  # min·n ≤ N
    lp.rows(both, cols, np.concatenate([ones, -hi]), np.zeros(n_q))  # N ≤ max·n
    three = np.concatenate([rows_q, rows_q, rows_q])
    cols3 = np.concatenate([learners, sessions, gc])
    lp.rows(three, cols3, np.concatenate([ones, -target, -ones]), np.zeros(n_q))
    lp.rows(three, cols3, np.concatenate([-ones, target, -ones]), np.zeros(n_q))
    return qm, qb, learners, sessions


def _room_rows(
    lp: _Model,
    cp: CompiledProblem,
    keys: _Keys,
    ys: _Y,
    led: tuple[np.ndarray, np.ndarray, np.ndarray],
    free: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Per block and required feature set F: sessions needing F ≤ zones of the open rooms
    with F, their learners ≤ those rooms' capacity (F = ∅: every session and learner)."""
    pk, pb, n_led = led
    qm, qb, n_free, s_free = free
    zones_of = _room_totals(cp, cp.room_zones)
    cap_of = _room_totals(cp, cp.room_capacity)
    free_feat = cp.mod_features[qm]
    for feat in sorted({0, *keys.features.tolist(), *free_feat.tolist()}):
        k_in = (keys.features & feat) == feat
        q_in = (free_feat & feat) == feat
        y_in = k_in[ys.key]
        lp.rows(
            np.concatenate([ys.block[y_in], qb[q_in]]),
            np.concatenate([ys.col[y_in], s_free[q_in]]),
            1.0,
            zones_of(feat),
        )
        p_in = k_in[pk]
        lp.rows(
            np.concatenate([pb[p_in], qb[q_in]]),
            np.concatenate([n_led[p_in], n_free[q_in]]),
            1.0,
            cap_of(feat),
        )


def _build(
    cp: CompiledProblem, masks: ReachMasks, weights: dict[str, int], max_x: int = MAX_X
) -> _Built:
    """The LP of the module docstring, one row family after another, on the finest classes
    with at most ``max_x`` x columns (the coarsest whatever their number)."""
    keys = _keys(cp)
    for level in range(3):
        cls = _classes(cp, masks, keys, level)
        if int(cls.entry_ok.sum()) <= max_x:
            break
    log.debug("LP bound: %d classes at level %d", cls.size.size, level)
    lp = _Model()
    w = {name: float(weights.get(name, 0)) for name in _TERMS}
    xs, sf = _learner_part(lp, cp, cls, keys, w["goal_shortfall"], w["off_focus"])
    ys = _teacher_part(lp, cp, keys, w["load_balance"])
    led = _led_sessions(lp, cp, cls, keys, xs, ys, w["group_size"])
    free = _free_sessions(lp, cp, keys, xs, w["group_size"])
    _hall_rows(lp, cp, cls, keys, xs, ys)
    _room_rows(lp, cp, keys, ys, led, free)
    # every available learner is in exactly one session, teacher-led or not
    lp.rows(
        np.concatenate([led[1], free[1]]),
        np.concatenate([led[2], free[2]]),
        1.0,
        cp.learner_available.sum(axis=0),
        eq=True,
    )
    return _Built(lp, sf, np.concatenate(lp.cost))


def _room_totals(cp: CompiledProblem, values: np.ndarray) -> Callable[[int], np.ndarray]:
    """feature set -> (B,) sum of ``values`` over the open rooms that have those features."""
    open_values = cp.room_available * values[:, None].astype(np.float64)  # (R, B)

    def total(feat: int) -> np.ndarray:
        has = (cp.room_features & feat) == feat
        out: np.ndarray = open_values[has].sum(axis=0)
        return out

    return total


def _hall_rows(lp: _Model, cp: CompiledProblem, cls: _Classes, keys: _Keys, xs: _X, ys: _Y) -> None:
    """Per teacher-led goal key, block and distinct teacher set T' of its classes (a proper
    subset of the key's teachers): Σ a·x over classes only T' can serve ≤ max·Σ_{t∈T'} y."""
    live = np.zeros(cls.entry_class.size, dtype=bool)
    live[xs.entry] = True
    for k in range(keys.subject.size):
        m = int(keys.modality[k])
        entries = np.flatnonzero(live & (cls.entry_key == k))
        if not cp.mod_teacher[m] or entries.size == 0:
            continue
        for t_set in np.unique(cls.entry_teachers[entries], axis=0):
            if np.array_equal(t_set, keys.teachers[k]):
                continue
            inside = entries[~(cls.entry_teachers[entries] & ~t_set).any(axis=1)]
            x_in = np.flatnonzero(np.isin(xs.entry, inside))
            y_in = np.flatnonzero((ys.key == k) & t_set[ys.teacher])
            lp.rows(
                np.concatenate([xs.block[x_in], ys.block[y_in]]),
                np.concatenate([xs.col[x_in], ys.col[y_in]]),
                np.concatenate(
                    [cls.entry_coef[xs.entry[x_in]], np.full(y_in.size, -float(cp.mod_max[m]))]
                ),
                np.zeros(cp.n_blocks),
            )


def _dual_bound(
    res: OptimizeResult,
    cost: np.ndarray,
    upper: np.ndarray,
    a_ub: sp.csr_array,
    b_ub: np.ndarray,
    a_eq: sp.csr_array,
    b_eq: np.ndarray,
) -> float | None:
    """A safe lower bound of the LP from HiGHS' dual values (see the module docstring), or
    None when HiGHS returned none."""
    ineq = getattr(res, "ineqlin", None)
    eq = getattr(res, "eqlin", None)
    if ineq is None or eq is None or ineq.marginals is None or eq.marginals is None:
        return None
    y_ub = np.minimum(np.asarray(ineq.marginals, dtype=np.float64), 0.0)
    y_eq = np.asarray(eq.marginals, dtype=np.float64)
    if not (np.isfinite(y_ub).all() and np.isfinite(y_eq).all()):
        return None
    reduced = cost - a_ub.T @ y_ub - a_eq.T @ y_eq
    terms = np.concatenate([y_ub * b_ub, y_eq * b_eq, np.minimum(reduced * upper, 0.0)])
    value = float(terms.sum())
    # float64 error of the value, far above its true size: relative to every magnitude summed
    scale = abs(a_ub).T @ abs(y_ub) + abs(a_eq).T @ abs(y_eq) + abs(cost)
    magnitude = float(abs(terms).sum() + (scale * upper).sum())
    return value - 1e-6 * abs(value) - 1e-9 * magnitude - 1e-6


def _solve(
    built: _Built, cost: np.ndarray, time_limit: float, method: str
) -> tuple[float, np.ndarray] | None:
    """The LP's safe dual bound and HiGHS' primal solution, or None."""
    lp = built.model
    a_ub, b_ub = lp.matrix(eq=False)
    a_eq, b_eq = lp.matrix(eq=True)
    upper = np.concatenate(lp.upper)
    options: dict[str, object] = {"time_limit": time_limit, "presolve": True}
    with warnings.catch_warnings():
        # run_crossover is passed to HiGHS as it is (scipy warns that it does not know it):
        # the bound comes from the dual values, which need no vertex
        warnings.simplefilter("ignore", OptimizeWarning)
        if method == "highs-ipm":
            options["run_crossover"] = "off"
        res = linprog(
            cost,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=np.column_stack([np.zeros_like(upper), upper]),
            method=method,
            options=options,
        )
    if res.status != 0 or res.x is None:
        # the other bounds stand (the session bound has most of the time): not a warning
        log.info("LP bound: HiGHS stopped without an optimum (%s)", res.message)
        return None
    bound = _dual_bound(res, cost, upper, a_ub, b_ub, a_eq, b_eq)
    if bound is None:
        return None
    log.debug("LP bound: primal %.6f, safe dual %.6f", res.fun, bound)
    return bound, np.asarray(res.x)


def lp_lower_bound(
    cp: CompiledProblem,
    masks: ReachMasks,
    weights: dict[str, int],
    *,
    known_shortfall: int = 0,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_x: int = MAX_X,
) -> LpBound | None:
    """Bounds on the scaled objective and on raw goal_shortfall from the LP relaxation (see the
    module docstring); None when HiGHS fails or runs out of ``time_limit`` (the caller falls
    back). The coverage LP is skipped when the weighted LP's own solution shows it cannot beat
    ``known_shortfall``: that solution is feasible for it, so its shortfall caps the optimum."""
    t0 = time.monotonic()
    built = _build(cp, masks, weights, max_x)
    weighted = _solve(built, built.cost, time_limit, "highs-ipm")
    if weighted is None:
        return None
    coverage = float(known_shortfall)
    cap = float(weighted[1][built.shortfall_cols].sum())
    if math.ceil(cap - 1e-6) > known_shortfall:
        shortfall_cost = np.zeros_like(built.cost)
        shortfall_cost[built.shortfall_cols] = 1.0
        left = max(0.1, time_limit - (time.monotonic() - t0))
        found = _solve(built, shortfall_cost, left, "highs-ds")
        if found is None:
            return None
        coverage = found[0]
    seconds = time.monotonic() - t0
    lp = built.model
    out = LpBound(
        scaled=max(0, math.ceil(weighted[0])),
        shortfall_minutes=max(0, math.ceil(coverage)),
        seconds=seconds,
        columns=lp.n_cols,
        rows=lp.n_rows[False] + lp.n_rows[True],
    )
    log.info(
        "LP bound %d (shortfall %d min): %d columns, %d rows, %.2f s",
        out.scaled,
        out.shortfall_minutes,
        out.columns,
        out.rows,
        seconds,
    )
    return out
