"""Rule 5: in a same_skill session every learner is ready for its skill; policy may allow a
review of a mastered skill or a one-step stretch, each at a cost (enforced by the candidates'
domain: constraints/rule5_readiness.py)."""

from __future__ import annotations

from typing import Any

import pytest

from plsched import Instance

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    groups,
    independent,
    learner,
    ready_for_b,
    school,
    sessions_of,
    small_group,
    solve_checked,
    teacher,
)

TARGET_FOUR = [
    small_group(target_size=4),
    independent(),
]


def _three_on_b_and(fourth: dict[str, Any], **policy: Any) -> Instance:
    """l1..l3 ready for b, a fourth learner, one teacher, small_group target 4."""
    return school(
        [*ready_for_b("l1", "l2", "l3"), fourth],
        [teacher("t1")],
        modalities=TARGET_FOUR,
        policy=policy,
    )


def test_a_learner_not_ready_is_never_grouped_on_the_skill() -> None:
    # l4 mastered nothing (ready for a only). {l1,l2,l3} on b: |3 − 4| = 1 → 2; l4 short → 600.
    # Adding l4 on b would save 602 but l4 is not ready: optimum 602.
    result = solve_checked(_three_on_b_and(learner("l4", [])))
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert groups(result) == [("l1", "l2", "l3")]
    assert sessions_of(result)[0].skill == "b"


def test_allow_stretch_lets_a_one_step_learner_join_at_its_cost() -> None:
    # With allow_stretch, b is a stretch for l4 (its prerequisite a is ready): {l1..l4} on b
    # → group_size 0, no shortfall, stretch 1 × 20 = 20.
    result = solve_checked(_three_on_b_and(learner("l4", []), allow_stretch=True))
    assert result.objective == 20.0
    assert result.objective_terms["stretch"] == 20.0
    assert groups(result) == [("l1", "l2", "l3", "l4")]


def test_a_mastered_skill_is_not_reviewed_unless_allowed() -> None:
    # l4 mastered a and b (ready for c alone): without allow_review, 602 as above.
    result = solve_checked(_three_on_b_and(learner("l4", ["a", "b"])))
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert "l4" not in sessions_of(result)[0].learners


def test_allow_review_lets_a_learner_revisit_a_mastered_skill_at_its_cost() -> None:
    # allow_review: l4 reviews b with the others → review 1 × 30 = 30 (< 602).
    result = solve_checked(_three_on_b_and(learner("l4", ["a", "b"]), allow_review=True))
    assert result.objective == 30.0
    assert result.objective_terms["review"] == 30.0
    assert groups(result) == [("l1", "l2", "l3", "l4")]


def test_two_steps_ahead_is_never_a_stretch() -> None:
    # l4 mastered nothing and c is two steps away: even with allow_stretch it is not offered c.
    # l1..l3 mastered a and b (ready for c): {l1,l2,l3} on c → 2, l4 short → 600: 602.
    instance = school(
        [*(learner(i, ["a", "b"]) for i in ("l1", "l2", "l3")), learner("l4", [])],
        [teacher("t1")],
        modalities=TARGET_FOUR,
        policy={"allow_stretch": True},
    )
    result = solve_checked(instance)
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert groups(result) == [("l1", "l2", "l3")]


@pytest.mark.parametrize("policy", [{}, {"allow_review": True, "allow_stretch": True}])
def test_every_same_skill_member_is_ready_or_allowed(policy: dict[str, Any]) -> None:
    # Mixed school over two blocks: whatever the optimum, members are ready, or (as allowed)
    # reviewing a mastered skill or one step beyond.
    mastered = {"l1": [], "l2": [], "l3": ["a"], "l4": ["a"], "l5": ["a", "b"], "l6": ["a", "b"]}
    instance = school(
        [learner(lid, m, minutes=120) for lid, m in mastered.items()],
        [teacher("t1"), teacher("t2")],
        blocks=("mon-1", "mon-2"),
        policy=policy,
    )
    result = solve_checked(instance)
    order = ["a", "b", "c"]
    for s in sessions_of(result):
        assert s.skill is not None
        k = order.index(s.skill)
        for x in s.learners:
            known = len(mastered[x])  # mastery is a prefix of a, b, c
            if policy:
                assert k <= known + 1
            else:
                assert k == known
