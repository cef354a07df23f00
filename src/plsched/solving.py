"""``plsched.solve``: construction, then CP-SAT on the whole problem (small schools) or
large-neighbourhood search (whole schools), a lower bound, and a checked, scored plan.

(The module is ``solving`` so that ``plsched.solve`` can be the function.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from plsched._version import __version__
from plsched.check import check
from plsched.compiled import CompiledProblem, compile_problem
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule, Status, Unmet
from plsched.scoring import SCALE as SCALE
from plsched.scoring import goal_shortfalls, scaled_weights, score
from plsched.solvers.bound import (
    GoalReach,
    LowerBound,
    ReachMasks,
    goal_reach_masks,
    joint_bound,
    lower_bound,
)
from plsched.solvers.clustering import CLUSTER_TIME
from plsched.solvers.construction import construct
from plsched.solvers.cpsat.candidates import Prepared, prepare
from plsched.solvers.cpsat.model import WindowModel
from plsched.solvers.cpsat.window import Window
from plsched.solvers.lns import improve, unmet_minutes
from plsched.solvers.polish import PASSES, PolishStats, polish
from plsched.solvers.standing import (
    SESSION_SHARES,
    construct_standing,
    rooms_short,
    session_shares,
)
from plsched.solvers.state import (
    Sess,
    assignment_matrix,
    sessions_from_public,
    sessions_to_public,
)

__all__ = ["Progress", "Result", "SolveOptions", "solve"]

log = logging.getLogger(__name__)

# Whole-problem CP-SAT is used up to this many learner-blocks; beyond, LNS.
EXACT_LIMIT = 1_200

# Seconds the joint bound's HiGHS stops before the deadline, and the wait for it past it.
JOIN_MARGIN = 0.5

# Time limits from which the session and LP bounds left for lack of time beside the search run
# after it, in the search's last 15 % of the limit (see solve). With less, on a whole school
# they had too little time to prove anything: large at 10 s ended 2.3 s over its limit with the
# LP's 546.
LATE_BOUNDS_FROM = 40.0

# The other share's standing groups get a pass of the local search only while this many times
# the first start's pass still fits before the search moves on (see solve): the other share's
# pass took 0.9-2.6 times the first's (campus, xl).
RIVAL_ROOM = 2.5

# Share of a shorter limit given to the session and LP bounds of a whole school, which then run
# before the joint bound (see solve).
SHORT_BOUNDS_SHARE = 0.4

# Share of the limit the session and LP bounds may take when they run at the end of the search
# (at most 20 s): the search leaves them 15 % of it, and takes back what they do not use; a
# school too big to prove anything in that time runs past its limit.
LATE_SHARE = 0.25

# Share of the time left after the first local search kept from the restarts for the local
# search that re-seats each skill's sessions (polish._recourse), the CP-SAT windows and the
# last local search; and the share of what is left then kept for the last local search.
RESERVE = 0.15
LAST_SHARE = 0.1


class SolveOptions(BaseModel):
    """Validated solver parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: float = Field(default=60.0, gt=0, description="Wall-clock seconds.")
    seed: int = Field(default=0, ge=0, description="Seed of every random choice.")
    workers: int = Field(default=2, ge=1, le=64, description="CP-SAT workers.")
    strategy: Literal["auto", "exact", "lns"] = Field(
        default="auto", description="auto: exact CP-SAT for small schools, LNS beyond."
    )


@dataclass(frozen=True)
class Progress:
    """What a callback hears: elapsed seconds, best objective so far, best bound."""

    seconds: float
    objective: float | None
    bound: float | None
    phase: str


@dataclass(frozen=True)
class Result:
    """What ``solve`` returns: the plan (``plsched/schedule@1``) and its figures.

    ``objective``/``bound``/``gap`` repeat the plan's fields; ``timings`` holds seconds per
    phase ("compile", "bound", "construction", "first_feasible", "improvement", "total");
    ``stats`` the strategy used, LNS counts per neighbourhood, and the solver's own objective
    as an integer (``solver_objective_scaled``), which the scoring layer reproduces exactly.
    """

    status: Status
    plan: Schedule
    objective: float | None
    bound: float | None
    gap: float | None
    objective_terms: dict[str, float]
    unmet: tuple[Unmet, ...]
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, object] = field(default_factory=dict)

    @property
    def solver_objective_scaled(self) -> int | None:
        value = self.stats.get("solver_objective_scaled")
        return value if isinstance(value, int) else None


