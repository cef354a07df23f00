"""The generated people and goals look like a school: closed mastery, ready focus, valid ties."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from plsched import Instance
from plsched.generate.learners import band_of

from .schools import generated, parsed


def _prereqs(instance: Instance) -> dict[str, dict[str, tuple[str, ...]]]:
    models = {m.id: m for m in instance.competency_models}
    return {
        s.id: {k.id: k.prerequisites for k in models[s.model].skills} for s in instance.subjects
    }


def test_mastery_is_closed_under_prerequisites(
    preset_instance: tuple[dict[str, Any], Instance],
) -> None:
    _, instance = preset_instance
    prereqs = _prereqs(instance)
    for learner in instance.learners:
        for subject, mastered in learner.mastery.items():
            have = set(mastered)
            assert len(have) == len(mastered)
            for skill in mastered:
                missing = set(prereqs[subject][skill]) - have
                assert not missing, (learner.id, skill, missing)


def test_focus_skills_are_ready(preset_instance: tuple[dict[str, Any], Instance]) -> None:
    _, instance = preset_instance
    prereqs = _prereqs(instance)
    for learner in instance.learners:
        for goal in learner.goals:
            if goal.subject is None:
                assert goal.focus == ()
                continue
            assert 1 <= len(goal.focus) <= 3
            have = set(learner.mastery[goal.subject])
            for skill in goal.focus:
                assert skill not in have
                assert set(prereqs[goal.subject][skill]) <= have, (learner.id, skill)


def test_ages_bands_and_grade_levels() -> None:
    instance = parsed("school")
    models = {m.id: m for m in instance.competency_models}
    level = {k.id: k.level for k in models["ccss-math-k8"].skills}
    offsets = []
    for learner in instance.learners:
        assert 5 <= learner.age <= 14
        assert learner.band == band_of(learner.age)
        below = [level[k] for k in learner.mastery["math"]]
        top = max(below, default=0.0)
        offsets.append(int(top) - min(learner.age - 5, 8))
    counts = Counter(abs(o) for o in offsets)
    assert counts[0] + counts[1] >= 0.8 * len(offsets)  # most within one grade
    assert counts[2] > 0  # some two grades away


def test_learners_share_focus_skills() -> None:
    instance = parsed("school")
    focus = Counter(
        skill
        for learner in instance.learners
        for g in learner.goals
        if g.subject == "math"
        for skill in g.focus
    )
    shared = [
        learner
        for learner in instance.learners
        if any(focus[s] >= 3 for g in learner.goals if g.subject == "math" for s in g.focus)
    ]
    assert len(shared) >= 0.8 * len(instance.learners)


def test_avoid_pairs_are_symmetric_and_within_a_band(
    preset_instance: tuple[dict[str, Any], Instance],
) -> None:
    _, instance = preset_instance
    by_id = {learner.id: learner for learner in instance.learners}
    pairs = 0
    for learner in instance.learners:
        for other in learner.avoid:
            assert learner.id in by_id[other].avoid
            assert by_id[other].band == learner.band
            pairs += 1
    assert pairs >= 2


def test_goal_minutes_leave_room_for_independent_work() -> None:
    instance = parsed("large")
    week = sum(b.minutes for b in instance.blocks)
    share = [sum(g.minutes_per_week for g in le.goals) / week for le in instance.learners]
    assert max(share) < 0.5
    assert {"small_group", "workshop", "community"} <= {
        g.modality for le in instance.learners for g in le.goals
    }


def test_staff_rooms_and_needs_vary() -> None:
    doc = generated("large")
    teachers, learners, rooms = doc["teachers"], doc["learners"], doc["rooms"]
    part_time = [t for t in teachers if t["max_sessions_per_week"] < 18]
    assert 0.05 * len(teachers) <= len(part_time) <= 0.3 * len(teachers)
    assert any("ell" in t["tags"] for t in teachers)
    assert any("lab" in r["features"] for r in rooms)
    assert any("quiet" in r["features"] for r in rooms)
    assert any(r["zones"] >= 4 and r["capacity"] >= 60 for r in rooms)
    assert any(r["unavailable"] for r in rooms)
    assert 0.01 <= np.mean([bool(le["unavailable"]) for le in learners]) <= 0.1
    assert any(le["needs"]["teacher"] == ["ell"] for le in learners)
    assert any(le["max_group_size"] == 4 for le in learners)
    days = Counter(b["day"] for b in doc["blocks"])
    assert days["wed"] == 4 and days["mon"] == 6  # early-release Wednesday
