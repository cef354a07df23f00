"""Semantic checks: both sides of each boundary (the refusals are in test_bad_input.py)."""

from __future__ import annotations

from typing import Any

import pytest

import plsched
from plsched.schema import CompetencyModel, Skill
from plsched.schema.semantic import check_model_dag, validate_instance


def test_tiny_is_valid(tiny_instance: plsched.Instance) -> None:
    validate_instance(tiny_instance)


def _model(*edges: tuple[str, str]) -> CompetencyModel:
    ids = sorted({end for edge in edges for end in edge})
    pres = {i: tuple(a for a, b in edges if b == i) for i in ids}
    skills = tuple(Skill(id=i, level=0, prerequisites=pres[i]) for i in ids)
    return CompetencyModel(id="m", subject="s", skills=skills)


def test_diamond_is_a_dag() -> None:
    check_model_dag(_model(("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")), "m")


def test_cycle_names_only_its_skills() -> None:
    with pytest.raises(plsched.InputError) as info:
        check_model_dag(_model(("a", "b"), ("b", "c"), ("c", "b")), "model")
    message = str(info.value)
    assert "b -> c -> b" in message or "c -> b -> c" in message
    assert "a" not in message.rsplit(": ", 1)[1]


def _accepts(data: dict[str, Any]) -> None:
    plsched.parse_instance(data)


def test_back_to_back_blocks_and_same_times_on_other_days(tiny_data: dict[str, Any]) -> None:
    # mon-1 runs 08:30-09:30; mon-2 may start exactly when it ends.
    tiny_data["blocks"][1]["start"] = "09:30"
    _accepts(tiny_data)


def test_block_may_end_at_midnight(tiny_data: dict[str, Any]) -> None:
    tiny_data["blocks"][5]["start"] = "23:00"  # 60 minutes: ends 24:00
    _accepts(tiny_data)


def test_sizes_may_all_be_equal(tiny_data: dict[str, Any]) -> None:
    tiny_data["modalities"][0].update(min_size=3, target_size=3, max_size=3)
    _accepts(tiny_data)


def test_room_exactly_as_big_as_min_size(tiny_data: dict[str, Any]) -> None:
    # community needs 6..12; with studio at 6 seats, the room still holds its min_size.
    tiny_data["rooms"][0]["capacity"] = 6
    _accepts(tiny_data)


def test_unwanted_modality_may_fit_no_room(tiny_data: dict[str, Any]) -> None:
    """No learner has a goal for 'independent', so no room needs to host it."""
    tiny_data["modalities"][1]["room_features"] = ["lab"]
    _accepts(tiny_data)


def test_feature_found_in_some_room(tiny_data: dict[str, Any]) -> None:
    tiny_data["modalities"][0]["room_features"] = ["quiet"]  # the nook has it
    _accepts(tiny_data)


def test_qualification_of_one_level(tiny_data: dict[str, Any]) -> None:
    tiny_data["teachers"][0]["qualifications"][0].update(min_level=1, max_level=1)
    _accepts(tiny_data)


def test_goal_without_subject_for_a_modality_without_skill(tiny_data: dict[str, Any]) -> None:
    tiny_data["learners"][0]["goals"].append(
        {"subject": None, "modality": "independent", "minutes_per_week": 60}
    )
    _accepts(tiny_data)