def _previous_keys(
    cp: CompiledProblem, previous: Schedule | None
) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    if previous is None:
        return {}
    keys: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for s in sessions_from_public(cp, previous.sessions):
        for m in s.members:
            keys[(m, s.block)] = s.key
    return keys


def _joint_until(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    reaches: list[GoalReach],
    deadline: float,
) -> int | None:
    """:func:`joint_bound` with the time left when it starts, less JOIN_MARGIN."""
    return joint_bound(
        cp,
        prep,
        weights,
        reaches,
        time_limit=max(0.1, deadline - JOIN_MARGIN - time.monotonic()),
    )


def _bounds_left(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    reach: tuple[list[GoalReach], ReachMasks],
    time_limit: float,
    deadline: float,
) -> LowerBound | None:
    """:func:`lower_bound` with its session and LP parts when ``time_limit`` seconds remain
    before ``deadline`` (less JOIN_MARGIN), else None."""
    if time.monotonic() + time_limit > deadline - JOIN_MARGIN:
        return None
    return lower_bound(cp, prep, weights, time_limit=time_limit, reach=reach)


def _settled(
    lb: LowerBound, beside: Future[LowerBound | None] | None, timeout: float
) -> LowerBound:
    """The bound of :func:`_bounds_left` once it is done (waiting ``timeout`` seconds at most),
    else ``lb``; one that failed or was not computed leaves ``lb``."""
    if beside is None:
        return lb
    try:
        found = beside.result(timeout=timeout)
    except TimeoutError:
        return lb
    except Exception:
        log.warning("the session and LP bounds failed; the per-learner bound stands", exc_info=True)
        return lb
    return lb if found is None else found


def _bounds_at_the_end(
    lb: LowerBound,
    beside: Future[LowerBound | None] | None,
    compute: Callable[[], LowerBound],
) -> LowerBound | None:
    """The session and LP bounds left to run after the search: ``beside``'s when it is done,
    None when its thread is computing them (it started them once the joint bound was done,
    with the time they need before the deadline), else ``compute()`` now. Computed on both
    threads, they took 8 s of the search's last seconds on the large preset, and the solve
    ended at 61.5 s."""
    if beside is not None and beside.running():
        return None
    settled = _settled(lb, beside, 0.0)
    return compute() if settled is lb else settled


def _ran_out(beside: Future[LowerBound | None] | None) -> bool:
    """Whether the session and LP bounds were left for lack of time beside the search."""
    if beside is None:
        return False
    return not beside.done() or (beside.exception() is None and beside.result() is None)


def _keeping_the_rules(
    instance: Instance,
    cp: CompiledProblem,
    opts: SolveOptions,
    plan: list[Sess],
    steps: list[list[Sess]],
    why: str,
) -> tuple[list[Sess], Schedule]:
    """The latest of ``steps`` that breaks no hard rule, and its schedule: the safety net for
    a search whose ``plan`` broke one (``why``). Every step is meant to keep them all, but the
    checker, which knows nothing of the solver, has the last word. ``plan`` itself when no
    step keeps them."""
    seen = {id(plan)}  # a step's plan is often the next step's start: checked once
    for earlier in reversed(steps):
        if id(earlier) in seen or not earlier:
            continue
        seen.add(id(earlier))
        drafted = _schedule(instance, cp, earlier, "feasible", opts)
        if check(instance, drafted).ok:
            log.warning(
                "The search's plan breaks a hard rule (%s); the plan of an earlier step, which "
                "keeps them all, is returned.",
                why,
            )
            return earlier, drafted
    log.error("The search's plan breaks a hard rule (%s), and so did every earlier step.", why)
    return plan, _schedule(instance, cp, plan, "feasible", opts)


def _no_joint_yet(joint: Future[int | None]) -> bool:
    """Whether the joint bound is still running, or ended with no bound."""
    if not joint.done():
        return True
    return joint.exception() is not None or joint.result() is None


