"""Tiny hand-made schools and plans for the scoring tests; each term's value is derivable by hand.

The base school: blocks mon-1 (60 min), mon-2 (45 min), tue-1 (30 min); one subject, math, with
skills a → b → c (each the prerequisite of the next); one room. Learners:

    l1  age 6  mastered {a}        goals: math small_group 120 (focus b), community 60
    l2  age 6  mastered {}         goals: math small_group 60 (no focus)
    l3  age 8  mastered {a, b}     goals: math small_group 60 (focus c)
    l4  age 6  mastered {a, b, c}  goals: independent 30

Modalities (size bounds, target): small_group (teacher, skill focus, same_skill; 1-4, 3),
independent (no teacher; 1-10, 5), community (teacher, diverse; 1-10, 4), circle (no
teacher, diverse; 1-10, 3).
"""

from __future__ import annotations

from typing import Any

from plsched import Instance, parse_instance
from plsched.schema.schedule import Schedule, Session


def school(teachers: list[dict[str, Any]], policy: dict[str, Any] | None = None) -> Instance:
    def learner(lid: str, age: int, mastered: list[str], goals: list[dict[str, Any]]) -> Any:
        return {"id": lid, "age": age, "band": "K-2", "mastery": {"math": mastered}, "goals": goals}

    def goal(subject: str | None, modality: str, minutes: int, focus: list[str]) -> Any:
        return {
            "subject": subject,
            "modality": modality,
            "minutes_per_week": minutes,
            "focus": focus,
        }

    def modality(mid: str, teacher: bool, target: int, focus: bool, mix: str) -> Any:
        return {
            "id": mid,
            "teacher_required": teacher,
            "min_size": 1,
            "max_size": 10 if mid != "small_group" else 4,
            "target_size": target,
            "skill_focus": focus,
            "mix": mix,
        }

    data = {
        "format": "plsched/instance@1",
        "name": "hand-school",
        "blocks": [
            {"id": "mon-1", "day": "mon", "start": "08:00", "minutes": 60},
            {"id": "mon-2", "day": "mon", "start": "09:10", "minutes": 45},
            {"id": "tue-1", "day": "tue", "start": "08:00", "minutes": 30},
        ],
        "competency_models": [
            {
                "id": "math-abc",
                "subject": "math",
                "skills": [
                    {"id": "a", "level": 0, "prerequisites": []},
                    {"id": "b", "level": 0, "prerequisites": ["a"]},
                    {"id": "c", "level": 1, "prerequisites": ["b"]},
                ],
            }
        ],
        "subjects": [{"id": "math", "model": "math-abc"}],
        "modalities": [
            modality("small_group", True, 3, True, "same_skill"),
            modality("independent", False, 5, False, "any"),
            modality("community", True, 4, False, "diverse"),
            modality("circle", False, 3, False, "diverse"),
        ],
        "rooms": [{"id": "studio", "capacity": 40, "features": [], "zones": 4}],
        "teachers": teachers,
        "learners": [
            learner(
                "l1",
                6,
                ["a"],
                [goal("math", "small_group", 120, ["b"]), goal(None, "community", 60, [])],
            ),
            learner("l2", 6, [], [goal("math", "small_group", 60, [])]),
            learner("l3", 8, ["a", "b"], [goal("math", "small_group", 60, ["c"])]),
            learner("l4", 6, ["a", "b", "c"], [goal(None, "independent", 30, [])]),
        ],
        "policy": policy or {},
    }
    return parse_instance(data)


def teacher(tid: str, per_day: int, per_week: int, unavailable: list[str] | None = None) -> Any:
    return {
        "id": tid,
        "qualifications": [{"subject": "math", "min_level": 0, "max_level": 2}],
        "modalities": ["small_group", "community"],
        "unavailable": unavailable or [],
        "max_sessions_per_day": per_day,
        "max_sessions_per_week": per_week,
    }


def session(
    sid: str,
    block: str,
    modality: str,
    learners: list[str],
    subject: str | None = None,
    skill: str | None = None,
    teacher: str | None = None,
    room: str = "studio",
) -> Session:
    return Session(
        id=sid,
        block=block,
        modality=modality,
        subject=subject,
        skill=skill,
        teacher=teacher,
        room=room,
        learners=tuple(learners),
    )


def plan(*sessions: Session, name: str = "hand-school") -> Schedule:
    return Schedule(instance=name, status="feasible", sessions=sessions)
