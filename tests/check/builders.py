"""Hand-built instances and plans for the checker's tests.

``five_learners_two_teachers`` is a small school with every kind of constraint in it:

- blocks mon-1, mon-2 (day mon), tue-1, tue-2 (day tue), 60 minutes each;
- math skills a (level 0), b (1, after a), c (2, after b), e (2.5, after a); science skill x;
  science rooms need the feature "lab";
- modalities small_group (teacher, 1-3, same_skill), independent (no teacher, 1-3),
  reading (no teacher, 1-3, needs "quiet"), workshop (teacher, 2-6, mix any);
- rooms hall (capacity 6, 3 zones) and lab (capacity 2, 1 zone, "lab" and "quiet", closed
  tue-1);
- t1: math levels 0-1, small_group only, at most 1 session a day and 2 a week;
  t2: math 0-3 and science, small_group and workshop, tag "ell", away tue-1, 3 a day, 2 a week;
- l1 knows a, needs a quiet room, avoids l3; l2 knows a, groups of at most 2;
  l3 knows a and b, needs an "ell" teacher; l4 knows a; l5 knows a, needs an "ell" teacher.
"""

from __future__ import annotations

import copy
from typing import Any

from plsched.check import CheckReport
from plsched.io import parse_instance
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule, Session


def _block(bid: str, day: str, start: str) -> dict[str, Any]:
    return {"id": bid, "day": day, "start": start, "minutes": 60}


def _modality(
    mid: str, teacher: bool, lo: int, hi: int, focus: bool, mix: str, **extra: Any
) -> dict[str, Any]:
    return {
        "id": mid,
        "teacher_required": teacher,
        "min_size": lo,
        "max_size": hi,
        "target_size": lo,
        "skill_focus": focus,
        "mix": mix,
        **extra,
    }