def _gap(objective: float, bound: float) -> float:
    return max(0.0, (objective - bound) / max(1.0, objective))


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    callbacks: Sequence[Callable[[Progress], None]] | None = None,
    previous: Schedule | None = None,
    strategy: Literal["auto", "exact", "lns"] = "auto",
) -> Result:
    """Plan the instance within ``time_limit`` seconds.

    With ``workers=1`` the search is deterministic (CP-SAT's deterministic time and a fixed
    number of LNS windows): the same instance and seed give the same plan, but the search no
    longer reads the clock and may end well past ``time_limit`` (a 1,160-learner school with
    a limit of 60 s took 157 s).
    """
    opts = SolveOptions(time_limit=time_limit, seed=seed, workers=workers, strategy=strategy)
    t0 = time.monotonic()
    deadline = t0 + opts.time_limit
    deterministic = opts.workers == 1
    timings: dict[str, float] = {}

    joint: list[Future[int | None]] = []  # the joint bound, once started (see below)

    def report(objective: float | None, bound: float | None, phase: str) -> None:
        if bound is not None and joint and joint[0].done() and joint[0].exception() is None:
            bound = max(bound, (joint[0].result() or 0) / SCALE)
        for cb in callbacks or ():
            cb(Progress(time.monotonic() - t0, objective, bound, phase))

    cp = compile_problem(instance)
    prep = prepare(cp)
    weights = scaled_weights(instance.policy)
    prev = _previous_keys(cp, previous)
    timings["compile"] = time.monotonic() - t0

    mode = opts.strategy
    if mode == "auto":
        mode = "exact" if cp.n_learners * cp.n_blocks <= EXACT_LIMIT else "lns"
    # the joint relaxation, a stronger bound that takes seconds (27-45 s on the large preset, 11
    # s on xl, by the machine), runs beside the construction and the search (HiGHS releases the
    # GIL); with workers=1, after the construction and before the search, so that the same input
    # gives the same bound. On whole schools the session and LP bounds (6.5 s on large, 9 s on
    # xl, where the joint bound exceeds them) follow it on its thread when time remains, and the
    # search starts from the per-learner bound (_settled takes them once they are done); they
    # took 6.5-9 s of the search's own thread. When neither is done as the search ends its
    # restarts (a machine too slow for the joint bound), the search leaves them its last
    # bound_time, and they may take late_time (LATE_BOUNDS_FROM). With shorter limits, in which
    # the joint bound of a whole school seldom finishes (large at 30 s stated the per-learner
    # 546), they go first on that thread, with SHORT_BOUNDS_SHARE of the limit, and the joint
    # bound takes the rest
    reach = goal_reach_masks(cp, prep)
    bound_time = min(20.0, max(1.0, 0.15 * opts.time_limit))
    # the time limit of the session and LP bounds when they run at the end of the search, which
    # leaves them bound_time (see below): a 2,100-learner school's took 6.5 s and 5.9 s alone,
    # and ran out of 9 s beside the joint bound
    late_time = min(20.0, max(bound_time, LATE_SHARE * opts.time_limit))
    beside: Future[LowerBound | None] | None = None
    if not deterministic:
        pool = ThreadPoolExecutor(max_workers=1)  # one after the other
        bounds_first = mode == "lns" and opts.time_limit < LATE_BOUNDS_FROM
        if bounds_first:
            ahead = max(bound_time, SHORT_BOUNDS_SHARE * opts.time_limit)
            beside = pool.submit(_bounds_left, cp, prep, weights, reach, ahead, deadline)
        joint.append(pool.submit(_joint_until, cp, prep, weights, reach[0], deadline))
        if mode == "lns" and not bounds_first:
            beside = pool.submit(_bounds_left, cp, prep, weights, reach, bound_time, deadline)
        pool.shutdown(wait=False)

    t = time.monotonic()
    rng = np.random.default_rng(opts.seed)
    keep = sessions_from_public(cp, previous.sessions) if previous is not None else []
    plan = construct(cp, prep, rng, keep)
    timings["first_feasible"] = time.monotonic() - t0
    strict = instance.policy.strict_goals
    # yesterday's plan, when it still keeps every hard rule today, is where a re-plan starts
    # (below), so the standing groups are not built for it
    yesterday_valid = (
        bool(keep)
        and not strict
        and not _unplaced(cp, keep)
        and check(instance, _schedule(instance, cp, keep, "feasible", opts)).ok
    )
    # standing groups at each session share: the better scored is the start (the larger share
    # when rooms are short, session_shares), the other (when built) is polished beside it
    # before any other start (below)
    order = session_shares(cp)
    built: list[tuple[int, float, list[Sess]]] = []  # (score, share, plan)
    memo: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    # each goal's split over focus skills, once per solve (memo): CLUSTER_TIME at a minute,
    # less on shorter limits
    cluster_time = min(CLUSTER_TIME, opts.time_limit / 40)
    for each in order if not (yesterday_valid and mode == "lns") else ():
        # the first share splits the learners over their focus skills (memo), which takes
        # most of its time: the next share, which reuses that split, took 1.2 s where the
        # first took 14 s (campus) and 3.3 s where it took 19 s (xl). On a machine where the
        # first took more than a quarter of a minute's limit (17-22 s on campus), the next was
        # once skipped, and campus, which does best at the other share, planned 5,364 where
        # it plans 4,248-4,451 with both
        if built and not deterministic and time.monotonic() - t > 0.5 * opts.time_limit:
            break  # a school so big the split took half the time: the search needs the rest
        made = construct_standing(
            cp, prep, np.random.default_rng(opts.seed), weights, each, memo, cluster_time
        )
        if made is not None:
            made_scaled = score(
                instance, _schedule(instance, cp, made, "feasible", opts), previous
            ).scaled
            built.append((made_scaled, each, made))
    if not rooms_short(cp):
        built.sort(key=lambda b: b[0])  # stable: a tie keeps the first share
    standing_scaled, share, standing = built[0] if built else (0, order[0], None)
    rival = built[1] if len(built) > 1 else None
    timings["construction"] = time.monotonic() - t

    t = time.monotonic()
    lb = lower_bound(cp, prep, weights, lp=beside is None, time_limit=bound_time, reach=reach)
    timings["bound"] = time.monotonic() - t
    stats: dict[str, object] = {"strategy": mode, "construction": "greedy"}
    status: Status = "feasible"
    bound_scaled = lb.scaled

    unplaced = _unplaced(cp, plan)
    if unplaced and mode == "lns":
        plan = _seat_everyone(cp, prep, plan, weights, prev, opts, deadline)
        unplaced = _unplaced(cp, plan)
        if unplaced:
            timings["total"] = time.monotonic() - t0
            return _result_without_plan(instance, opts, timings, {**stats, "reason": unplaced})
    if unplaced:
        log.info("the construction left learners without a seat; CP-SAT starts unhinted")
        plan = []
        objective = None
    else:
        objective = score(
            instance, _schedule(instance, cp, plan, "feasible", opts), previous
        ).scaled
        # the standing-group plan (whole week at once) polishes far better than the
        # block-by-block greedy on whole schools, even when it starts with more goals short;
        # with yesterday's plan to keep, or for the exact model's hint, the better score wins
        if standing is not None and (
            (mode == "lns" and previous is None) or standing_scaled < objective
        ):
            plan, objective = standing, standing_scaled
            stats["construction"] = "standing groups"
            stats["session_share"] = share
        # yesterday's plan itself, when it still keeps every hard rule today (a nightly
        # re-plan with nothing changed then changes nothing), else yesterday's plan repaired:
        # its sessions that still keep every rule, everyone else seated to work alone
        if keep and not strict:
            if yesterday_valid:
                yesterday, how = list(keep), "previous plan"
            else:
                yesterday = construct(cp, prep, rng, keep, grow=False)
                how = "previous plan repaired"
            # mostly standing (half its teacher-led sessions or more), it is the start even when
            # it scores worse at first: the goals its dissolved sessions leave short are what the
            # local search opens sessions for, and everything else stays as it was
            led = [x for x in keep if x.teacher >= 0]
            mostly = 2 * sum(x.teacher >= 0 for x in yesterday) >= len(led) > 0
            if not _unplaced(cp, yesterday):
                kept = score(
                    instance, _schedule(instance, cp, yesterday, "feasible", opts), previous
                ).scaled
                if kept < objective or (mostly and mode == "lns"):
                    plan, objective = yesterday, kept
                    stats["construction"] = how
        report(objective / SCALE, lb.scaled / SCALE, "construction")
    solver_objective = objective
    # the plans each step starts from and ends with, to fall back on (see _keeping_the_rules)
    steps: list[list[Sess]] = [plan]

    if deterministic:
        joint.append(Future())
        try:
            joint[0].set_result(
                joint_bound(
                    cp,
                    prep,
                    weights,
                    reach[0],
                    time_limit=max(10.0, opts.time_limit),
                )
            )
        except Exception as exc:  # reported where the thread's would be
            joint[0].set_exception(exc)

    t = time.monotonic()
    late = False  # the session and LP bounds run after the search, as decided below
    if mode == "exact":
        wm = WindowModel(cp, prep, Window.whole(cp), plan, weights=weights, previous=prev)
        res = wm.solve(
            time_limit=opts.time_limit if deterministic else max(0.1, deadline - time.monotonic()),
            seed=opts.seed,
            workers=opts.workers,
            deterministic=deterministic,
            proving=True,
            on_solution=lambda o, b: report(o / SCALE, max(b, lb.scaled) / SCALE, "cp-sat"),
        )
        stats["cp_sat_status"] = res.status
        if res.status == "infeasible":
            stats["reason"] = unplaced or (
                "CP-SAT proved that no plan keeps every hard rule"
                + (" and meets every goal (policy.strict_goals)" if strict else "")
                + (f"; {_unreachable(cp, lb.reaches)}" if strict and lb.shortfall_minutes else "")
            )
            timings["total"] = time.monotonic() - t0
            return _result_without_plan(instance, opts, timings, stats, "infeasible")
        if res.sessions is not None and res.after is not None:
            if solver_objective is None or res.after <= solver_objective:
                plan, solver_objective = res.sessions, res.after
                steps.append(plan)
            if res.bound is not None:
                bound_scaled = max(bound_scaled, int(np.ceil(res.bound - 1e-6)))
            if res.status == "optimal":
                bound_scaled = max(bound_scaled, solver_objective)
        if solver_objective is None:
            stats["reason"] = "no plan was found within the time limit"
            timings["total"] = time.monotonic() - t0
            return _result_without_plan(instance, opts, timings, stats, "unknown")
    else:
        assert objective is not None
        # local search first (cheap, whole school) on each start, then on the plan kept with
        # each skill's sessions re-seated too, then CP-SAT windows, then local search again on
        # what the windows changed; with workers=1 a fixed number of passes, not the clock
        polish_rng = np.random.default_rng(opts.seed)
        reserve = RESERVE * (deadline - time.monotonic())

        # the plans of the local searches that the clock stopped in their learners' moves: a
        # local search from one starts with the moves after them, which it would otherwise
        # never reach (xl, whose construction leaves 25 s: 9,380 / 9,282 → 8,960 / 8,716 at
        # seeds 0 / 1; large and campus, whose passes end before the clock, unchanged)
        cut: list[list[Sess]] = []

        def local_search(
            plan: list[Sess], until: float, passes: int = PASSES, recourse: bool = False
        ) -> tuple[list[Sess], PolishStats]:
            polished, polish_stats = polish(
                cp,
                prep,
                plan,
                weights=weights,
                previous=prev,
                rng=polish_rng,
                deadline=float("inf") if deterministic else until,
                max_passes=passes,
                recourse=recourse,
                learners_first=not any(plan is x for x in cut),
            )
            if polish_stats.cut_in_moves:
                cut.append(polished)
            steps.extend((plan, polished))
            return polished, polish_stats

        # the other share's standing groups too, when both were built: which one polishes
        # best is not known from the raw score (xl: 37,978 at share 0.5 against 38,864 at 1.2
        # built, 15,752 against 13,512 polished), but it is after one pass of the local search,
        # which finds most of the gain; the better then goes on alone (a local search cut by
        # the clock and called again starts over with the learners' moves and never reaches
        # its later moves: xl at seeds 0 / 1, 14,026 / 14,024 in a minute polishing each share
        # 12 s, 13,738 / 13,568 with one pass each and the better polished on)
        if stats["construction"] != "standing groups" or deterministic:
            rival = None

        def search_end() -> float:
            """The deadline, less the session and LP bounds' time while they look left to run
            after the search (neither they nor the joint bound done yet, see below)."""
            if opts.time_limit >= LATE_BOUNDS_FROM and _ran_out(beside) and _no_joint_yet(joint[0]):
                return deadline - bound_time
            return deadline

        until = t + 0.6 * (deadline - t)
        plan, first = local_search(plan, until, 1 if rival is not None else PASSES)
        objective -= first.gain
        took = time.monotonic() - t  # a start's local search, to time the restarts below
        polish_gain, polish_moves = first.gain, first.moves
        if rival is not None:
            # the other share's pass only when it and then more passes on the better plan fit:
            # a school so big that its construction took half the limit (xl, 34 s) did better
            # polished on alone (one pass each and no time left for more, 16,258; passes on
            # the first alone, 13,456)
            if time.monotonic() + RIVAL_ROOM * took <= until:
                start = time.monotonic()
                rival_scaled, rival_share, rival_plan = rival
                polished, more = local_search(rival_plan, until, 1)
                took = max(took, time.monotonic() - start)
                if rival_scaled - more.gain < objective:
                    plan, objective = polished, rival_scaled - more.gain
                    polish_gain, polish_moves = more.gain, more.moves
                    stats["session_share"] = share = rival_share
            start = time.monotonic()
            plan, more = local_search(plan, until)
            objective -= more.gain
            took += time.monotonic() - start
            polish_gain, polish_moves = polish_gain + more.gain, polish_moves + more.moves
        report(objective / SCALE, bound_scaled / SCALE, "polish")
        # goal minutes short beyond what the bound proves unavoidable are worth more than
        # another start: CP-SAT windows around those learners get a fifth of what is left
        lb = _settled(lb, beside, 0.0)
        bound_scaled = max(bound_scaled, lb.scaled)
        if _short_minutes(cp, plan) > lb.shortfall_minutes:
            reserve = 0.2 * (deadline - time.monotonic())
        # polished standing-group plans of other seeds differ by a few per cent, more than the
        # CP-SAT windows gain: while another start and its local search fit, try one
        restarts = 0
        shares = [x for x in SESSION_SHARES if x != share] + [share]
        while (
            stats["construction"] == "standing groups"
            and not deterministic
            and time.monotonic() + 1.2 * took < search_end() - reserve
        ):
            restarts += 1
            start = time.monotonic()
            # the other share first: which one polishes best is not known from the raw score
            other_share = shares[(restarts - 1) % len(shares)]
            again = construct_standing(
                cp,
                prep,
                np.random.default_rng(opts.seed + restarts),
                weights,
                other_share,
                memo,
                cluster_time,
            )
            if again is None:
                break
            other = score(
                instance, _schedule(instance, cp, again, "feasible", opts), previous
            ).scaled
            again, more = local_search(again, search_end() - reserve)
            if other - more.gain < objective:
                plan, objective = again, other - more.gain
                stats["session_share"] = other_share
                report(objective / SCALE, bound_scaled / SCALE, "restart")
            took = max(took, time.monotonic() - start)
        stats["restarts"] = restarts
        # the session and LP bounds that the joint bound's thread will not reach run after the
        # search (below); when that is plain already, the search ends their time early, so
        # that the solve still ends near its time limit (a 1,029-learner school whose joint
        # bound ran out of time ended at 67.8 s of 60, with 6.2 s of them after the search;
        # a 1,371-learner one at 64.4 s, its last restart having run into their time)
        end = search_end()
        late = end < deadline
        end = max(time.monotonic(), end)
        # the plan kept has each skill's sessions re-seated (the slowest move, left out of the
        # starts above: it halved the restarts), then CP-SAT windows, then local search again
        # on what they changed
        last_share = LAST_SHARE * (end - time.monotonic())
        plan, more = local_search(plan, end - last_share, recourse=True)
        objective -= more.gain
        polish_gain, polish_moves = polish_gain + more.gain, polish_moves + more.moves
        plan, solver_objective, lns = improve(
            cp,
            prep,
            plan,
            objective,
            weights=weights,
            previous=prev,
            # workers=1 counts windows; its safety stop runs from here, not from the start
            deadline=time.monotonic() + opts.time_limit if deterministic else end - last_share,
            seed=opts.seed,
            workers=opts.workers,
            deterministic=deterministic,
            on_improve=lambda o: report(o / SCALE, bound_scaled / SCALE, "lns"),
            max_windows=max(1, int(opts.time_limit // 2)) if deterministic else None,
        )
        plan, last = local_search(plan, end)
        solver_objective -= last.gain
        polish_gain, polish_moves = polish_gain + last.gain, polish_moves + last.moves
        if late:
            # now, beside the joint bound still running, unless its thread got to them after
            # all; the local search goes on in the time they leave
            t_late = time.monotonic()
            found = _bounds_at_the_end(
                lb,
                beside,
                lambda: lower_bound(cp, prep, weights, time_limit=late_time, reach=reach),
            )
            if found is None:
                late = False  # waited for below, while the search goes on
            else:
                settled = found
            timings["late_bounds"] = time.monotonic() - t_late
            if deadline - time.monotonic() > 1.0:
                plan, last = local_search(plan, deadline)
                solver_objective -= last.gain
                polish_gain, polish_moves = polish_gain + last.gain, polish_moves + last.moves
        stats.update(windows=lns.iterations, improved=lns.improved, tried=lns.tried, gain=lns.gain)
        stats.update(polish_gain=polish_gain, polish_moves=polish_moves)
    timings["improvement"] = time.monotonic() - t
    t = time.monotonic()
    if not late:
        settled = _settled(lb, beside, max(0.0, deadline - time.monotonic()) + JOIN_MARGIN)
    try:
        stronger = joint[0].result(timeout=max(0.0, deadline - time.monotonic()) + JOIN_MARGIN)
    except TimeoutError:  # HiGHS overran its time limit: the bound found so far stands
        log.info("the joint bound did not finish within the time limit")
        stronger = None
    except Exception:  # a bound that failed leaves the plan and the other bounds
        log.warning("the joint bound failed; the other bounds stand", exc_info=True)
        stronger = None
    lb = settled
    bound_scaled = max(bound_scaled, lb.scaled)
    timings["joint_bound_wait"] = time.monotonic() - t
    if stronger is not None and stronger > bound_scaled:
        stats["bound"] = "joint relaxation"
        bound_scaled = stronger

    drafted = _schedule(instance, cp, plan, "feasible", opts)
    broken = check(instance, drafted).violations if plan else ()
    if broken:
        plan, drafted = _keeping_the_rules(instance, cp, opts, plan, steps, broken[0].message)
        solver_objective = score(instance, drafted, previous).scaled
    final = score(instance, drafted, previous)
    if final.scaled != solver_objective:
        log.warning(
            "solver objective %d differs from the scoring layer's %d",
            solver_objective,
            final.scaled,
        )
    stats["solver_objective_scaled"] = solver_objective
    bound_scaled = min(bound_scaled, final.scaled)
    if final.scaled == bound_scaled:
        status = "optimal"
    if strict and final.raw["goal_shortfall"] > 0:
        # proven only when the per-learner relaxation already misses minutes
        status = "infeasible" if lb.shortfall_minutes > 0 else "unknown"
        stats["reason"] = (
            "some goals cannot be met by any plan (policy.strict_goals): "
            + _unreachable(cp, lb.reaches)
            if status == "infeasible"
            else "no plan meeting every goal was found within the time limit"
        )
    objective_f = final.scaled / SCALE
    bound_f = bound_scaled / SCALE
    gap = _gap(objective_f, bound_f)
    short_bound = lb.shortfall_minutes
    short = final.raw["goal_shortfall"]
    gaps = {
        "coverage": {
            "objective": short,
            "bound": min(short_bound, short),
            "gap": _gap(short, min(short_bound, short)),
        },
        "total": {"objective": objective_f, "bound": bound_f, "gap": gap},
    }
    unmet = _unmet(instance, cp, plan, lb.reaches)
    elapsed = time.monotonic() - t0
    timings["total"] = elapsed
    schedule = Schedule(
        instance=instance.name,
        status=status,
        objective=objective_f,
        bound=bound_f,
        gap=gap,
        gaps=gaps,
        objective_terms=dict(final.weighted),
        sessions=tuple(sessions_to_public(cp, plan)),
        unmet=unmet,
        solve_seconds=round(elapsed, 3),
        seed=opts.seed,
        options=_options(opts, stats),
        plsched_version=__version__,
    )
    report(objective_f, bound_f, "done")
    return Result(
        status, schedule, objective_f, bound_f, gap, dict(final.weighted), unmet, timings, stats
    )


def _short_minutes(cp: CompiledProblem, plan: list[Sess]) -> int:
    """Goal minutes the plan leaves short, over every learner."""
    return int(unmet_minutes(cp, plan).sum())


def _unplaced(cp: CompiledProblem, plan: list[Sess]) -> str:
    """A sentence naming a learner and block left without a session, or ''."""
    placed = assignment_matrix(cp, plan) >= 0
    missing = cp.learner_available & ~placed
    if not missing.any():
        return ""
    l, b = (int(x) for x in np.argwhere(missing)[0])
    blocks = sorted({cp.block_ids[int(x)] for x in np.flatnonzero(missing.any(axis=0))})
    return (
        f"the rooms open in block {cp.block_ids[b]!r} cannot seat every learner present "
        f"(learner {cp.learner_ids[l]!r} has no place; {int(missing.sum())} learner-blocks in "
        f"{len(blocks)} block(s) are short)"
    )


def _unreachable(cp: CompiledProblem, reaches: Sequence[GoalReach]) -> str:
    """The goals no plan can meet, in words (at most three named)."""
    short = [r for r in reaches if r.reachable < r.goal]
    named = "; ".join(
        f"learner {cp.learner_ids[r.learner]!r}, {cp.modality_ids[r.modality]}"
        + (f" {cp.subject_ids[r.subject]}" if r.subject >= 0 else "")
        + f": {r.reason}"
        for r in short[:3]
    )
    return named + (f"; and {len(short) - 3} more" if len(short) > 3 else "")


def _seat_everyone(
    cp: CompiledProblem,
    prep: Prepared,
    plan: list[Sess],
    weights: dict[str, int],
    prev: dict[tuple[int, int], tuple[int, int, int, int]],
    opts: SolveOptions,
    deadline: float,
) -> list[Sess]:
    """Re-plan with CP-SAT each block where the construction left someone without a seat."""
    placed = assignment_matrix(cp, plan) >= 0
    short = np.flatnonzero((cp.learner_available & ~placed).any(axis=0))
    for b in map(int, short):
        left = deadline - time.monotonic()
        if left <= 0.5:
            break
        window = Window(blocks=(b,), exact=False)
        wm = WindowModel(cp, prep, window, plan, weights=weights, previous=prev, strict_goals=False)
        res = wm.solve(
            time_limit=min(left / 2, max(1.0, left / max(1, len(short)))),
            seed=opts.seed,
            workers=opts.workers,
        )
        if res.sessions is not None:
            plan = res.sessions
    return plan


def _result_without_plan(
    instance: Instance,
    opts: SolveOptions,
    timings: dict[str, float],
    stats: dict[str, object],
    status: Status = "infeasible",
) -> Result:
    plan_out = Schedule(
        instance=instance.name,
        status=status,
        solve_seconds=round(timings.get("total", 0.0), 3),
        seed=opts.seed,
        options={**_options(opts, stats), "reason": stats.get("reason")},
        plsched_version=__version__,
    )
    return Result(status, plan_out, None, None, None, {}, (), timings, stats)


def _options(opts: SolveOptions, stats: dict[str, object]) -> dict[str, object]:
    return {**opts.model_dump(), "strategy_used": stats.get("strategy")}


def _schedule(
    instance: Instance, cp: CompiledProblem, plan: list[Sess], status: Status, opts: SolveOptions
) -> Schedule:
    return Schedule(
        instance=instance.name,
        status=status,
        sessions=tuple(sessions_to_public(cp, plan)),
        seed=opts.seed,
    )


def _unmet(
    instance: Instance, cp: CompiledProblem, plan: list[Sess], reaches: Sequence[GoalReach]
) -> tuple[Unmet, ...]:
    why = {(cp.learner_ids[r.learner], r.subject, r.modality): r for r in reaches}
    out: list[Unmet] = []
    schedule = _schedule(instance, cp, plan, "feasible", SolveOptions())
    for learner, subject, modality, short in goal_shortfalls(instance, schedule):
        s = -1 if subject is None else cp.subject_index[subject]
        m = cp.modality_index[modality]
        r = why.get((learner, s, m))
        reason = r.reason if r is not None else "not reached within the time limit"
        if r is not None and r.reachable >= r.goal:
            reason = (
                "teachers, rooms and peers went to other groups; a longer solve or more "
                "teacher time may meet it"
            )
        out.append(
            Unmet(
                learner=learner,
                subject=subject,
                modality=modality,
                minutes_short=short,
                reason=reason,
            )
        )
    return tuple(out)
