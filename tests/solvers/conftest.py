"""Hand-sized schools for the solver's tests, and ``assert_checked``.

Every builder returns an :class:`Instance` parsed from a plain dict with
:func:`plsched.parse_instance`. The schools share one shape, so that each test's optimum can
be derived by hand:

- subject ``math``, model ``m``: skill ``a`` (level 0), ``b`` (level 1, after ``a``), ``c``
  (level 2, after ``b``);
- ``small_group``: teacher, 2..4 learners, target 3, skill focus, same_skill;
- ``independent``: no teacher, exactly one learner (1..1, target 1), so that every learner
  without a teacher sits alone at no ``group_size`` cost;
- room ``hall``: 30 seats, 30 zones, no features;
- teachers lead small_group on math levels 0..2, 3 sessions a day, 10 a week;
- learners have one goal, small_group math, 60 minutes a week per block given, no focus;
- blocks of 60 minutes; ``policy.weights.load_balance`` is 0 (fair loads are tested in
  tests/scoring), every other weight has its default: goal_shortfall 10 per minute,
  group_size 2 per learner off target, continuity 20, review 30, stretch 20.

So a learner short of one 60-minute block costs 600, and a group one learner off target 2.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest

from plsched import Instance, Schedule, parse_instance
from plsched.check import check
from plsched.scoring import SCALE, score
from plsched.solving import Result, solve

TINY_PATH = Path(__file__).resolve().parents[3] / "shared" / "examples" / "tiny.json"
SMALL_PATH = Path(__file__).resolve().parents[2] / "instances" / "small.json"

#: What a learner short of one 60-minute block costs (10 per minute).
BLOCK_SHORT = 600.0
#: What one learner away from a session's target size costs.
OFF_TARGET = 2.0


# -- builders ----------------------------------------------------------------------------------


def block(bid: str) -> dict[str, Any]:
    """A 60-minute block; ``mon-2`` is the second block of Monday."""
    day, n = bid.split("-")
    return {"id": bid, "day": day, "start": f"{7 + int(n):02d}:00", "minutes": 60}


def small_group(**extra: Any) -> dict[str, Any]:
    return {
        "id": "small_group",
        "teacher_required": True,
        "min_size": 2,
        "max_size": 4,
        "target_size": 3,
        "skill_focus": True,
        "mix": "same_skill",
        **extra,
    }


def independent(**extra: Any) -> dict[str, Any]:
    return {
        "id": "independent",
        "teacher_required": False,
        "min_size": 1,
        "max_size": 1,
        "target_size": 1,
        "skill_focus": False,
        "mix": "any",
        **extra,
    }


def room(rid: str = "hall", capacity: int = 30, zones: int = 30, **extra: Any) -> dict[str, Any]:
    return {"id": rid, "capacity": capacity, "zones": zones, "features": [], **extra}


def teacher(
    tid: str = "t1", *, per_day: int = 3, per_week: int = 10, **extra: Any
) -> dict[str, Any]:
    return {
        "id": tid,
        "name": tid,
        "qualifications": [{"subject": "math", "min_level": 0, "max_level": 2}],
        "modalities": ["small_group"],
        "max_sessions_per_day": per_day,
        "max_sessions_per_week": per_week,
        **extra,
    }


def learner(
    lid: str,
    mastered: list[str],
    *,
    minutes: int = 60,
    focus: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A learner aged 7 with one goal: ``minutes`` of small_group math a week."""
    return {
        "id": lid,
        "age": 7,
        "band": "K-2",
        "mastery": {"math": mastered},
        "goals": [
            {
                "subject": "math",
                "modality": "small_group",
                "minutes_per_week": minutes,
                "focus": focus or [],
            }
        ],
        **extra,
    }


