"""plsched.summary on a hand-sized school whose numbers are derived in the comments."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from plsched import parse_instance
from plsched.summary import InstanceSummary, summarize


def four_learners_two_teachers() -> dict[str, Any]:
    """Skills a -> b -> c and a -> d; three 60-minute blocks; one small-group goal each.

    Teacher sessions: t1 min(5, 1 + 1) = 2 (one a day), t2 min(1, 1 + 1) = 1 -> 3 a week.
    Ready sets: l1 {a}, l2 {b, d}, l3 {c, d}, l4 {} -> min 0, median 1.5, max 2.
    """

    def learner(lid: str, mastered: list[str], minutes: int | None) -> dict[str, Any]:
        goals = [{"subject": "math", "modality": "small_group", "minutes_per_week": minutes}]
        return {
            "id": lid,
            "age": 8,
            "band": "3-5",
            "mastery": {"math": mastered},
            "goals": goals if minutes else [],
        }

    return {
        "format": "plsched/instance@1",
        "name": "hand-sized",
        "blocks": [
            {"id": "mon-1", "day": "mon", "start": "09:00", "minutes": 60},
            {"id": "mon-2", "day": "mon", "start": "10:00", "minutes": 60},
            {"id": "tue-1", "day": "tue", "start": "09:00", "minutes": 60},
        ],
        "competency_models": [
            {
                "id": "m",
                "subject": "math",
                "skills": [
                    {"id": "a", "level": 0},
                    {"id": "b", "level": 0, "prerequisites": ["a"]},
                    {"id": "c", "level": 1, "prerequisites": ["b"]},
                    {"id": "d", "level": 1, "prerequisites": ["a"]},
                ],
            }
        ],
        "subjects": [{"id": "math", "model": "m"}],
        "modalities": [
            {
                "id": "small_group",
                "teacher_required": True,
                "min_size": 2,
                "max_size": 4,
                "target_size": 3,
                "skill_focus": True,
                "mix": "same_skill",
            },
            {
                "id": "independent",
                "teacher_required": False,
                "min_size": 1,
                "max_size": 10,
                "target_size": 5,
                "skill_focus": False,
                "mix": "any",
            },
        ],
        "rooms": [
            {"id": "r1", "capacity": 10, "zones": 2},
            {"id": "r2", "capacity": 4, "zones": 1, "unavailable": ["tue-1"]},
        ],
        "teachers": [
            {
                "id": "t1",
                "qualifications": [{"subject": "math", "min_level": 0, "max_level": 1}],
                "modalities": ["small_group"],
                "max_sessions_per_day": 1,
                "max_sessions_per_week": 5,
            },
            {
                "id": "t2",
                "qualifications": [{"subject": "math", "min_level": 0, "max_level": 0}],
                "modalities": ["small_group"],
                "unavailable": ["mon-1"],
                "max_sessions_per_day": 2,
                "max_sessions_per_week": 1,
            },
        ],
        "learners": [
            learner("l1", [], 120),
            learner("l2", ["a"], 120),
            learner("l3", ["a", "b"], 120),
            {**learner("l4", ["a", "b", "c", "d"], None), "unavailable": ["tue-1"]},
        ],
    }


def summary_of(edit: Callable[[dict[str, Any]], None] | None = None) -> InstanceSummary:
    doc = four_learners_two_teachers()
    if edit is not None:
        edit(doc)
    return summarize(parse_instance(doc))


def test_counts_and_ready_sets() -> None:
    s = summary_of()
    assert (s.blocks, s.days, s.subjects, s.modalities) == (3, 2, 1, 2)
    assert (s.rooms, s.teachers, s.learners, s.goals) == (2, 2, 4, 3)
    assert s.skills == (("math", 4),)
    (ready,) = s.ready
    assert (ready.subject, ready.skills, ready.min, ready.median, ready.max) == (
        "math",
        4,
        0,
        1.5,
        2,
    )


def test_teacher_capacity_against_demand() -> None:
    s = summary_of()
    (cap,) = s.teacher_capacity
    # 3 goals x 120 = 360 learner-minutes; 3 sessions x 60 min x 4 (max) = 720, x 3 = 540.
    assert (cap.modality, cap.subject, cap.teachers) == ("small_group", "math", 2)
    assert (cap.demand_minutes, cap.capacity_minutes, cap.target_capacity_minutes) == (
        360,
        720,
        540,
    )
    # 360 / (3 x 60) = 2 sessions at target, 360 / (4 x 60) = 1.5 at max; 3 available.
    assert (s.sessions_demanded, s.sessions_demanded_at_max, s.sessions_available) == (2, 1.5, 3)
    assert s.problems() == [] and s.warnings() == []


def test_room_capacity_per_block() -> None:
    s = summary_of()
    by_block = {b.block: b for b in s.block_capacity}
    # l4 is away on tue-1; r2 is closed then.
    assert [(b.learners, b.seats, b.zones) for b in by_block.values()] == [
        (4, 14, 3),
        (4, 14, 3),
        (3, 10, 2),
    ]
    # tue-1 offers 180 of 660 learner-minutes: ceil(2 x 180/660) = 1 teacher-led session,
    # 3 - 360 x 180/660 / 60 = 1.36 learners left -> 1 independent session.
    assert by_block["tue-1"].sessions_needed == 2
    assert (s.min_seats, s.max_learners_per_block, s.min_zones, s.max_sessions_needed) == (
        10,
        4,
        2,
        2,
    )


def test_a_short_goal_takes_a_whole_block() -> None:
    def short(doc: dict[str, Any]) -> None:
        doc["learners"][0]["goals"][0]["minutes_per_week"] = 30

    assert summary_of(short).teacher_capacity[0].demand_minutes == 60 + 120 + 120


def test_lines_are_short_and_say_feasible() -> None:
    lines = summary_of().lines()
    assert len(lines) <= 20
    assert lines[-1] == "feasible in principle: yes"
    assert any("small_group math: 360 / 720 (540), 2 teachers" in line for line in lines)


def test_summary_is_frozen() -> None:
    s = summary_of()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.learners = 5  # type: ignore[misc]


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # No teacher sessions at all: both the modality and the total fall short.
        (
            _set(["teachers", 0, "max_sessions_per_week"], 0),
            "small_group math: 360 learner-minutes a week are demanded and its 2 teachers give "
            "at most 240.",
        ),
        (
            _set(["rooms", 0, "capacity"], 2),
            "rooms: fewer seats than learners in 1 block(s), worst 'tue-1' with 2 seats for 3",
        ),
        (
            _set(["rooms", 0, "zones"], 1),
            "rooms: fewer zones than sessions needed in 1 block(s), worst 'tue-1'",
        ),
        (
            _set(
                ["learners", 3, "goals"],
                [{"subject": "math", "modality": "small_group", "minutes_per_week": 60}],
            ),
            "learners: 1 have a small_group math goal and no ready skill in math (l4).",
        ),
        (
            _set(["learners", 0, "needs"], {"teacher": ["ell"]}),
            "learners: 1 have a small_group math goal that no teacher with their needed tags "
            "is qualified to lead (l1).",
        ),
        (
            _set(["teachers", 0, "qualifications", 0, "max_level"], 0),
            "no teacher with their needed tags is qualified to lead (l3).",
        ),
        (
            _set(["learners", 1, "max_group_size"], 1),
            "learners: 1 have a max_group_size below the minimum size of small_group (l2).",
        ),
        (
            _set(["learners", 2, "needs"], {"room": ["quiet"]}),
            "learners: 1 have a small_group math goal that no room with the features asked for "
            "can host (l3).",
        ),
        (
            _set(["learners", 0, "goals", 0, "minutes_per_week"], 200),
            "learners: 1 have more goal minutes than available minutes (l1).",
        ),
    ],
)
def test_every_shortfall_is_named(edit: Callable[[dict[str, Any]], None], expected: str) -> None:
    problems = summary_of(edit).problems()
    assert any(expected in p for p in problems), problems
    assert summary_of(edit).lines()[-1].startswith("feasible in principle: no")


def test_total_teacher_shortfall_is_named() -> None:
    problems = summary_of(_set(["teachers", 0, "max_sessions_per_week"], 0)).problems()
    # 1.5 sessions needed at max size, 1 available.
    assert (
        "teachers: 2 teacher sessions a week are needed even at max size, and only 1 can be led."
        in problems
    )


def test_above_target_size_is_a_warning_not_a_problem() -> None:
    def tight(doc: dict[str, Any]) -> None:
        doc["teachers"][1]["max_sessions_per_week"] = 0
        for learner in doc["learners"][:3]:
            learner["goals"][0]["minutes_per_week"] = 150

    s = summary_of(tight)
    # 450 demanded; 2 sessions x 60 x 4 = 480 at max, x 3 = 360 at target.
    assert s.problems() == []
    assert s.warnings() == [
        "small_group math: demand is met only with groups above target size.",
        "teachers: sessions suffice only with groups above target size.",
    ]
