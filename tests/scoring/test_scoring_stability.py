"""The stability term against a previous plan."""

from __future__ import annotations

from hand_school import plan, session

from plsched import Instance
from plsched.scoring import Scorer, score


def test_stability_counts_changed_keys(four_learners_two_teachers: Instance) -> None:
    previous = plan(
        session("p1", "mon-1", "small_group", ["l1", "l2"], "math", "a", "t1"),
        session("p2", "mon-2", "independent", ["l1"], "math"),
        session("p3", "mon-2", "community", ["l4"], teacher="t1"),
        session("p4", "tue-1", "community", ["l3"], teacher="t1"),
    )
    now = plan(
        session("n1", "mon-1", "small_group", ["l1"], "math", "a", "t1"),
        session("n2", "mon-1", "small_group", ["l2"], "math", "b", "t1"),
        session("n3", "mon-2", "independent", ["l1", "l2"], "math"),
        session("n4", "mon-2", "community", ["l4"], teacher="t2"),
    )
    # mon-1: l1 same key → 0; l2 skill a → b → 1. mon-2: l1 same key (other session id) → 0;
    # l2 was in no session before → 0; l4 teacher t1 → t2 → 1. tue-1: l3 in none now → 0.
    # Total 2.
    assert score(four_learners_two_teachers, now, previous).raw["stability"] == 2


def test_stability_is_zero_without_previous(four_learners_two_teachers: Instance) -> None:
    now = plan(session("n1", "mon-1", "small_group", ["l1"], "math", "a", "t1"))
    assert score(four_learners_two_teachers, now).raw["stability"] == 0


def test_stability_skips_ids_gone_from_the_instance(four_learners_two_teachers: Instance) -> None:
    previous = plan(
        session("p1", "mon-1", "small_group", ["l1", "l99"], "math", "a", "t-gone"),
        session("p2", "fri-9", "independent", ["l2"]),
    )
    now = plan(
        session("n1", "mon-1", "small_group", ["l1"], "math", "a", "t1"),
        session("n2", "mon-2", "independent", ["l2"]),
    )
    # mon-1: l1's teacher t-gone → t1 → 1; l99 and block fri-9 are skipped. Total 1.
    assert score(four_learners_two_teachers, now, previous).raw["stability"] == 1


def test_stability_of_a_learner_in_two_sessions(four_learners_two_teachers: Instance) -> None:
    previous = plan(
        session("p1", "mon-1", "small_group", ["l1"], "math", "a", "t1"),
        session("p2", "mon-2", "small_group", ["l1"], "math", "a", "t1"),
    )
    now = plan(
        session("n1", "mon-1", "small_group", ["l1"], "math", "a", "t1"),
        session("n2", "mon-1", "independent", ["l1"]),
        session("n3", "mon-2", "small_group", ["l1"], "math", "a", "t1"),
        session("n4", "mon-2", "small_group", ["l1"], "math", "a", "t1", room="studio"),
    )
    # mon-1: keys {sg-a-t1, independent} ≠ {sg-a-t1} → 1. mon-2: {sg-a-t1} = {sg-a-t1} → 0.
    assert score(four_learners_two_teachers, now, previous).raw["stability"] == 1


def test_one_scorer_scores_many_plans_against_one_previous(
    four_learners_two_teachers: Instance,
) -> None:
    previous = plan(session("p1", "mon-1", "small_group", ["l1", "l2"], "math", "a", "t1"))
    plans = [
        plan(session("n1", "mon-1", "small_group", ["l1", "l2"], "math", "b", "t2")),
        plan(session("n1", "mon-1", "small_group", ["l1", "l2"], "math", "a", "t1")),
        plan(session("n1", "mon-1", "community", ["l1"], teacher="t2")),
    ]
    scorer = Scorer(four_learners_two_teachers, previous)
    # New keys in one plan do not leak into the next: 2 changed, then 0, then 1 (l1 only).
    assert [scorer.score(p).raw["stability"] for p in plans] == [2, 0, 1]
    assert [scorer.score(p) for p in plans] == [
        score(four_learners_two_teachers, p, previous) for p in plans
    ]