def school_dict(
    learners: list[dict[str, Any]],
    teachers: list[dict[str, Any]],
    *,
    blocks: tuple[str, ...] = ("mon-1",),
    rooms: list[dict[str, Any]] | None = None,
    modalities: list[dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The instance document of a hand-sized school (see the module docstring)."""
    pol: dict[str, Any] = {"weights": {"load_balance": 0}}
    for key, value in (policy or {}).items():
        if key == "weights":
            pol["weights"] = {**pol["weights"], **value}
        else:
            pol[key] = value
    return copy.deepcopy(
        {
            "format": "plsched/instance@1",
            "name": "hand-school",
            "blocks": [block(b) for b in blocks],
            "competency_models": [
                {
                    "id": "m",
                    "subject": "math",
                    "skills": [
                        {"id": "a", "level": 0, "prerequisites": []},
                        {"id": "b", "level": 1, "prerequisites": ["a"]},
                        {"id": "c", "level": 2, "prerequisites": ["b"]},
                    ],
                }
            ],
            "subjects": [{"id": "math", "model": "m"}],
            "modalities": modalities or [small_group(), independent()],
            "rooms": rooms or [room()],
            "teachers": teachers,
            "learners": learners,
            "policy": pol,
        }
    )


def school(*args: Any, **kwargs: Any) -> Instance:
    """:func:`school_dict`, parsed."""
    return parse_instance(school_dict(*args, **kwargs))


def ready_for_a(*ids: str, **extra: Any) -> list[dict[str, Any]]:
    """Learners who mastered nothing: ready for ``a`` only."""
    return [learner(i, [], **extra) for i in ids]


def ready_for_b(*ids: str, **extra: Any) -> list[dict[str, Any]]:
    """Learners who mastered ``a``: ready for ``b`` only."""
    return [learner(i, ["a"], **extra) for i in ids]


# -- solving and checking ----------------------------------------------------------------------


def assert_checked(instance: Instance, result: Result, previous: Schedule | None = None) -> None:
    """The plan keeps every hard rule and the scoring layer agrees with the solver exactly."""
    assert result.status in ("optimal", "feasible"), result.stats.get("reason")
    report = check(instance, result.plan)
    assert report.violations == (), [str(v) for v in report.violations]
    assert report.ok
    scored = score(instance, result.plan, previous)
    assert result.objective is not None
    assert scored.scaled == round(result.objective * SCALE)
    assert scored.scaled == result.stats["solver_objective_scaled"]
    assert result.plan.objective == result.objective


def solve_exact(instance: Instance, time_limit: float = 20.0, **kwargs: Any) -> Result:
    """The whole problem in one CP-SAT model, as ``solve`` does for small schools."""
    return solve(instance, time_limit=time_limit, strategy="exact", **kwargs)


def solve_checked(instance: Instance, time_limit: float = 20.0, **kwargs: Any) -> Result:
    """:func:`solve_exact`, asserting a proven optimum that passes :func:`assert_checked`."""
    result = solve_exact(instance, time_limit, **kwargs)
    assert result.status == "optimal", (result.status, result.stats)
    assert_checked(instance, result)
    assert result.bound == result.objective
    return result


def sessions_of(result: Result, modality: str = "small_group") -> list[Any]:
    return [s for s in result.plan.sessions if s.modality == modality]


def groups(result: Result, modality: str = "small_group") -> list[tuple[str, ...]]:
    """Member tuples of the plan's sessions of ``modality``, sorted."""
    return sorted(tuple(s.learners) for s in sessions_of(result, modality))


# -- the shared example ------------------------------------------------------------------------


@functools.cache
def tiny_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def tiny_dict() -> dict[str, Any]:
    """A fresh, mutable copy of tiny.json's document."""
    return copy.deepcopy(tiny_document())


@pytest.fixture(scope="session")
def tiny() -> Instance:
    return parse_instance(copy.deepcopy(tiny_document()), near=TINY_PATH.parent)


@pytest.fixture(scope="session")
def tiny_optimal(tiny: Instance) -> Result:
    """tiny.json solved to proven optimality once per test session (≈5-20 s)."""
    result = solve(tiny, time_limit=60, seed=0)
    assert result.status == "optimal", result.stats
    return result


# -- named schools -----------------------------------------------------------------------------


@pytest.fixture
def three_ready_learners_one_teacher() -> Instance:
    """l1..l3 ready for b, one teacher, one block: one group of 3 on b, objective 0."""
    return school(ready_for_b("l1", "l2", "l3"), [teacher("t1")])


@pytest.fixture
def three_ready_learners_two_blocks() -> Instance:
    """l1..l3 ready for b, 120 minutes a week each, one teacher, blocks mon-1 and mon-2."""
    return school(
        ready_for_b("l1", "l2", "l3", minutes=120), [teacher("t1")], blocks=("mon-1", "mon-2")
    )


@pytest.fixture
def six_ready_learners_one_teacher() -> Instance:
    """l1..l6 ready for a, one teacher, one block."""
    return school(ready_for_a("l1", "l2", "l3", "l4", "l5", "l6"), [teacher("t1")])


@pytest.fixture
def six_ready_learners_two_teachers() -> Instance:
    """l1..l6 ready for a, teachers t1 and t2, one block."""
    return school(ready_for_a("l1", "l2", "l3", "l4", "l5", "l6"), [teacher("t1"), teacher("t2")])


@pytest.fixture
def two_learners_one_teacher() -> Instance:
    """l1 ready for a, l2 ready for b: no two learners share a skill, no group can meet."""
    return school([*ready_for_a("l1"), *ready_for_b("l2")], [teacher("t1")])
