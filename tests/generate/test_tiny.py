"""The ``tiny`` preset: one morning of math for the youngest learners, small enough to solve
to proven optimality, and a plan for it that the checker accepts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import plsched
from plsched.check import check
from plsched.generate import Preset

from .schools import generated, parsed

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tiny_is_a_morning_of_math_for_ages_5_to_8(seed: int) -> None:
    doc = generated("tiny", seed)
    days = Counter(b["day"] for b in doc["blocks"])
    assert days == {"mon": 3}
    assert [s["id"] for s in doc["subjects"]] == ["math"]
    assert [m["id"] for m in doc["modalities"]] == ["small_group", "community", "independent"]
    assert len(doc["learners"]) == 20
    assert {le["age"] for le in doc["learners"]} <= set(range(5, 9))
    assert {le["band"] for le in doc["learners"]} <= {"K-2", "3-5"}
    assert 3 <= len(doc["teachers"]) <= 5
    for t in doc["teachers"]:
        assert [q["subject"] for q in t["qualifications"]] == ["math"]
        assert set(t["modalities"]) <= {"small_group", "community"}
        assert len(t["unavailable"]) < 3  # never away the whole morning
    rooms = doc["rooms"]
    assert 3 <= len(rooms) <= 4
    assert not any("lab" in r["features"] for r in rooms)  # no science, no lab
    assert any(r["zones"] >= 4 for r in rooms)  # an open studio
    goals = Counter(
        (g["modality"], g["minutes_per_week"]) for le in doc["learners"] for g in le["goals"]
    )
    assert set(goals) <= {("small_group", 60), ("community", 60)}
    assert sum(1 for le in doc["learners"] if le["avoid"]) >= 2


def test_tiny_schools_have_needs_and_absences() -> None:
    learners = [le for seed in (1, 2, 3) for le in generated("tiny", seed)["learners"]]
    assert any(le["needs"]["teacher"] for le in learners)
    assert any(le["unavailable"] for le in learners)


def test_preset_rejects_bad_horizons_subjects_and_ages() -> None:
    with pytest.raises(ValueError, match="1-5 days"):
        Preset("x", 10, days=6)
    with pytest.raises(ValueError, match="1-5 days"):
        Preset("x", 10, blocks_per_day=0)
    with pytest.raises(ValueError, match="subjects come from"):
        Preset("x", 10, subjects=("art",))
    with pytest.raises(ValueError, match="ages must lie"):
        Preset("x", 10, ages=(8, 5))
    with pytest.raises(ValueError, match="group_minutes"):
        Preset("x", 10, group_minutes=())


def test_tiny_preset_is_solved_to_proven_optimality() -> None:
    # instances/tiny.json (seed 1) proves optimal in 6-11 s on 2 idle cores; the limit
    # leaves room for a loaded machine (solve returns as soon as CP-SAT proves it).
    instance = plsched.load_instance(INSTANCES / "tiny.json")
    result = plsched.solve(instance, time_limit=120)
    assert result.status == "optimal"
    assert result.objective == result.bound
    assert check(instance, result.plan).ok
    assert plsched.score(instance, result.plan).scaled == result.stats["solver_objective_scaled"]


def test_tiny_solves_to_a_checked_plan_with_a_bound() -> None:
    instance = parsed("tiny")
    result = plsched.solve(instance, time_limit=10)
    assert result.status in ("optimal", "feasible")
    assert check(instance, result.plan).ok
    assert result.objective is not None and result.bound is not None
    assert result.bound <= result.objective
    assert plsched.score(instance, result.plan).objective == result.objective
    # One learner's only ready peers are too few for a small group: the bound knows it.
    assert result.bound >= 600


@pytest.mark.parametrize("seed", range(1, 21))
def test_tiny_generates_a_valid_school_for_every_seed(seed: int) -> None:
    # three blocks leave little room: absences and closed rooms must never take them all
    plsched.parse_instance(generated("tiny", seed), near=INSTANCES)
