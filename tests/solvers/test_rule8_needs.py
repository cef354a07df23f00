"""Rule 8: in a teacher-led session, its size is at most every member's max_group_size, its
teacher carries every tag and its room every feature the members need
(constraints/rule8_needs.py)."""

from __future__ import annotations

from typing import Any

from plsched import Instance

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    groups,
    learner,
    ready_for_a,
    room,
    school,
    sessions_of,
    solve_checked,
    teacher,
)


def test_max_group_size_keeps_a_learner_out_of_a_larger_group() -> None:
    # l4 (max_group_size 2) with 3 others ready for a, one teacher: {l1,l2,l3} → 0 size cost,
    # l4 short → 600. (A pair with l4 leaves two short: 1202.) Optimum 600.
    instance = school(
        [*ready_for_a("l1", "l2", "l3"), learner("l4", [], max_group_size=2)], [teacher("t1")]
    )
    result = solve_checked(instance)
    assert result.objective == BLOCK_SHORT
    assert groups(result) == [("l1", "l2", "l3")]


def test_max_group_size_caps_the_group_it_joins() -> None:
    # Two teachers: {l4, x} + {y, z} → |2 − 3| × 2 twice → 4, nobody short.
    instance = school(
        [*ready_for_a("l1", "l2", "l3"), learner("l4", [], max_group_size=2)],
        [teacher("t1"), teacher("t2")],
    )
    result = solve_checked(instance)
    assert result.objective == 2 * OFF_TARGET
    [with_l4] = [g for g in groups(result) if "l4" in g]
    assert len(with_l4) == 2


def _tagged_school(teachers: list[dict[str, Any]]) -> Instance:
    """l1, l2 ready for a; l3 ready for a and needs an "ell" teacher; blocks mon-1, mon-2."""
    return school(
        [*ready_for_a("l1", "l2"), learner("l3", [], needs={"teacher": ["ell"]})],
        teachers,
        blocks=("mon-1", "mon-2"),
    )


def test_a_learner_needing_a_tag_only_meets_teachers_with_it() -> None:
    # t2 carries "ell" but is away at mon-1: the group of 3 meets at mon-2 with t2 → 0.
    result = solve_checked(
        _tagged_school([teacher("t1"), teacher("t2", tags=["ell"], unavailable=["mon-1"])])
    )
    assert result.objective == 0.0
    [session] = sessions_of(result)
    assert (session.block, session.teacher, session.learners) == ("mon-2", "t2", ("l1", "l2", "l3"))


def test_without_a_tagged_teacher_the_learner_is_left_out() -> None:
    # No "ell" teacher: {l1, l2} → 2; l3 short → 600: 602, with a reason naming the tags.
    result = solve_checked(_tagged_school([teacher("t1")]))
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert groups(result) == [("l1", "l2")]
    [unmet] = result.unmet
    assert unmet.learner == "l3"
    assert "tags" in unmet.reason


def _quiet_school(nook_closed: list[str]) -> Instance:
    """l3 needs a "quiet" room; only the nook (1 zone) is quiet; blocks mon-1, mon-2."""
    return school(
        [*ready_for_a("l1", "l2"), learner("l3", [], needs={"room": ["quiet"]})],
        [teacher("t1")],
        blocks=("mon-1", "mon-2"),
        rooms=[room("hall"), room("nook", zones=1, features=["quiet"], unavailable=nook_closed)],
    )


def test_a_learner_needing_a_room_feature_meets_only_in_such_a_room() -> None:
    # The nook is closed at mon-1: the group of 3 meets in the nook at mon-2 → 0.
    result = solve_checked(_quiet_school(["mon-1"]))
    assert result.objective == 0.0
    [session] = sessions_of(result)
    assert (session.block, session.room) == ("mon-2", "nook")
    assert "l3" in session.learners


def test_without_such_a_room_the_learner_is_left_out() -> None:
    # The nook is closed all week: {l1, l2} in the hall → 2; l3 short → 600: 602.
    result = solve_checked(_quiet_school(["mon-1", "mon-2"]))
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert groups(result) == [("l1", "l2")]
