"""Same seed, same bytes; another seed, another school."""

from __future__ import annotations

from pathlib import Path

import pytest

from plsched.generate import generate, to_json

from .schools import district, generated


def test_same_seed_gives_same_bytes() -> None:
    assert to_json(generate("tiny", 7)) == to_json(generate("tiny", 7))
    assert to_json(generate("small", 1)) == to_json(generated("small"))


def test_different_seeds_differ() -> None:
    assert to_json(generate("tiny", 7)) != to_json(generate("tiny", 8))


def test_text_ends_with_one_newline_and_names_models_by_id() -> None:
    doc = generated("small")
    text = to_json(doc)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert doc["competency_models"] == generated("tiny")["competency_models"] == []
    assert [s["model"] for s in doc["subjects"]] == ["ccss-math-k8", "literacy-k8", "science-k8"]
    assert [s["model"] for s in generated("tiny")["subjects"]] == ["ccss-math-k8"]


@pytest.mark.parametrize("name", ["tiny", "small", "school", "large", "campus"])
def test_checked_in_instances_are_the_generated_ones(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "instances" / f"{name}.json"
    assert path.read_text(encoding="utf-8") == to_json(generated(name))


def test_district_has_eight_uniquely_named_schools_of_mixed_sizes() -> None:
    first = district()
    assert len(first) == 8
    assert len({doc["name"] for doc in first.values()}) == 8
    assert all(name == doc["name"] for name, doc in first.items())
    sizes = [len(doc["learners"]) for doc in first.values()]
    assert min(sizes) >= 120 and max(sizes) <= 1000 and max(sizes) - min(sizes) >= 400
