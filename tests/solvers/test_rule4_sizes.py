"""Rule 4: a session's size lies within its modality's bounds (constraints/rule4_sizes.py)."""

from __future__ import annotations

from plsched import Instance

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    groups,
    learner,
    ready_for_a,
    school,
    sessions_of,
    solve_checked,
    solve_exact,
    teacher,
)


def test_a_learner_alone_on_a_skill_gets_no_group(two_learners_one_teacher: Instance) -> None:
    # l1 is ready for a, l2 for b: no skill has 2 ready learners, small_group needs 2 →
    # no session; both short 60 → 1200. Each unmet reason names the skill and the minimum.
    result = solve_checked(two_learners_one_teacher)
    assert result.objective == 2 * BLOCK_SHORT
    assert sessions_of(result) == []
    reasons = {u.learner: u.reason for u in result.unmet}
    assert set(reasons) == {"l1", "l2"}
    assert "ready for a " in reasons["l1"] and "at least 2" in reasons["l1"]
    assert "ready for b " in reasons["l2"] and "at least 2" in reasons["l2"]


def test_max_size_leaves_a_fifth_learner_out() -> None:
    # 5 ready for a, one teacher, max 4: a group of 4 → |4 − 3| = 1 → 2, one short → 600: 602.
    # (A group of 3 costs 1200.)
    result = solve_checked(school(ready_for_a("l1", "l2", "l3", "l4", "l5"), [teacher("t1")]))
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    [session] = sessions_of(result)
    assert len(session.learners) == 4


def test_seven_learners_two_teachers_split_four_and_three() -> None:
    # 7 ready for a, two teachers: 4 + 3 → group_size 1 → 2.
    result = solve_checked(
        school(ready_for_a(*(f"l{i}" for i in range(1, 8))), [teacher("t1"), teacher("t2")])
    )
    assert result.objective == OFF_TARGET
    assert sorted(len(g) for g in groups(result)) == [3, 4]


def test_min_size_two_pairs_the_two_ready_learners() -> None:
    # l1, l2 ready for a, l3 ready for b: {l1, l2} on a (|2 − 3| → 2), l3 short → 600: 602.
    result = solve_checked(
        school([*ready_for_a("l1", "l2"), learner("l3", ["a"])], [teacher("t1")])
    )
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert groups(result) == [("l1", "l2")]
    assert sessions_of(result)[0].skill == "a"


def test_strict_goals_with_an_impossible_goal_is_infeasible_not_an_exception() -> None:
    # The same two lonely learners with policy.strict_goals: no plan meets their goals.
    instance = school(
        [*ready_for_a("l1"), learner("l2", ["a"])],
        [teacher("t1")],
        policy={"strict_goals": True},
    )
    result = solve_exact(instance, time_limit=5)
    assert result.status == "infeasible"
    assert result.plan.status == "infeasible"
    assert result.objective is None
    assert "strict_goals" in str(result.stats["reason"])


def test_strict_goals_that_can_be_met_are_met() -> None:
    # 3 ready for b with strict goals: one group of 3 → 0, nothing unmet.
    instance = school(
        [learner(i, ["a"]) for i in ("l1", "l2", "l3")],
        [teacher("t1")],
        policy={"strict_goals": True},
    )
    result = solve_checked(instance)
    assert result.objective == 0.0
    assert result.unmet == ()
