"""Every preset loads; the checked-in schools are feasible in principle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plsched import Instance, load_instance, parse_instance
from plsched.generate import PRESETS, Preset
from plsched.generate.staff import MARGIN
from plsched.summary import summarize

from .schools import district, generated

EXPECTED_LEARNERS = {
    "tiny": 20,
    "small": 120,
    "school": 500,
    "large": 1000,
    "xl": 2000,
    "campus": 1200,
}


def test_presets_have_the_documented_sizes() -> None:
    assert {name: p.learners for name, p in PRESETS.items()} == EXPECTED_LEARNERS


def test_preset_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="at least 2 learners"):
        Preset("x", 1)
    with pytest.raises(ValueError, match="generalist_share"):
        Preset("x", 10, generalist_share=1.5)
    with pytest.raises(ValueError, match="level ranges"):
        Preset("x", 10, ranges=((4, 2),))


def test_unknown_preset_is_a_sentence() -> None:
    from plsched.generate import generate

    with pytest.raises(ValueError, match="unknown preset 'huge'"):
        generate("huge", 1)


def test_feasible_in_principle(preset_instance: tuple[dict[str, Any], Instance]) -> None:
    doc, instance = preset_instance
    summary = summarize(instance)
    assert summary.problems() == []
    assert summary.warnings() == []
    # The staff is sized with a margin over the sessions needed at target size.
    assert summary.sessions_available >= MARGIN * summary.sessions_demanded * 0.95
    assert summary.learners == len(doc["learners"]) == PRESETS[doc["name"].split("-")[0]].learners


def test_large_has_at_least_900_learners() -> None:
    assert len(generated("large")["learners"]) >= 900


def test_xl_generates_and_loads() -> None:
    doc = generated("xl")
    assert len(doc["learners"]) == 2000
    assert len(parse_instance(doc).learners) == 2000


def test_district_schools_load() -> None:
    schools = district()
    smallest = min(schools.values(), key=lambda d: len(d["learners"]))
    instance = parse_instance(smallest)
    assert summarize(instance).problems() == []


@pytest.mark.parametrize("name", ["tiny", "small"])
def test_checked_in_instances_load_and_are_feasible(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "instances" / f"{name}.json"
    instance = load_instance(path)
    assert summarize(instance).problems() == []
