"""Rule 6: two learners that avoid each other never share a session, even when it costs
(constraints/rule6_avoid.py: at most one of a pair in a candidate; in a teacherless pool only
when it splits into sessions that keep them apart)."""

from __future__ import annotations

from plsched.compiled import compile_problem
from plsched.scoring import scaled_weights
from plsched.solvers.cpsat.candidates import prepare
from plsched.solvers.cpsat.model import WindowModel
from plsched.solvers.cpsat.window import Window
from plsched.solvers.state import Sess

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    assert_checked,
    groups,
    independent,
    learner,
    ready_for_a,
    room,
    school,
    small_group,
    solve_checked,
    solve_exact,
    teacher,
)

TARGET_FOUR = [small_group(target_size=4), independent()]


def _apart(result_groups: list[tuple[str, ...]], a: str, b: str) -> bool:
    return not any(a in g and b in g for g in result_groups)


def test_avoiders_never_share_even_when_it_costs() -> None:
    # 4 ready for a, target 4, one teacher. Without the pair: {l1..l4} → 0.
    # l1 avoids l2: a group of 3 → |3 − 4| = 1 → 2, one of them short → 600: 602.
    free = school(ready_for_a("l1", "l2", "l3", "l4"), [teacher("t1")], modalities=TARGET_FOUR)
    assert solve_checked(free).objective == 0.0

    instance = school(
        [learner("l1", [], avoid=["l2"]), *ready_for_a("l2", "l3", "l4")],
        [teacher("t1")],
        modalities=TARGET_FOUR,
    )
    result = solve_checked(instance)
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    [group] = groups(result)
    assert len(group) == 3
    assert _apart(groups(result), "l1", "l2")


def test_avoiders_go_to_different_groups_when_there_are_two() -> None:
    # 6 ready for a, two teachers, l1 avoids l2 (one-sided is enough): 3 + 3 apart → 0.
    instance = school(
        [learner("l1", [], avoid=["l2"]), *ready_for_a("l2", "l3", "l4", "l5", "l6")],
        [teacher("t1"), teacher("t2")],
    )
    result = solve_checked(instance)
    assert result.objective == 0.0
    assert _apart(groups(result), "l1", "l2")


def test_avoiders_that_cannot_be_seated_apart_make_the_plan_infeasible() -> None:
    # No teacher is free; the one room has one zone, so one teacherless session holds everyone,
    # and l1 avoids l2: no plan keeps every hard rule.
    instance = school(
        [learner("l1", [], avoid=["l2"]), *ready_for_a("l2")],
        [teacher("t1", unavailable=["mon-1"])],
        rooms=[room(zones=1)],
        modalities=[small_group(), independent(max_size=4, target_size=2)],
    )
    result = solve_exact(instance, time_limit=5)
    assert result.status == "infeasible"
    assert result.plan.sessions == ()


def test_avoiders_in_a_teacherless_pool_sit_in_separate_sessions() -> None:
    # No teacher is free; independent is 1..4, target 2; 2 zones. {l1, l2} together would cost
    # 0 but l1 avoids l2: two sessions of 1 → |1 − 2| × 2 = 2 → 4; both short → 1200: 1204.
    instance = school(
        [learner("l1", [], avoid=["l2"]), *ready_for_a("l2")],
        [teacher("t1", unavailable=["mon-1"])],
        rooms=[room(zones=2)],
        modalities=[small_group(), independent(max_size=4, target_size=2)],
    )
    result = solve_exact(instance, time_limit=5)
    assert groups(result, "independent") == [("l1",), ("l2",)]
    assert result.objective == 2 * BLOCK_SHORT + 2 * OFF_TARGET
    assert_checked(instance, result)


def test_two_avoid_pairs_in_one_pool_split_into_two_sessions_apart() -> None:
    # No teacher is free; independent is 1..3, target 3; 2 zones; l1 avoids l2, l3 avoids l4.
    # 4 learners need 2 sessions: {l1, l3} + {l2, l4} → |2 − 3| × 2 = 2 → 4; 4 × 600 short:
    # 2404. (Sizes 1 + 3 cost the same but cannot keep both pairs apart.)
    instance = school(
        [
            learner("l1", [], avoid=["l2"]),
            learner("l2", []),
            learner("l3", [], avoid=["l4"]),
            learner("l4", []),
        ],
        [teacher("t1", unavailable=["mon-1"])],
        rooms=[room(zones=2)],
        modalities=[small_group(), independent(max_size=3, target_size=3)],
    )
    result = solve_exact(instance, time_limit=5)
    found = groups(result, "independent")
    assert _apart(found, "l1", "l2") and _apart(found, "l3", "l4"), found
    assert result.objective == 4 * BLOCK_SHORT + 2 * OFF_TARGET
    assert_checked(instance, result)


def test_a_pool_keeps_two_sessions_while_its_fixed_members_avoid_each_other() -> None:
    # No teacher is free; independent is 1..4, target 3. The plan seats {l1} and {l2, l3} in
    # one room; a window frees only l3. One session of all three would hit the target (0
    # against |3 - 2 x 3| = 3 for two), but l1 and l2 stay fixed and avoid each other: the pool
    # must keep two sessions.
    instance = school(
        [learner("l1", [], avoid=["l2"]), learner("l2", []), learner("l3", [])],
        [teacher("t1", unavailable=["mon-1"])],
        rooms=[room(zones=2)],
        modalities=[small_group(), independent(max_size=4, target_size=3)],
    )
    cp = compile_problem(instance)
    b, r, m = 0, 0, cp.modality_index["independent"]
    l1, l2, l3 = (cp.learner_index[x] for x in ("l1", "l2", "l3"))
    plan = [Sess(b, m, -1, -1, -1, r, (l1,)), Sess(b, m, -1, -1, -1, r, (l2, l3))]
    window = Window(blocks=(b,), learners={b: frozenset({l3})})
    wm = WindowModel(cp, prepare(cp), window, plan, weights=scaled_weights(instance.policy))
    res = wm.solve(time_limit=5)
    assert res.sessions is not None
    assert not any({l1, l2} <= set(s.members) for s in res.sessions), res.sessions
    assert sorted(len(s.members) for s in res.sessions) == [1, 2]
