"""Rule 1: a learner is in exactly one session in every block where they are available, and in
none where they are not (constraints/rule1_attendance.py)."""

from __future__ import annotations

from collections import Counter

from plsched.compiled import compile_problem
from plsched.scoring import scaled_weights
from plsched.solvers.cpsat.candidates import prepare
from plsched.solvers.cpsat.model import WindowModel
from plsched.solvers.cpsat.window import Window

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    assert_checked,
    independent,
    learner,
    ready_for_b,
    school,
    small_group,
    solve_checked,
    solve_exact,
    teacher,
)


def test_every_available_learner_sits_exactly_once_per_block() -> None:
    # l1..l3 ready for b want 120 minutes; l3 is away at mon-2.
    # mon-1: {l1, l2, l3} on b, size 3 = target → 0.
    # mon-2: {l1, l2} on b, size 2 → group_size 1 → 2; l3 is away: 60 short → 600.
    # (Not meeting at mon-2 would leave l1 and l2 short: 1200.) Optimum 602.
    instance = school(
        [
            *ready_for_b("l1", "l2", minutes=120),
            learner("l3", ["a"], minutes=120, unavailable=["mon-2"]),
        ],
        [teacher("t1")],
        blocks=("mon-1", "mon-2"),
    )
    result = solve_checked(instance)
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    seats = Counter((s.block, x) for s in result.plan.sessions for x in s.learners)
    expected = {("mon-1", x) for x in ("l1", "l2", "l3")} | {("mon-2", x) for x in ("l1", "l2")}
    assert set(seats) == expected
    assert set(seats.values()) == {1}


def test_window_model_places_each_free_learner_once() -> None:
    # The model alone, whole window, empty plan: the exact objective is the same 602 (×100).
    instance = school(
        [
            *ready_for_b("l1", "l2", minutes=120),
            learner("l3", ["a"], minutes=120, unavailable=["mon-2"]),
        ],
        [teacher("t1")],
        blocks=("mon-1", "mon-2"),
    )
    cp = compile_problem(instance)
    prep = prepare(cp)
    wm = WindowModel(cp, prep, Window.whole(cp), [], weights=scaled_weights(instance.policy))
    res = wm.solve(time_limit=10)
    assert res.status == "optimal"
    assert res.after == 60_200
    assert res.sessions is not None
    seats = Counter((s.block, m) for s in res.sessions for m in s.members)
    l3 = cp.learner_index["l3"]
    assert (cp.block_index["mon-2"], l3) not in seats
    assert len(seats) == 5
    assert set(seats.values()) == {1}


def test_a_learner_with_nowhere_to_go_makes_the_plan_infeasible_without_an_exception() -> None:
    # No teacherless modality and the only teacher is away: l1 and l2 cannot be seated at mon-1.
    instance = school(
        ready_for_b("l1", "l2"),
        [teacher("t1", unavailable=["mon-1"])],
        modalities=[small_group()],
    )
    cp = compile_problem(instance)
    wm = WindowModel(cp, prepare(cp), Window.whole(cp), [], weights=scaled_weights(instance.policy))
    assert any("'l1'" in why and "'mon-1'" in why for why in wm.impossible)
    assert wm.solve(time_limit=5).status == "infeasible"

    result = solve_exact(instance, time_limit=5)
    assert result.status == "infeasible"
    assert result.plan.status == "infeasible"
    assert result.plan.sessions == ()
    reason = result.stats["reason"]
    assert isinstance(reason, str) and reason


def test_a_learner_away_all_week_is_never_seated_and_still_counts_in_the_objective() -> None:
    # l1..l3 ready for b, l3 away at mon-1, the only block: {l1, l2} on b, size 2 → 2;
    # l3 is short 60 minutes in every plan → 600. Optimum 602 and l3 appears nowhere.
    # The solver's own objective must count l3's shortfall too (it is the same in every plan,
    # but the plan's objective and status are computed from it).
    instance = school(
        [*ready_for_b("l1", "l2"), learner("l3", ["a"], unavailable=["mon-1"])],
        [teacher("t1")],
        modalities=[small_group(), independent()],
    )
    result = solve_exact(instance)
    assert all("l3" not in s.learners for s in result.plan.sessions)
    assert [u.learner for u in result.unmet] == ["l3"]
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert result.stats["solver_objective_scaled"] == 60_200
    assert result.status == "optimal"
    assert_checked(instance, result)
