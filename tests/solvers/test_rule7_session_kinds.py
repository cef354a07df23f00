"""Rule 7: a teacher-required modality has a teacher, others none; skill-focus sessions name a
skill of their subject's model, others none (enforced by the candidates and pools:
constraints/rule7_session_kinds.py)."""

from __future__ import annotations

from typing import Any

from plsched import Instance
from plsched.compiled import compile_problem
from plsched.scoring import scaled_weights
from plsched.solvers.cpsat.candidates import prepare
from plsched.solvers.cpsat.constraints.rule7_session_kinds import consistent
from plsched.solvers.cpsat.model import WindowModel
from plsched.solvers.cpsat.window import Window

from .conftest import BLOCK_SHORT, independent, school, small_group, solve_checked, teacher

COMMUNITY = {
    "id": "community",
    "teacher_required": True,
    "min_size": 2,
    "max_size": 4,
    "target_size": 3,
    "skill_focus": False,
    "mix": "diverse",
}


def _member(lid: str, age: int) -> dict[str, Any]:
    """Ready for b; wants 60 minutes of small_group math and 60 of community (no subject)."""
    return {
        "id": lid,
        "age": age,
        "band": "K-2",
        "mastery": {"math": ["a"]},
        "goals": [
            {"subject": "math", "modality": "small_group", "minutes_per_week": 60},
            {"subject": None, "modality": "community", "minutes_per_week": 60},
        ],
    }


def _community_school(teachers: list[dict[str, Any]]) -> Instance:
    return school(
        [_member("l1", 6), _member("l2", 7), _member("l3", 8)],
        teachers,
        blocks=("mon-1", "mon-2"),
        modalities=[small_group(), independent(), COMMUNITY],
    )


def test_every_candidate_and_pool_is_of_a_consistent_kind() -> None:
    instance = _community_school([teacher("t1", modalities=["small_group", "community"])])
    cp = compile_problem(instance)
    wm = WindowModel(cp, prepare(cp), Window.whole(cp), [], weights=scaled_weights(instance.policy))
    assert wm.cands and wm.pools
    assert all(consistent(cp, c) for c in wm.cands)
    assert all(consistent(cp, p) for p in wm.pools)


def test_sessions_of_each_kind_carry_teacher_and_skill_as_their_modality_says() -> None:
    # One teacher leading both: small_group on b at one block, community at the other, all
    # three together → group sizes 3 = target; ages 6, 7, 8 (one each ≤ ceil(3/2)) → no
    # age_mix; continuity counts subjects only → objective 0.
    result = solve_checked(
        _community_school([teacher("t1", modalities=["small_group", "community"])])
    )
    assert result.objective == 0.0
    kinds = sorted((s.modality, s.subject, s.skill, s.teacher) for s in result.plan.sessions)
    assert kinds == [("community", None, None, "t1"), ("small_group", "math", "b", "t1")]


def test_a_teacher_required_modality_never_meets_without_its_teacher() -> None:
    # The only community teacher is away all week: no community session (not even teacherless);
    # 3 learners short 60 → 1800. small_group still meets once on b.
    result = solve_checked(
        _community_school(
            [teacher("t1"), teacher("t2", modalities=["community"], unavailable=["mon-1", "mon-2"])]
        )
    )
    assert result.objective == 3 * BLOCK_SHORT
    assert [s.modality for s in result.plan.sessions if s.teacher] == ["small_group"]
    assert all(s.modality != "community" for s in result.plan.sessions)
    assert all(
        s.teacher is None and s.skill is None and s.subject is None
        for s in result.plan.sessions
        if s.modality == "independent"
    )