def _learner(lid: str, age: int, mastered: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": lid, "age": age, "band": "K-5", "mastery": {"math": mastered}, **extra}


def five_learners_two_teachers_dict() -> dict[str, Any]:
    """The instance above as a JSON-like dict (a fresh copy each call, free to edit)."""
    return copy.deepcopy(
        {
            "format": "plsched/instance@1",
            "name": "five-learners-two-teachers",
            "blocks": [
                _block("mon-1", "mon", "08:30"),
                _block("mon-2", "mon", "09:40"),
                _block("tue-1", "tue", "08:30"),
                _block("tue-2", "tue", "09:40"),
            ],
            "competency_models": [
                {
                    "id": "math-m",
                    "subject": "math",
                    "skills": [
                        {"id": "a", "level": 0, "prerequisites": []},
                        {"id": "b", "level": 1, "prerequisites": ["a"]},
                        {"id": "c", "level": 2, "prerequisites": ["b"]},
                        {"id": "e", "level": 2.5, "prerequisites": ["a"]},
                    ],
                },
                {
                    "id": "science-m",
                    "subject": "science",
                    "skills": [{"id": "x", "level": 0, "prerequisites": []}],
                },
            ],
            "subjects": [
                {"id": "math", "model": "math-m"},
                {"id": "science", "model": "science-m", "room_features": ["lab"]},
            ],
            "modalities": [
                _modality("small_group", True, 1, 3, True, "same_skill"),
                _modality("independent", False, 1, 3, False, "any"),
                _modality("reading", False, 1, 3, False, "any", room_features=["quiet"]),
                _modality("workshop", True, 2, 6, True, "any"),
            ],
            "rooms": [
                {"id": "hall", "capacity": 6, "zones": 3},
                {
                    "id": "lab",
                    "capacity": 2,
                    "zones": 1,
                    "features": ["lab", "quiet"],
                    "unavailable": ["tue-1"],
                },
            ],
            "teachers": [
                {
                    "id": "t1",
                    "qualifications": [{"subject": "math", "min_level": 0, "max_level": 1}],
                    "modalities": ["small_group"],
                    "max_sessions_per_day": 1,
                    "max_sessions_per_week": 2,
                },
                {
                    "id": "t2",
                    "qualifications": [
                        {"subject": "math", "min_level": 0, "max_level": 3},
                        {"subject": "science", "min_level": 0, "max_level": 5},
                    ],
                    "modalities": ["small_group", "workshop"],
                    "tags": ["ell"],
                    "unavailable": ["tue-1"],
                    "max_sessions_per_day": 3,
                    "max_sessions_per_week": 2,
                },
            ],
            "learners": [
                _learner(
                    "l1",
                    7,
                    ["a"],
                    goals=[
                        {
                            "subject": "math",
                            "modality": "small_group",
                            "minutes_per_week": 120,
                            "focus": ["b"],
                        },
                        {"subject": None, "modality": "independent", "minutes_per_week": 60},
                    ],
                    needs={"room": ["quiet"]},
                    avoid=["l3"],
                ),
                _learner(
                    "l2",
                    8,
                    ["a"],
                    goals=[{"subject": "math", "modality": "small_group", "minutes_per_week": 60}],
                    max_group_size=2,
                ),
                _learner(
                    "l3",
                    9,
                    ["a", "b"],
                    goals=[
                        {
                            "subject": "math",
                            "modality": "small_group",
                            "minutes_per_week": 60,
                            "focus": ["c"],
                        }
                    ],
                    needs={"teacher": ["ell"]},
                ),
                _learner(
                    "l4",
                    6,
                    ["a"],
                    goals=[{"subject": None, "modality": "independent", "minutes_per_week": 120}],
                ),
                _learner("l5", 6, ["a"], needs={"teacher": ["ell"]}),
            ],
        }
    )


def build_five_learners_two_teachers(**policy: Any) -> Instance:
    data = five_learners_two_teachers_dict()
    data["policy"] = policy
    return parse_instance(data)


def session(
    sid: str,
    block: str,
    learners: list[str],
    modality: str = "independent",
    room: str = "hall",
    teacher: str | None = None,
    subject: str | None = None,
    skill: str | None = None,
) -> Session:
    """A session; the default is independent work in the hall."""
    return Session(
        id=sid,
        block=block,
        learners=tuple(learners),
        modality=modality,
        room=room,
        teacher=teacher,
        subject=subject,
        skill=skill,
    )


def small_group(
    sid: str, block: str, learners: list[str], teacher: str, skill: str, room: str = "hall"
) -> Session:
    """A math small group."""
    return session(sid, block, learners, "small_group", room, teacher, "math", skill)


def valid_week_sessions() -> list[Session]:
    """A plan for ``five_learners_two_teachers`` that breaks no hard rule."""
    return [
        small_group("s1", "mon-1", ["l1", "l2"], "t1", "b", room="lab"),
        session("s2", "mon-1", ["l3", "l4", "l5"]),
        small_group("s3", "mon-2", ["l3"], "t2", "c"),
        session("s4", "mon-2", ["l1", "l2"]),
        session("s5", "mon-2", ["l4", "l5"]),
        session("s6", "tue-1", ["l1", "l4"]),
        session("s7", "tue-1", ["l2", "l3", "l5"]),
        session("s8", "tue-2", ["l1", "l2", "l5"]),
        session("s9", "tue-2", ["l3", "l4"]),
    ]


def plan_of(sessions: list[Session], name: str = "five-learners-two-teachers") -> Schedule:
    return Schedule(instance=name, status="feasible", sessions=tuple(sessions))


def valid_week() -> Schedule:
    return plan_of(valid_week_sessions())


def edited_week(*changed: Session, drop: tuple[str, ...] = ()) -> Schedule:
    """The valid week with sessions replaced (same id) or added, and ``drop`` removed."""
    by_id = {s.id: s for s in valid_week_sessions() if s.id not in drop}
    for s in changed:
        by_id[s.id] = s
    return plan_of(list(by_id.values()))


def only_rule(report: CheckReport, rule: int) -> list[str]:
    """The messages of ``report``, asserting that every violation is of ``rule``."""
    assert report.violations, f"expected a rule {rule} violation, found none"
    assert {v.rule for v in report.violations} == {rule}, [v.message for v in report.violations]
    return [v.message for v in report.violations]
