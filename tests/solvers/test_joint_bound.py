"""The joint bound (solvers/session_bound.py, ``joint_lower_bound``, and bound.joint_bound): every
teacher-led goal in one LP, each counted session led by a teacher who may lead it, and a
teacher's sessions over its fair load priced at the load_balance weight. It never exceeds a
proven optimum, it sees a teacher pushed over its fair load where the per-subject session bound
sees nothing, and ``plsched.solve`` states it.

Weights in scaled units: a goal minute short 1000, a learner off target 200, a session over a
teacher's fair load 1000 (load_balance 10, where the hand-sized schools of conftest.py set 0).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from plsched import Instance, parse_instance, solving
from plsched.compiled import compile_problem
from plsched.generate import generate
from plsched.scoring import scaled_weights, score
from plsched.solvers import bound
from plsched.solvers.bound import goal_reach, joint_bound, lower_bound
from plsched.solvers.cpsat.candidates import prepare
from plsched.solvers.session_bound import JointBound, joint_goals, joint_lower_bound, plain_led
from plsched.solving import Progress, solve

from . import test_bound, test_session_bound
from .conftest import (
    independent,
    ready_for_a,
    school_dict,
    small_group,
    solve_checked,
    teacher,
)

OVER_FAIR = 1000  # scaled cost of a session over a teacher's fair load


def _joint(instance: Instance) -> int | None:
    cp = compile_problem(instance)
    prep = prepare(cp)
    return joint_bound(
        cp, prep, scaled_weights(instance.policy), goal_reach(cp, prep), time_limit=20.0
    )


def _no_joint_bound(*args: Any, **kwargs: Any) -> int:
    raise RuntimeError("no HiGHS today")


def _old(instance: Instance) -> int:
    cp = compile_problem(instance)
    return lower_bound(cp, prepare(cp), scaled_weights(instance.policy)).scaled


def _three_by_three() -> dict[str, Any]:
    return small_group(min_size=2, max_size=3, target_size=3)


def _one_teacher_for_a() -> Instance:
    # Nine learners ready for a, 60 minutes each; t1 alone is qualified for a (level 0), t2 for
    # b and c. Sessions seat at most 3, so a needs 3 sessions of t1. Demand: 9 sittings at
    # target 3 = 3 sessions; capacity 4 + 4, so each fair load is ceil(4 × 3/8) = 2: t1 leads
    # one session over its fair load (1,000), the optimum. Per subject nothing is over a
    # capacity (0).
    doc = school_dict(
        ready_for_a(*(f"l{i}" for i in range(9))),
        [
            teacher("t1", per_week=4, qualifications=_levels(0, 0)),
            teacher("t2", per_week=4, qualifications=_levels(1, 2)),
        ],
        blocks=("mon-1", "mon-2", "tue-1", "tue-2"),
        modalities=[_three_by_three(), independent()],
        policy={"weights": {"load_balance": 10}},
    )
    return parse_instance(doc)


def _levels(lo: int, hi: int) -> list[dict[str, Any]]:
    return [{"subject": "math", "min_level": lo, "max_level": hi}]


def _conference() -> Instance:
    # _one_teacher_for_a, and a conference (teacher-led, no skill, 1..2, target 1) that six
    # learners want for 60 minutes, led by t2 only, who has 4 sessions a week: 3 conferences
    # of two learners (3 × 200) or more of one, over t2's fair load. Demand: 3 + 6 sessions,
    # capacity 8, fair 4 each: t1 over by 0 with 3 (its fair load is now 4), t2 leads 4
    # conferences at most; 6 sittings in at most 4 sessions of at most 2: at least 2 of two
    # (400), the optimum: four conferences, two of them of two.
    doc = school_dict(
        ready_for_a(*(f"l{i}" for i in range(9))),
        [
            teacher("t1", per_week=4, qualifications=_levels(0, 0)),
            teacher(
                "t2",
                per_week=4,
                qualifications=_levels(1, 2),
                modalities=["small_group", "conference"],
            ),
        ],
        blocks=("mon-1", "mon-2", "tue-1", "tue-2"),
        modalities=[
            _three_by_three(),
            independent(),
            {
                "id": "conference",
                "teacher_required": True,
                "min_size": 1,
                "max_size": 2,
                "target_size": 1,
                "skill_focus": False,
                "mix": "any",
            },
        ],
        policy={"weights": {"load_balance": 10}},
    )
    for one in doc["learners"][:6]:
        one["goals"].append(
            {"subject": None, "modality": "conference", "minutes_per_week": 60, "focus": []}
        )
    return parse_instance(doc)


HAND: dict[str, tuple[Callable[[], Instance], int]] = {
    "one_teacher_for_a": (_one_teacher_for_a, OVER_FAIR),
    "conference": (_conference, 400),
}


@pytest.mark.parametrize("name", list(HAND))
def test_the_joint_bound_proves_a_load_the_other_bounds_miss(name: str) -> None:
    build, value = HAND[name]
    instance = build()
    result = solve_checked(instance)
    assert result.stats["solver_objective_scaled"] == value
    assert _joint(instance) == value > test_session_bound._session_total(instance)
    assert value >= _old(instance)
    # plsched.solve states it (with workers=1 before the search, else beside it)
    for workers in (1, 2):
        found = solve(instance, time_limit=5, seed=0, workers=workers)
        assert found.bound is not None and round(found.bound * 100) == value
        assert found.status == "optimal"


SCHOOLS: dict[str, Callable[[], Instance]] = {
    **{f"bound_{k}": v for k, v in test_bound.SCHOOLS.items()},
    **{f"session_{k}": v for k, v in test_session_bound.SCHOOLS.items()},
    **{f"hand_{k}": v[0] for k, v in test_session_bound.HAND.items()},
    **{f"crowded_{k}": v[0] for k, v in test_session_bound.CROWDED.items()},
}


@pytest.mark.parametrize("name", list(SCHOOLS))
def test_the_joint_bound_never_exceeds_a_proven_optimum(name: str) -> None:
    instance = SCHOOLS[name]()
    result = solve_checked(instance)
    optimum = result.stats["solver_objective_scaled"]
    assert isinstance(optimum, int)
    found = _joint(instance)
    assert found is not None and 0 <= found <= optimum


@pytest.mark.parametrize("seed", [1, 2])
def test_the_joint_bound_stays_below_plans_found_on_the_small_preset(seed: int) -> None:
    instance = parse_instance(generate("small", seed))
    found = _joint(instance)
    assert found is not None and found == _joint(instance)  # deterministic
    result = solve(instance, time_limit=3, seed=0, workers=1)  # the bound before the search
    assert result.status in ("optimal", "feasible")
    assert found <= score(instance, result.plan).scaled
    assert result.bound is not None and round(result.bound * 100) >= found


def _one_class_only(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The joint LP with the block lengths apart finds nothing (HiGHS out of time, say); the
    lengths classes each LP was built with, in order."""
    built: list[int] = []

    def first_only(*args: Any, length_classes: int, **kwargs: Any) -> JointBound:
        built.append(length_classes)
        found = joint_lower_bound(*args, length_classes=length_classes, **kwargs)
        return found if length_classes == 1 else replace(found, scaled=None)

    monkeypatch.setattr(bound, "joint_lower_bound", first_only)
    return built


