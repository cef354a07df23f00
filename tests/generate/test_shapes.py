"""The schools of other shapes in benchmarks/shapes.py (issue 4's "differently shaped" school):
each builds a valid instance with the shape it names, and plsched plans one."""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import plsched
from plsched import parse_instance
from plsched.check import check
from plsched.generate import generate_school

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks/ lives beside src/, not in the package
    sys.path.insert(0, str(ROOT))

from benchmarks.shapes import SHAPES, random_shape  # noqa: E402


def _small(name: str) -> dict[str, object]:
    """The shape with 80 learners (its other choices kept)."""
    preset = dataclasses.replace(SHAPES[name], learners=80)
    return generate_school(preset, name, np.random.default_rng(7))


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_is_a_valid_instance(name: str) -> None:
    assert parse_instance(_small(name)).name == name


def test_the_shapes_differ_where_they_say() -> None:
    two = _small("two-subjects")
    assert [s["id"] for s in two["subjects"]] == ["math", "literacy"]  # type: ignore[index]
    four = _small("four-day")
    assert len({b["day"] for b in four["blocks"]}) == 4  # type: ignore[attr-defined]
    tuesday = Counter(b["day"] for b in _small("tuesday-release")["blocks"])  # type: ignore[attr-defined]
    assert tuesday["tue"] < tuesday["mon"]


def test_a_shape_is_planned_and_checked() -> None:
    instance = parse_instance(_small("two-subjects"))
    result = plsched.solve(instance, time_limit=5, seed=0)
    assert result.plan is not None
    assert check(instance, result.plan).ok


def test_random_shapes_are_valid_instances_and_differ() -> None:
    rng = np.random.default_rng(11)
    presets = [dataclasses.replace(random_shape(rng, f"r{i}"), learners=60) for i in range(6)]
    assert len({dataclasses.astuple(p)[2:] for p in presets}) == 6
    for i, preset in enumerate(presets):
        doc = generate_school(preset, preset.name, np.random.default_rng(i))
        assert parse_instance(doc).name == preset.name
