"""The baselines (grade classes, greedy) and the quality runner's rows, on tiny instances."""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

import plsched
from plsched.baselines import grade_classes, greedy
from plsched.check import check
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule
from plsched.scoring import score

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).resolve().parents[2] / "shared" / "examples" / "tiny.json"
SMALL = ROOT / "instances" / "small.json"

# the quality runner lives in benchmarks/, beside src/, not in the installed package
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import quality  # noqa: E402
from benchmarks.quality import add_ratios, run_method, write_results  # noqa: E402
from benchmarks.run_one import measure  # noqa: E402

INSTANCES = pytest.mark.parametrize("path", [TINY, SMALL], ids=["example-tiny", "small"])


@cache
def _instance(path: Path) -> Instance:
    return plsched.load_instance(path)


@cache
def _grade(path: Path) -> Schedule:
    return grade_classes(_instance(path))


@INSTANCES
def test_greedy_plan_passes_the_checker(path: Path) -> None:
    instance = _instance(path)
    plan = greedy(instance, seed=0)
    report = check(instance, plan)
    assert [v.message for v in report.violations] == []
    assert plan.status == "feasible"
    assert plan.objective == score(instance, plan).objective


@INSTANCES
def test_grade_classes_seats_every_learner_once_per_available_block(path: Path) -> None:
    instance = _instance(path)
    plan = _grade(path)
    seats = Counter((lid, s.block) for s in plan.sessions for lid in s.learners)
    expected = {
        (learner.id, block.id)
        for learner in instance.learners
        for block in instance.blocks
        if block.id not in learner.unavailable
    }
    assert set(seats) == expected
    assert set(seats.values()) == {1}


@INSTANCES
def test_grade_classes_breaks_only_size_and_readiness(path: Path) -> None:
    instance = _instance(path)
    plan = _grade(path)
    report = check(instance, plan)
    assert set(report.rules_broken) <= {4, 5}
    assert plan.status == ("feasible" if report.ok else "unknown")
    assert plan.objective == score(instance, plan).objective
    # classes: teacher-led sessions far above a small group's size
    led = [len(s.learners) for s in plan.sessions if s.teacher is not None]
    assert led and max(led) > 8


@INSTANCES
def test_grade_classes_is_deterministic(path: Path) -> None:
    instance = _instance(path)
    again = grade_classes(instance)
    assert again.sessions == _grade(path).sessions


def test_grade_classes_refuses_a_bad_class_size() -> None:
    with pytest.raises(ValueError, match="class_size"):
        grade_classes(_instance(TINY), class_size=0)


def test_runner_row_on_tiny(tmp_path: Path) -> None:
    row = measure("plsched", TINY, 5.0, 0)
    assert row["verdict"] == "valid"
    assert row["objective_checked"] is True
    assert row["learners"] == len(_instance(TINY).learners)
    assert row["bound"] <= row["objective"]
    assert row["first_s"] <= row["total_s"]
    assert row["peak_mib"] > 0
    assert 0.0 <= row["goal_minutes_met_share"] <= 1.0

    grade = run_method("grade_classes", TINY, 5.0, 0, name="example-tiny")
    assert grade["method"] == "grade_classes"
    assert grade["verdict"] == "valid" or "violation" in grade["verdict"], grade["verdict"]
    rows = [{**row, "instance": "example-tiny"}, grade]
    add_ratios(rows)
    assert rows[0]["objective_ratio"] == 1.0
    assert grade["objective_ratio"] == pytest.approx(grade["objective"] / row["objective"])

    md, csv_path = write_results(rows, tmp_path, time_limit=5.0, seed=0, command="test")
    text = md.read_text(encoding="utf-8")
    assert "| example-tiny | plsched |" in text and "| example-tiny | grade_classes |" in text
    assert len(csv_path.read_text(encoding="utf-8").splitlines()) == 3


def test_runner_reports_a_method_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        measure("nonsense", TINY, 1.0, 0)


def test_runner_calls_a_failure_near_the_memory_cap_out_of_memory() -> None:
    # past the cap, OR-Tools' model builder failed with a SystemError rather than MemoryError
    stderr = "SystemError: <function f> returned NULL without setting an exception"
    near = int(quality.NEAR_CAP * quality.MEMORY_CAP_BYTES / 1024) + 1
    assert quality._failure(stderr, 1, near) == "no plan (out of memory)"
    assert quality._failure(stderr, 1, near // 4).startswith("no plan (error: SystemError")
