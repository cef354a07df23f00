"""Large-neighbourhood search: free a few teachers' sessions in one or two blocks (and some
learners there), re-plan that window with CP-SAT hinted with the current plan, keep the result
when the window's exact objective does not get worse.

Neighbourhoods (chosen with adaptive weights):

- ``block``: one block, a seed teacher and the teachers whose skill ranges overlap theirs;
- ``pair``: the same teachers over two blocks (moves goal minutes between blocks);
- ``unmet``: one block, teachers able to serve learners who still miss goal minutes;
- ``teacher``: two teachers with overlapping skills over every block either teaches, so that
  learners can settle with one of them for the week (teacher continuity).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from plsched.compiled import CompiledProblem
from plsched.solvers.cpsat.candidates import Prepared
from plsched.solvers.cpsat.model import WindowModel
from plsched.solvers.cpsat.window import Window
from plsched.solvers.state import Sess

__all__ = ["LnsStats", "improve", "unmet_minutes"]

log = logging.getLogger(__name__)

KINDS = ("block", "pair", "unmet", "teacher")


@dataclass
class LnsStats:
    iterations: int = 0
    improved: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    tried: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    gain: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


def _overlap(cp: CompiledProblem) -> np.ndarray:
    """(T, T) how many skills two teachers can both teach."""
    can = cp.teacher_can_skill.astype(np.float32)
    result: np.ndarray = can @ can.T
    return result


def unmet_minutes(cp: CompiledProblem, plan: list[Sess]) -> np.ndarray:
    """(L,) minutes short over all goals for the current plan."""
    got: dict[tuple[int, int, int], int] = {}
    for s in plan:
        minutes = int(cp.block_minutes[s.block])
        for m in s.members:
            key = (m, s.subject, s.modality)
            got[key] = got.get(key, 0) + minutes
    short = np.zeros(cp.n_learners, dtype=np.int64)
    for l, s, m, need in zip(
        cp.goal_learner, cp.goal_subject, cp.goal_modality, cp.goal_minutes, strict=True
    ):
        short[l] += max(0, int(need) - got.get((int(l), int(s), int(m)), 0))
    return short


def _window(
    cp: CompiledProblem,
    plan: list[Sess],
    kind: str,
    rng: np.random.Generator,
    overlap: np.ndarray,
    size: int,
    learner_cap: int,
    short: np.ndarray,
    allowed: np.ndarray,
    max_skills: int = 6,
) -> Window | None:
    led = [s for s in plan if s.teacher >= 0]
    if not led and kind != "unmet":
        return None
    if kind == "unmet" and short.any():
        # a learner still missing minutes, a block where they sit in a teacherless session,
        # and a teacher who could teach them there
        learner = int(rng.choice(np.flatnonzero(short), 1)[0])
        pooled = [s.block for s in plan if s.teacher < 0 and learner in s.members]
        if not pooled:
            return None
        b = int(rng.choice(pooled))
        able = cp.teacher_available[:, b] & ((cp.teacher_can_skill & allowed[learner]).any(axis=1))
        need = cp.learner_need_tags[learner]
        tagged = able & ((cp.teacher_tags & need) == need)
        if tagged.any():  # only they may lead a session the learner is in
            able = tagged
        if not able.any():
            able = cp.teacher_available[:, b]
        if not able.any():
            return None
        seed_t = int(rng.choice(np.flatnonzero(able)))
        if tagged.any() and rng.random() < 0.5:
            # the few teachers who may lead the learner's sessions, over their week: their
            # groups can make room for the learner where one more session cannot be opened
            return _teacher_week(cp, plan, rng, np.flatnonzero(tagged), learner, short)
    else:
        seed_s = led[int(rng.integers(len(led)))]
        b, seed_t = seed_s.block, seed_s.teacher
    if kind == "teacher":
        near = np.argsort(-(overlap[seed_t] + rng.random(cp.n_teachers) * 0.5))
        pair = {seed_t, *(int(t) for t in near[:2] if int(t) != seed_t)}
        pair = set(list(pair)[:2])
        blocks_t = sorted({s.block for s in led if s.teacher in pair})
        if len(blocks_t) > 12:
            blocks_t = sorted(int(x) for x in rng.choice(blocks_t, 12, replace=False))
        few: dict[int, frozenset[int] | None] = {}
        for blk in blocks_t:
            pool = [m for s in plan if s.block == blk and s.teacher < 0 for m in s.members]
            arr = np.asarray(pool, dtype=np.int64)
            prio = short[arr] + rng.random(arr.size) if arr.size else arr
            few[blk] = frozenset(int(x) for x in arr[np.argsort(-prio)[:4]])
        return Window(
            blocks=tuple(blocks_t),
            teachers=dict.fromkeys(blocks_t, frozenset(pair)),
            learners=few,
            exact=False,
            max_skills=max_skills,
        )
    blocks = [b]
    if kind == "pair":
        others = [x for x in range(cp.n_blocks) if x != b]
        if others:
            blocks.append(int(rng.choice(others)))
    near = np.argsort(-(overlap[seed_t] + rng.random(cp.n_teachers) * 0.5))
    teachers = frozenset(int(t) for t in near[:size]) | {seed_t}
    # learners: members of those teachers' sessions are freed by the window; add some of the
    # teacherless learners of the block, those still missing minutes first
    learners: dict[int, frozenset[int] | None] = {}
    for blk in blocks:
        pool = [m for s in plan if s.block == blk and s.teacher < 0 for m in s.members]
        if not pool:
            learners[blk] = frozenset()
            continue
        arr = np.asarray(pool)
        prio = short[arr] + rng.random(arr.size)
        take = arr[np.argsort(-prio)[:learner_cap]]
        learners[blk] = frozenset(int(x) for x in take)
    return Window(
        blocks=tuple(blocks),
        teachers=dict.fromkeys(blocks, teachers),
        learners=learners,
        exact=False,
        max_skills=max_skills,
    )


def _teacher_week(
    cp: CompiledProblem,
    plan: list[Sess],
    rng: np.random.Generator,
    able: np.ndarray,
    learner: int,
    short: np.ndarray,
) -> Window:
    """Two of the ``able`` teachers over the blocks either leads and those where ``learner``
    works alone (at most 12), with the learner and a few teacherless learners free in each."""
    pair = {int(t) for t in rng.choice(able, min(2, able.size), replace=False)}
    led = {s.block for s in plan if s.teacher in pair}
    alone = {s.block for s in plan if s.teacher < 0 and learner in s.members}
    blocks = sorted(led | alone)
    if len(blocks) > 12:
        both = sorted(led & alone)
        rest = [b for b in blocks if b not in led & alone]
        take = 12 - min(12, len(both))
        picked = [int(b) for b in rng.choice(rest, take, replace=False)] if take else []
        blocks = sorted(both[:12] + picked)
    learners: dict[int, frozenset[int] | None] = {}
    for blk in blocks:
        pool = [m for s in plan if s.block == blk and s.teacher < 0 for m in s.members]
        arr = np.asarray(pool, dtype=np.int64)
        prio = short[arr] + rng.random(arr.size) if arr.size else arr
        few = {int(x) for x in arr[np.argsort(-prio)[:6]]}
        if cp.learner_available[learner, blk]:
            few.add(learner)
        learners[blk] = frozenset(few)
    return Window(
        blocks=tuple(blocks),
        teachers=dict.fromkeys(blocks, frozenset(pair)),
        learners=learners,
        exact=False,
        max_skills=6,
    )


def improve(
    cp: CompiledProblem,
    prep: Prepared,
    plan: list[Sess],
    objective: int,
    *,
    weights: Mapping[str, int],
    previous: Mapping[tuple[int, int], tuple[int, int, int, int]] | None,
    deadline: float,
    seed: int,
    workers: int,
    deterministic: bool,
    on_improve: Callable[[int], None] | None = None,
    max_windows: int | None = None,
) -> tuple[list[Sess], int, LnsStats]:
    """Run LNS until ``deadline`` (``time.monotonic()``); returns plan, objective, stats."""
    rng = np.random.default_rng(seed)
    overlap = _overlap(cp)
    stats = LnsStats()
    score = dict.fromkeys(KINDS, 1.0)
    if unmet_minutes(cp, plan).any():
        score["unmet"] = 4.0  # goal minutes are the objective's heaviest term
    size, learner_cap, budget = 3, 24, 1.5
    # with workers=1 the loop is deterministic: a fixed number of windows, each on CP-SAT's
    # deterministic time; the wall clock only stops a run that overshoots three-fold
    hard_stop = deadline + 2 * (deadline - time.monotonic())
    while True:
        now = time.monotonic()
        left = deadline - now
        if max_windows is not None and stats.iterations >= max_windows:
            break
        if deterministic and now >= hard_stop:
            break
        if not deterministic and left < 0.3:
            break
        short = unmet_minutes(cp, plan)
        kinds = [k for k in KINDS if k != "unmet" or short.any()]
        p = np.array([score[k] for k in kinds])
        kind = kinds[int(rng.choice(len(kinds), p=p / p.sum()))]
        window = _window(cp, plan, kind, rng, overlap, size, learner_cap, short, prep.allowed)
        if window is None:
            break
        wm = WindowModel(
            cp, prep, window, plan, weights=weights, previous=previous, strict_goals=False
        )
        if wm.hint_values is None:
            log.debug("window could not express the current plan; skipped")
            stats.iterations += 1
            continue
        res = wm.solve(
            time_limit=budget if deterministic else min(budget, max(0.2, left - 0.1)),
            seed=int(rng.integers(1 << 30)),
            workers=workers,
            deterministic=deterministic,
        )
        stats.iterations += 1
        stats.tried[kind] += 1
        if res.sessions is None or res.after is None or res.before is None:
            score[kind] = max(0.2, score[kind] * 0.9)
            continue
        if res.after <= res.before:
            gain = res.before - res.after
            plan = res.sessions
            objective -= gain
            if gain > 0:
                stats.improved[kind] += 1
                stats.gain[kind] += gain
                score[kind] = min(10.0, score[kind] * 1.3)
                if on_improve is not None:
                    on_improve(objective)
            else:
                score[kind] = max(0.2, score[kind] * 0.95)
        # grow windows that solve fast, shrink those that time out
        spent = res.work if deterministic else res.wall
        if res.status == "optimal" and spent < budget / 2:
            size, learner_cap = min(size + 1, 12), min(learner_cap + 10, 160)
        elif res.status != "optimal":
            size, learner_cap = max(size - 1, 2), max(learner_cap - 10, 10)
    log.info("LNS: %d windows, improved %s", stats.iterations, stats.improved)
    return plan, objective, stats
