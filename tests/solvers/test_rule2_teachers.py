"""Rule 2: a teacher leads at most one session per block, only when available, within
max_sessions_per_day and max_sessions_per_week, on skills within a qualification
(constraints/rule2_teachers.py; availability and levels through candidates.py)."""

from __future__ import annotations

import pytest

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    groups,
    ready_for_a,
    ready_for_b,
    school,
    sessions_of,
    solve_checked,
    teacher,
)

THREE_SHORT_ONE_BLOCK = 3 * BLOCK_SHORT  # 1800


@pytest.mark.parametrize(("per_day", "expected"), [(1, THREE_SHORT_ONE_BLOCK), (2, 0.0)])
def test_max_sessions_per_day_caps_sessions(per_day: int, expected: float) -> None:
    # l1..l3 ready for b want 120 minutes; blocks mon-1 and mon-2 (one day).
    # per_day 2: {l1,l2,l3} twice → 0 (2 math blocks a day is the cap: no variety cost).
    # per_day 1: one group of 3 → each learner 60 short → 3 × 600 = 1800.
    instance = school(
        ready_for_b("l1", "l2", "l3", minutes=120),
        [teacher("t1", per_day=per_day)],
        blocks=("mon-1", "mon-2"),
    )
    result = solve_checked(instance)
    assert result.objective == expected
    assert len(sessions_of(result)) == per_day
    assert groups(result) == [("l1", "l2", "l3")] * per_day


def test_max_sessions_per_week_caps_sessions() -> None:
    # Same learners, blocks on two days, 5 a day but 1 a week → one session → 1800.
    instance = school(
        ready_for_b("l1", "l2", "l3", minutes=120),
        [teacher("t1", per_day=5, per_week=1)],
        blocks=("mon-1", "tue-1"),
    )
    result = solve_checked(instance)
    assert result.objective == THREE_SHORT_ONE_BLOCK
    assert len(sessions_of(result)) == 1


def test_one_session_per_teacher_and_block(six_ready_learners_one_teacher) -> None:  # type: ignore[no-untyped-def]
    # 6 ready for a, one teacher, one block: one session only; size k in 2..4 costs
    # (6 − k) × 600 + |k − 3| × 2: k=4 → 1200 + 2 = 1202, k=3 → 1800. Optimum 1202.
    result = solve_checked(six_ready_learners_one_teacher)
    assert result.objective == 2 * BLOCK_SHORT + OFF_TARGET
    [session] = sessions_of(result)
    assert len(session.learners) == 4
    assert session.teacher == "t1"


def test_two_teachers_split_six_learners(six_ready_learners_two_teachers) -> None:  # type: ignore[no-untyped-def]
    # Two sessions of 3 on a, one per teacher → 0.
    result = solve_checked(six_ready_learners_two_teachers)
    assert result.objective == 0.0
    assert sorted(len(s.learners) for s in sessions_of(result)) == [3, 3]
    assert sorted(s.teacher for s in sessions_of(result)) == ["t1", "t2"]


def test_an_away_teacher_leads_nothing_in_that_block() -> None:
    # t1 away at mon-1: the group of 3 meets at mon-2 → 0.
    instance = school(
        ready_for_b("l1", "l2", "l3"),
        [teacher("t1", unavailable=["mon-1"])],
        blocks=("mon-1", "mon-2"),
    )
    result = solve_checked(instance)
    assert result.objective == 0.0
    assert [s.block for s in sessions_of(result)] == ["mon-2"]


def test_levels_outside_every_qualification_are_never_taught() -> None:
    # t1 is qualified for levels 0..0 only; l1..l3 are ready for b (level 1): no session,
    # 3 × 600 = 1800, and every learner's shortfall is reported.
    t1 = teacher("t1")
    t1["qualifications"] = [{"subject": "math", "min_level": 0, "max_level": 0}]
    result = solve_checked(school(ready_for_b("l1", "l2", "l3"), [t1]))
    assert result.objective == THREE_SHORT_ONE_BLOCK
    assert sessions_of(result) == []
    assert sorted(u.learner for u in result.unmet) == ["l1", "l2", "l3"]
    assert all("qualified" in u.reason for u in result.unmet)


def test_a_teacher_only_leads_their_modalities() -> None:
    # t2 leads small_group but t1 only "workshop" (no learner wants it): 6 learners ready for a
    # get one session of 4 with t2 → 1202, t1 leads nothing.
    t1 = teacher("t1", modalities=["workshop"])
    workshop = {
        "id": "workshop",
        "teacher_required": True,
        "min_size": 2,
        "max_size": 8,
        "target_size": 6,
        "skill_focus": True,
        "mix": "any",
    }
    from .conftest import independent, small_group

    instance = school(
        ready_for_a("l1", "l2", "l3", "l4", "l5", "l6"),
        [t1, teacher("t2")],
        modalities=[small_group(), independent(), workshop],
    )
    result = solve_checked(instance)
    assert result.objective == 2 * BLOCK_SHORT + OFF_TARGET
    assert [s.teacher for s in result.plan.sessions if s.teacher] == ["t2"]
