"""plsched.solve end to end: tiny.json to proven optimality with facts derived by hand,
reproducibility, time limits, over-constrained schools, previous plans and bad parameters."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Future
from itertools import pairwise
from typing import Any

import pytest

from plsched import Instance, Schedule, load_instance, parse_instance, solving
from plsched.io import dump_json
from plsched.scoring import SCALE, score
from plsched.solvers.bound import LowerBound
from plsched.solving import Progress, Result, SolveOptions, solve

from .conftest import (
    SMALL_PATH,
    TINY_PATH,
    assert_checked,
    ready_for_b,
    school,
    solve_checked,
    teacher,
)

# -- tiny.json, solved once per session -----------------------------------------------------------


def test_tiny_is_solved_to_proven_optimality(tiny: Instance, tiny_optimal: Result) -> None:
    assert tiny_optimal.status == "optimal"
    assert tiny_optimal.plan.status == "optimal"
    assert tiny_optimal.objective == tiny_optimal.bound == 2000.0
    assert tiny_optimal.gap == 0.0
    assert tiny_optimal.stats["strategy"] == "exact"
    assert_checked(tiny, tiny_optimal)
    scaled = score(tiny, tiny_optimal.plan).scaled
    assert scaled == tiny_optimal.stats["solver_objective_scaled"]
    assert scaled == round(tiny_optimal.objective * SCALE)


def test_tiny_avoiders_never_share_a_session(tiny_optimal: Result) -> None:
    # l01 and l02 avoid each other.
    assert not any("l01" in s.learners and "l02" in s.learners for s in tiny_optimal.plan.sessions)


def test_tiny_ell_learner_only_meets_ell_teachers(tiny: Instance, tiny_optimal: Result) -> None:
    # l09 needs an "ell" teacher; only t-rivera carries the tag.
    ell = {t.id for t in tiny.teachers if "ell" in t.tags}
    assert ell == {"t-rivera"}
    met = {s.teacher for s in tiny_optimal.plan.sessions if "l09" in s.learners and s.teacher}
    assert met  # l09 does meet teachers (small_group and community)
    assert met <= ell


def test_tiny_unmet_goals_are_exactly_the_two_impossible_ones(tiny_optimal: Result) -> None:
    # l05 is the only learner ready for K.OA.A.1 and small_group needs 2: 120 minutes short.
    # l06 (max_group_size 3) cannot join community (min 6): 60 minutes short.
    # Every other goal can be met, and is at the optimum: shortfall 180 minutes × 10 = 1800.
    short = {(u.learner, u.subject, u.modality): u for u in tiny_optimal.unmet}
    assert set(short) == {("l05", "math", "small_group"), ("l06", None, "community")}
    l05 = short[("l05", "math", "small_group")]
    assert l05.minutes_short == 120
    assert "K.OA.A.1" in l05.reason
    l06 = short[("l06", None, "community")]
    assert l06.minutes_short == 60
    assert "max_group_size" in l06.reason
    assert tiny_optimal.objective_terms["goal_shortfall"] == 1800.0
    assert tiny_optimal.plan.unmet == tiny_optimal.unmet


def test_tiny_small_group_limit_of_l06_holds(tiny: Instance, tiny_optimal: Result) -> None:
    for s in tiny_optimal.plan.sessions:
        if "l06" in s.learners and s.teacher is not None:
            assert len(s.learners) <= 3


def test_tiny_objective_terms_sum_to_the_objective(tiny_optimal: Result) -> None:
    terms = tiny_optimal.objective_terms
    assert sum(round(v * SCALE) for v in terms.values()) == round(tiny_optimal.objective * SCALE)
    assert tiny_optimal.plan.objective_terms == terms
    assert terms["stability"] == 0.0  # no previous plan


def test_tiny_plan_validates_and_round_trips_through_json(tiny_optimal: Result) -> None:
    plan = tiny_optimal.plan
    text = dump_json(plan)
    again = Schedule.model_validate_json(text)
    assert again == plan
    assert Schedule.model_validate(json.loads(text)) == plan
    assert plan.format == "plsched/schedule@1"
    assert plan.instance == "example-tiny"
    assert plan.seed == 0
    assert len({s.id for s in plan.sessions}) == len(plan.sessions)


def test_resolving_with_its_own_plan_as_previous_changes_nothing(
    tiny: Instance, tiny_optimal: Result
) -> None:
    # The previous plan is optimal and has stability 0 against itself: the optimum of the new
    # objective is 2000 again, with stability 0.
    result = solve(tiny, time_limit=60, previous=tiny_optimal.plan)
    assert_checked(tiny, result, previous=tiny_optimal.plan)
    assert result.objective_terms["stability"] == 0.0
    assert score(tiny, result.plan, tiny_optimal.plan).raw["stability"] == 0
    assert result.objective == 2000.0


def test_a_whole_school_re_planned_on_its_own_plan_keeps_it() -> None:
    # small.json goes the whole-school way (standing groups, local search); given its own plan
    # as yesterday's, the re-plan starts from that plan (it still keeps every rule) and can
    # only improve on it: no change is charged and the objective is no worse.
    small = load_instance(SMALL_PATH)
    first = solve(small, time_limit=4, strategy="lns")
    again = solve(small, time_limit=4, strategy="lns", previous=first.plan)
    assert_checked(small, again, previous=first.plan)
    assert again.stats["construction"] == "previous plan"
    assert again.objective is not None and first.objective is not None
    assert again.objective <= first.objective


def test_a_teacher_away_today_changes_little_of_yesterdays_plan() -> None:
    # the teacher who led the most of Monday's sessions is away on Monday: yesterday's plan is
    # repaired (their sessions dissolve, the rest meets again), not rebuilt
    small = load_instance(SMALL_PATH)
    first = solve(small, time_limit=4, strategy="lns")
    monday = [s for s in first.plan.sessions if s.teacher and s.block.startswith("mon")]
    away = max({s.teacher for s in monday}, key=lambda t: sum(s.teacher == t for s in monday))
    doc = small.model_dump(mode="json")
    for t in doc["teachers"]:
        if t["id"] == away:
            t["unavailable"] = sorted({*t["unavailable"], *(b.block for b in monday)})
    today = parse_instance(doc)
    again = solve(today, time_limit=4, strategy="lns", previous=first.plan)
    assert_checked(today, again, previous=first.plan)
    assert again.stats["construction"] == "previous plan repaired"
    touched = sum(len(s.learners) for s in monday if s.teacher == away)
    assert 0 < score(today, again.plan, first.plan).raw["stability"] <= 5 * touched


@pytest.mark.parametrize(
    "policy",
    [
        {"weights": {"load_balance": 0, "group_size": 5, "continuity": 40}},
        {"allow_review": True, "allow_stretch": True},
        {"daily_subject_cap": 1},
    ],
    ids=["load-free", "review-stretch", "cap-1"],
)
def test_a_school_with_another_policy_gets_a_checked_plan(policy: dict[str, Any]) -> None:
    # planners try other weights and rules on the same school: each gets a plan that keeps
    # every hard rule, scored exactly as the solver scored it
    doc = load_instance(SMALL_PATH).model_dump(mode="json")
    doc["policy"] = policy
    instance = parse_instance(doc)
    result = solve(instance, time_limit=4, strategy="lns")
    assert_checked(instance, result)


# -- reproducibility and time limits ---------------------------------------------------------------


def _sessions(result: Result) -> list[tuple[Any, ...]]:
    return [
        (s.id, s.block, s.subject, s.skill, s.modality, s.teacher, s.room, s.learners)
        for s in result.plan.sessions
    ]


def test_same_seed_and_one_worker_give_the_same_plan_on_tiny(tiny: Instance) -> None:
    first = solve(tiny, time_limit=3, seed=7, workers=1)
    second = solve(tiny, time_limit=3, seed=7, workers=1)
    assert_checked(tiny, first)
    assert _sessions(first) == _sessions(second)
    assert first.objective == second.objective


def test_one_worker_search_budget_does_not_depend_on_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With workers=1 the search is run on CP-SAT's deterministic time; for the same instance,
    # seed and time limit its budget must be the same however long compiling took, or two runs
    # on a busy machine search for different lengths and return different plans.
    import plsched.solving as solve_module
    from plsched.solvers.cpsat.model import WindowModel

    budgets: list[float] = []
    real_solve = WindowModel.solve
    real_compile = solve_module.compile_problem

    def recording_solve(self: WindowModel, **kwargs: Any) -> Any:
        budgets.append(kwargs["time_limit"])
        return real_solve(self, **kwargs)

    def slow_compile(instance: Instance) -> Any:
        time.sleep(0.3)
        return real_compile(instance)

    monkeypatch.setattr(WindowModel, "solve", recording_solve)
    instance = school(ready_for_b("l1", "l2", "l3"), [teacher("t1")])
    first = solve(instance, time_limit=2, seed=0, workers=1, strategy="exact")
    monkeypatch.setattr(solve_module, "compile_problem", slow_compile)
    second = solve(instance, time_limit=2, seed=0, workers=1, strategy="exact")
    assert_checked(instance, first)
    assert_checked(instance, second)
    assert budgets[0] == budgets[1]


@pytest.fixture(scope="module")
def small() -> Instance:
    return load_instance(SMALL_PATH)


def test_same_seed_and_one_worker_give_the_same_plan_with_lns(small: Instance) -> None:
    first = solve(small, time_limit=3, seed=3, workers=1, strategy="lns")
    second = solve(small, time_limit=3, seed=3, workers=1, strategy="lns")
    assert first.stats["strategy"] == "lns"
    assert_checked(small, first)
    assert _sessions(first) == _sessions(second)


def test_the_time_limit_is_honoured_on_small(small: Instance) -> None:
    # 5 s asked; the machine is shared, so allow 20 s of slack for compiling and scoring.
    t0 = time.monotonic()
    result = solve(small, time_limit=5, seed=0)
    wall = time.monotonic() - t0
    assert wall < 5 + 20, wall
    assert_checked(small, result)
    assert result.plan.solve_seconds is not None and result.plan.solve_seconds < 5 + 20
    assert result.bound is not None and result.bound <= result.objective


def test_a_search_that_breaks_a_hard_rule_returns_an_earlier_plan_that_keeps_them(
    small: Instance, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # every local search puts a learner working alone twice in its block (rule 1): the plan
    # returned is the one the first local search started from, and its objective is its own
    def breaking(*args: Any, **kwargs: Any) -> Any:
        out, stats = polish(*args, **kwargs)
        alone = next(s for s in out if s.teacher < 0)
        return [*out, alone], stats

    polish = solving.polish
    monkeypatch.setattr(solving, "polish", breaking)
    with caplog.at_level(logging.WARNING, logger="plsched.solving"):
        result = solve(small, time_limit=3, seed=3, workers=1, strategy="lns")
    assert_checked(small, result)
    assert any("breaks a hard rule" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("room", [-1e9, 1e9])  # always fits, never fits
def test_the_other_shares_plan_is_polished_only_when_there_is_time_for_it(
    small: Instance, monkeypatch: pytest.MonkeyPatch, room: float
) -> None:
    # both shares' standing groups are built; the other share's gets a pass of its own only
    # when RIVAL_ROOM times the first pass still fits, else the first plan's passes go on
    calls: list[tuple[Any, int, Any]] = []  # (plan in, max_passes, plan out)

    def recorded(cp: Any, prep: Any, plan: Any, **kwargs: Any) -> Any:
        out, stats = polish(cp, prep, plan, **kwargs)
        calls.append((plan, kwargs["max_passes"], out))
        return out, stats

    polish = solving.polish
    monkeypatch.setattr(solving, "polish", recorded)
    monkeypatch.setattr(solving, "RIVAL_ROOM", room)
    result = solve(small, time_limit=6, seed=0, workers=2, strategy="lns")
    assert_checked(small, result)
    assert result.stats["construction"] == "standing groups"
    assert len(calls) >= 2 and calls[0][1] == 1  # one pass: a rival was built
    first_out = calls[0][2]
    if room < 0:
        assert calls[1][0] is not first_out and calls[1][1] == 1
    else:
        assert calls[1][0] is first_out and calls[1][1] > 1


def test_a_local_search_stopped_in_its_learners_moves_is_followed_by_the_moves_after_them(
    small: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every local search is made to say the clock stopped it in its learners' moves: a later
    # one from its plan starts after those moves; one from another plan (a restart's) does not
    calls: list[tuple[Any, bool, Any]] = []  # (plan in, learners_first, plan out)

    def recorded(cp: Any, prep: Any, plan: Any, **kwargs: Any) -> Any:
        out, stats = polish(cp, prep, plan, **kwargs)
        stats.cut_in_moves = True
        calls.append((plan, kwargs["learners_first"], out))
        return out, stats

    polish = solving.polish
    monkeypatch.setattr(solving, "polish", recorded)
    result = solve(small, time_limit=6, seed=0, workers=2, strategy="lns")
    assert_checked(small, result)
    assert len(calls) >= 3 and calls[0][1]
    outs = [out for _, _, out in calls]
    for n, (plan, learners_first, _) in enumerate(calls):
        assert learners_first is not any(plan is out for out in outs[:n])
    assert any(not first for _, first, _ in calls)


def test_bounds_left_for_the_end_are_not_computed_twice() -> None:
    # the session and LP bounds left for after the search: the joint bound's thread may have
    # started them by then, and they are then waited for, not computed again beside it
    lb = LowerBound(scaled=5, shortfall_minutes=0, reaches=())
    theirs = LowerBound(scaled=9, shortfall_minutes=0, reaches=())
    computed: list[LowerBound] = []

    def compute() -> LowerBound:
        computed.append(LowerBound(scaled=7, shortfall_minutes=0, reaches=()))
        return computed[-1]

    running: Future[LowerBound | None] = Future()
    running.set_running_or_notify_cancel()
    assert solving._bounds_at_the_end(lb, running, compute) is None
    done: Future[LowerBound | None] = Future()
    done.set_result(theirs)
    assert solving._bounds_at_the_end(lb, done, compute) is theirs
    assert not computed
    skipped: Future[LowerBound | None] = Future()
    skipped.set_result(None)  # its thread found too little time left
    for beside in (skipped, Future(), None):  # skipped, still queued, never submitted
        assert solving._bounds_at_the_end(lb, beside, compute) is computed[-1]
    assert len(computed) == 3


# -- over-constrained schools ----------------------------------------------------------------------


def test_tiny_with_one_teacher_still_gets_a_plan_with_reasons(tiny_dict: dict[str, Any]) -> None:
    # Without t-okafor, t-rivera (6 sessions a week) cannot give 12 learners 120 minutes of
    # small_group each: more goals than the two impossible ones are short.
    tiny_dict["teachers"] = [t for t in tiny_dict["teachers"] if t["id"] != "t-okafor"]
    instance = parse_instance(tiny_dict)
    result = solve(instance, time_limit=5)
    assert_checked(instance, result)
    assert len(result.unmet) > 2
    assert all(u.reason and u.minutes_short > 0 for u in result.unmet)
    raw = score(instance, result.plan).raw["goal_shortfall"]
    assert sum(u.minutes_short for u in result.unmet) == raw


def test_tiny_with_strict_goals_is_infeasible_with_a_reason(tiny_dict: dict[str, Any]) -> None:
    # l05's goal cannot be met by any plan.
    tiny_dict["policy"] = {"strict_goals": True}
    instance = parse_instance(tiny_dict)
    result = solve(instance, time_limit=10)
    assert result.status == "infeasible"
    assert result.plan.status == "infeasible"
    assert result.objective is None and result.plan.sessions == ()
    assert "strict_goals" in str(result.stats["reason"])


# -- options and callbacks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [{"time_limit": 0}, {"time_limit": -1.5}, {"workers": 0}, {"seed": -1}, {"strategy": "x"}],
)
def test_bad_parameters_are_rejected_with_a_value_error(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        SolveOptions(**bad)
    instance = school(ready_for_b("l1", "l2"), [teacher("t1")])
    with pytest.raises(ValueError):
        solve(instance, **{"time_limit": 5, **bad})


def test_callbacks_hear_the_progress_up_to_done() -> None:
    heard: list[Progress] = []
    instance = school(ready_for_b("l1", "l2", "l3"), [teacher("t1")])
    result = solve_checked(instance, callbacks=[heard.append])
    assert heard[0].phase == "construction"
    assert heard[-1].phase == "done"
    assert heard[-1].objective == result.objective == 0.0
    assert all(b.seconds >= a.seconds for a, b in pairwise(heard))


def test_tiny_path_is_the_shared_example() -> None:
    assert TINY_PATH.is_file()