def test_with_blocks_of_two_lengths_the_lp_with_one_class_stands_in_for_the_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the small preset's week has blocks of 45 and 60 minutes: when the LP with the lengths
    # apart does not finish, the LP with one class follows; it is a bound too (a sitting
    # delivers the longest block's minutes), weaker, and below every plan
    instance = parse_instance(generate("small", 1))
    assert len({b.minutes for b in instance.blocks}) == 2
    cp = compile_problem(instance)
    prep = prepare(cp)
    weights = scaled_weights(instance.policy)
    apart = joint_bound(cp, prep, weights, goal_reach(cp, prep), time_limit=20.0)
    assert apart is not None
    built = _one_class_only(monkeypatch)
    one = _joint(instance)
    assert built == [2, 1] and one is not None and _old(instance) < one < apart
    plan = solve(instance, time_limit=3, seed=0, workers=1).plan
    assert apart <= score(instance, plan).scaled


def test_with_blocks_of_one_length_the_joint_bound_solves_one_lp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = _one_class_only(monkeypatch)
    instance = HAND["one_teacher_for_a"][0]()
    assert len({b.minutes for b in instance.blocks}) == 1
    assert _joint(instance) is None and built == [2]


def test_the_solve_states_the_one_class_bound_when_the_other_lp_does_not_finish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = parse_instance(generate("small", 1))
    built = _one_class_only(monkeypatch)
    one = _joint(instance)
    assert one is not None and one > _old(instance)
    seen: list[Progress] = []
    result = solve(instance, time_limit=5, seed=0, workers=2, callbacks=[seen.append])
    assert built[-2:] == [2, 1] and result.bound is not None
    assert round(result.bound * 100) == one and result.stats["bound"] == "joint relaxation"
    assert seen[-1].bound is not None and round(seen[-1].bound * 100) == one


def test_the_joint_bound_counts_every_teacher_led_goal() -> None:
    instance = _conference()
    cp = compile_problem(instance)
    assert plain_led(cp).tolist() == [False, False, True]
    assert joint_goals(cp).all()  # small_group and conference goals


