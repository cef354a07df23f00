"""The ``campus`` preset: 1,200 learners in a shape unlike ``large`` (middle-school ages,
subject specialists, many part-time teachers, big open studios, a 45-minute Monday and an
early-release Friday)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import plsched
from plsched.check import check
from plsched.cli import main
from plsched.generate import PRESETS, Preset, generate, generate_school, to_json
from plsched.summary import summarize

from .schools import generated, parsed

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


def test_campus_week_has_a_short_monday_and_an_early_release_friday() -> None:
    blocks = generated("campus")["blocks"]
    days = Counter(b["day"] for b in blocks)
    assert days == {"mon": 6, "tue": 6, "wed": 6, "thu": 6, "fri": 4}
    minutes = {(b["day"], b["minutes"]) for b in blocks}
    assert minutes == {("mon", 45), ("tue", 60), ("wed", 60), ("thu", 60), ("fri", 60)}
    assert parsed("campus").blocks  # parsed: no two blocks of a day overlap


def test_campus_learners_are_middle_school_heavy() -> None:
    doc = generated("campus")
    assert len(doc["learners"]) == 1200
    assert [s["id"] for s in doc["subjects"]] == ["math", "literacy", "science"]
    ages = Counter(le["age"] for le in doc["learners"])
    assert set(ages) == set(range(9, 15))
    bands = Counter(le["band"] for le in doc["learners"])
    assert set(bands) == {"3-5", "6-8"} and bands["6-8"] > 1.5 * bands["3-5"]
    minutes = {g["minutes_per_week"] for le in doc["learners"] for g in le["goals"]}
    assert {90, 120, 180} <= minutes and 150 not in minutes


def test_campus_staff_are_specialists_and_many_part_time() -> None:
    doc = generated("campus")
    teachers = doc["teachers"]
    part_time = [t for t in teachers if t["max_sessions_per_week"] < 18]
    assert 0.25 * len(teachers) <= len(part_time) <= 0.45 * len(teachers)
    assert all(len(t["unavailable"]) >= 4 for t in part_time)  # whole days away
    both = [
        t for t in teachers if {"math", "literacy"} <= {q["subject"] for q in t["qualifications"]}
    ]
    assert 0 < len(both) <= 0.2 * len(teachers)
    ranges = {(q["min_level"], q["max_level"]) for t in teachers for q in t["qualifications"]}
    assert {(2, 5), (4, 7), (6, 8)} <= ranges


def test_campus_rooms_are_mostly_big_open_studios() -> None:
    doc, large = generated("campus"), generated("large")
    studios = [r for r in doc["rooms"] if r["id"].startswith("studio-")]
    classrooms = [r for r in doc["rooms"] if r["id"].startswith("room-")]
    assert all(8 <= r["zones"] <= 10 and 90 <= r["capacity"] <= 150 for r in studios)
    assert sum(r["zones"] for r in studios) > sum(r["zones"] for r in doc["rooms"]) / 2
    large_classrooms = sum(1 for r in large["rooms"] if r["id"].startswith("room-"))
    per_teacher = len(classrooms) / len(doc["teachers"])
    assert per_teacher < 0.6 * large_classrooms / len(large["teachers"])


def test_campus_is_deterministic_per_seed() -> None:
    again = generate("campus", 1)
    assert to_json(again) == to_json(generated("campus"))
    other = generate("campus", 2)
    assert to_json(other) != to_json(again)
    assert len(other["learners"]) == 1200
    assert summarize(plsched.parse_instance(other)).problems() == []


def test_campus_json_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(INSTANCES / "campus.json")]) == 0
    out = capsys.readouterr().out
    assert "1200 learners" in out and "feasible in principle: yes" in out


def test_preset_rejects_bad_campus_knobs() -> None:
    with pytest.raises(ValueError, match="days are mon"):
        Preset("x", 10, early_release_day="sat")
    with pytest.raises(ValueError, match="days are mon"):
        Preset("x", 10, short_day="sun")
    with pytest.raises(ValueError, match="part_time_share"):
        Preset("x", 10, part_time_share=1.2)
    with pytest.raises(ValueError, match="studio_zones"):
        Preset("x", 10, studio_zones=(6, 4))
    with pytest.raises(ValueError, match="studio_seats"):
        Preset("x", 10, studio_seats=(95, 150))


def test_a_small_campus_solves_to_a_checked_plan() -> None:
    # The campus shape at 120 learners: LNS on a school with 45-minute Monday blocks, an
    # early-release Friday, many part-time teachers and studios of 8-10 zones.
    spec = dataclasses.replace(PRESETS["campus"], learners=120)
    doc = generate_school(spec, "campus120-seed1", np.random.default_rng(1))
    instance = plsched.parse_instance(doc, near=INSTANCES)
    assert summarize(instance).problems() == []
    result = plsched.solve(instance, time_limit=5, seed=0)
    assert result.status in ("optimal", "feasible")
    assert check(instance, result.plan).ok
    assert result.objective is not None and result.bound is not None
    assert result.bound <= result.objective
    assert plsched.score(instance, result.plan).objective == result.objective
