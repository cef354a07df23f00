"""The per-learner relaxation bound (solvers/bound.py) never exceeds a proven optimum."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from plsched import Instance
from plsched.compiled import compile_problem
from plsched.scoring import scaled_weights, score
from plsched.solvers.bound import LowerBound, lower_bound
from plsched.solvers.cpsat.candidates import prepare
from plsched.solving import Result

from .conftest import (
    BLOCK_SHORT,
    assert_checked,
    independent,
    learner,
    ready_for_a,
    ready_for_b,
    room,
    school,
    small_group,
    solve_checked,
    teacher,
)


def _bound(instance: Instance) -> LowerBound:
    cp = compile_problem(instance)
    return lower_bound(cp, prepare(cp), scaled_weights(instance.policy))


def _per_day_cap() -> Instance:
    # The relaxation ignores max_sessions_per_day: bound 0, optimum 1800.
    return school(
        ready_for_b("l1", "l2", "l3", minutes=120),
        [teacher("t1", per_day=1)],
        blocks=("mon-1", "mon-2"),
    )


def _no_ell_teacher() -> Instance:
    # l3 needs "ell" and nobody carries it: the bound sees l3's 60 minutes (600) of 602.
    return school(
        [*ready_for_a("l1", "l2"), learner("l3", [], needs={"teacher": ["ell"]})],
        [teacher("t1")],
        blocks=("mon-1", "mon-2"),
    )


def _mixed_with_focus() -> Instance:
    # Focus skills make off_focus minutes part of the bound too; two blocks, two teachers.
    mastered = {"l1": [], "l2": [], "l3": ["a"], "l4": ["a"], "l5": ["a", "b"], "l6": []}
    focus = {"l1": ["a"], "l2": ["b"], "l3": ["b"], "l4": ["c"], "l5": ["c"], "l6": ["a"]}
    return school(
        [learner(x, m, minutes=120, focus=focus[x]) for x, m in mastered.items()],
        [teacher("t1"), teacher("t2", unavailable=["mon-2"])],
        blocks=("mon-1", "mon-2"),
        policy={"allow_stretch": True},
    )


def _crowded_rooms() -> Instance:
    # small_group needs a table; the nook seats 5 in 2 zones; 6 learners, 2 teachers, 2 blocks.
    return school(
        ready_for_a("l1", "l2", "l3", "l4", "l5", "l6", minutes=120),
        [teacher("t1"), teacher("t2")],
        blocks=("mon-1", "tue-1"),
        rooms=[room("hall"), room("nook", capacity=5, zones=2, features=["table"])],
        modalities=[small_group(room_features=["table"]), independent()],
    )


def _lonely_learners() -> Instance:
    # Nobody shares a skill: the bound is the optimum, 2 × 600.
    return school([*ready_for_a("l1"), learner("l2", ["a"])], [teacher("t1")])


def _seeded(seed: int) -> Callable[[], Instance]:
    """A random hand-sized school: 7 learners with mastery, focus, needs, an avoid pair and
    unavailability drawn from ``seed``; 2 teachers (one "ell"), 3 blocks over 2 days."""

    def build() -> Instance:
        rng = np.random.default_rng(seed)
        skills = ["a", "b", "c"]
        learners = []
        for i in range(1, 8):
            known = int(rng.integers(0, 3))
            extra: dict[str, object] = {}
            if rng.random() < 0.3:
                extra["unavailable"] = [str(rng.choice(["mon-1", "mon-2", "tue-1"]))]
            if rng.random() < 0.2:
                extra["needs"] = {"teacher": ["ell"]}
            if rng.random() < 0.2:
                extra["max_group_size"] = 2
            learners.append(
                learner(
                    f"l{i}",
                    skills[:known],
                    minutes=int(rng.choice([60, 120])),
                    focus=[skills[min(known + int(rng.integers(0, 2)), 2)]],
                    **extra,
                )
            )
        learners[0]["avoid"] = ["l2"]
        return school(
            learners,
            [teacher("t1", per_day=2), teacher("t2", tags=["ell"], unavailable=["mon-1"])],
            blocks=("mon-1", "mon-2", "tue-1"),
            policy={"allow_stretch": bool(seed % 2)},
        )

    return build


SCHOOLS: dict[str, Callable[[], Instance]] = {
    "per_day_cap": _per_day_cap,
    "no_ell_teacher": _no_ell_teacher,
    "mixed_with_focus": _mixed_with_focus,
    "crowded_rooms": _crowded_rooms,
    "lonely_learners": _lonely_learners,
    **{f"seeded_{seed}": _seeded(seed) for seed in (1, 2, 3)},
}


@pytest.mark.parametrize("name", list(SCHOOLS))
def test_bound_never_exceeds_a_proven_optimum(name: str) -> None:
    instance = SCHOOLS[name]()
    result = solve_checked(instance)
    optimum = result.stats["solver_objective_scaled"]
    assert isinstance(optimum, int)
    lb = _bound(instance)
    assert 0 <= lb.scaled <= optimum
    assert lb.shortfall_minutes <= score(instance, result.plan).raw["goal_shortfall"]
    assert result.bound is not None and result.bound * 100 >= lb.scaled


def test_bound_is_tight_for_learners_with_no_possible_group() -> None:
    lb = _bound(_lonely_learners())
    assert lb.scaled == round(2 * BLOCK_SHORT * 100)
    assert lb.shortfall_minutes == 120
    assert all("at least 2" in r.reason for r in lb.reaches)


def test_bound_sees_the_missing_tag() -> None:
    lb = _bound(_no_ell_teacher())
    assert lb.shortfall_minutes == 60
    assert lb.scaled == round(BLOCK_SHORT * 100)


def test_bound_on_tiny_is_below_the_optimum_and_holds_the_impossible_goals(
    tiny: Instance, tiny_optimal: Result
) -> None:
    assert_checked(tiny, tiny_optimal)
    lb = _bound(tiny)
    assert lb.scaled <= tiny_optimal.stats["solver_objective_scaled"]
    # l05's 120 small_group minutes (alone on K.OA.A.1) and l06's 60 community minutes
    # (max_group_size 3 < min 6) can be met by no plan.
    assert lb.shortfall_minutes >= 120
    assert lb.shortfall_minutes == 180
    assert lb.scaled >= 180 * 1000