def test_the_learners_own_teachers_decide_whether_a_load_is_forced() -> None:
    # t2 qualified for a too: the nine learners' three sessions are shared, nobody over
    doc = _one_teacher_for_a().model_dump(mode="json")
    doc["teachers"][1]["qualifications"] = _levels(0, 2)
    assert _joint(parse_instance(doc)) == 0


def test_the_joint_bound_sees_too_few_zones_for_the_learners_working_alone() -> None:
    # test_session_bound's crowded hall: the zones rows count the crowding floor's sessions
    build, floor, optimum = test_session_bound.CROWDED["crowded_hall"]
    instance = build()
    alone = test_session_bound._session_total(instance)
    assert alone + floor * 200 == _joint(instance) == optimum


def test_progress_reports_carry_the_joint_bound_once_it_is_known() -> None:
    instance = parse_instance(generate("small", 1))
    found = _joint(instance)
    assert found is not None and found > _old(instance)
    seen: list[Progress] = []
    solve(instance, time_limit=3, seed=0, workers=1, callbacks=[seen.append])
    # with workers=1 it is known before the search: every report after the construction's
    first, *after = seen
    assert first.phase == "construction" and first.bound is not None
    assert round(first.bound * 100) < found
    assert after and all(p.bound is not None and round(p.bound * 100) >= found for p in after)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_joint_bound_that_fails_leaves_the_plan_and_the_other_bounds(
    workers: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(solving, "joint_bound", _no_joint_bound)
    instance = HAND["one_teacher_for_a"][0]()
    with caplog.at_level(logging.WARNING, logger="plsched.solving"):
        result = solve(instance, time_limit=5, seed=0, workers=workers)
    assert result.status in ("optimal", "feasible")
    assert result.bound is not None and round(result.bound * 100) == _old(instance)
    assert "bound" not in result.stats
    assert any("joint bound failed" in r.getMessage() for r in caplog.records)


def test_with_a_short_limit_the_session_and_lp_bounds_come_before_the_joint_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # under LATE_BOUNDS_FROM, a joint bound that takes all the time it is given (a whole
    # school's, in 30 s) no longer keeps the session and LP bounds from running: they go first
    def slow(*args: Any, time_limit: float, **kwargs: Any) -> int | None:
        threading.Event().wait(time_limit)  # HiGHS at work until its time limit
        return None

    monkeypatch.setattr(solving, "joint_bound", slow)
    instance = HAND["one_teacher_for_a"][0]()
    cp = compile_problem(instance)
    per_learner = lower_bound(cp, prepare(cp), scaled_weights(instance.policy), lp=False).scaled
    assert _old(instance) > per_learner
    assert solving.LATE_BOUNDS_FROM > 5
    result = solve(instance, time_limit=5, seed=0, workers=2, strategy="lns")
    assert result.bound is not None and round(result.bound * 100) == _old(instance)


@pytest.mark.parametrize("left_for_lack_of_time", [False, True])
def test_the_session_and_lp_bounds_of_the_search_are_stated(
    left_for_lack_of_time: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # with two workers, the large-neighbourhood search starts from the per-learner bound; the
    # session and LP bounds follow the joint bound on its thread or, when the time ran out
    # there (a machine too slow for the joint bound), run after the search, which then ends
    # their time (1 s of 5) early. With the joint bound out of the way, the plan states them
    # either way
    monkeypatch.setattr(solving, "joint_bound", _no_joint_bound)
    if left_for_lack_of_time:
        monkeypatch.setattr(solving, "_bounds_left", lambda *args, **kwargs: None)
        monkeypatch.setattr(solving, "LATE_BOUNDS_FROM", 5.0)
    windows_until: list[float] = []
    improve = solving.improve

    def recorded(*args: Any, **kwargs: Any) -> Any:
        windows_until.append(kwargs["deadline"])
        return improve(*args, **kwargs)

    monkeypatch.setattr(solving, "improve", recorded)
    instance = HAND["one_teacher_for_a"][0]()
    cp = compile_problem(instance)
    per_learner = lower_bound(cp, prepare(cp), scaled_weights(instance.policy), lp=False).scaled
    assert _old(instance) > per_learner
    start = time.monotonic()
    result = solve(instance, time_limit=5, seed=0, workers=2, strategy="lns")
    assert result.stats["strategy"] == "lns"
    assert result.bound is not None and round(result.bound * 100) == _old(instance)
    # the search's last step (the CP-SAT windows, then the local search) ends by then
    [until] = windows_until
    assert (until - start < 4.5) == left_for_lack_of_time
