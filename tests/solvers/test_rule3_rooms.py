"""Rule 3: a room hosts at most ``zones`` sessions and ``capacity`` learners per block, only
when open, with every feature its sessions ask for (constraints/rule3_rooms.py)."""

from __future__ import annotations

from typing import Any

import pytest

from plsched import Instance

from .conftest import (
    BLOCK_SHORT,
    OFF_TARGET,
    independent,
    ready_for_a,
    ready_for_b,
    room,
    school,
    sessions_of,
    small_group,
    solve_checked,
    teacher,
)


def _tables_school(
    nook: dict[str, Any], n: int = 6, blocks: tuple[str, ...] = ("mon-1",)
) -> Instance:
    """small_group needs a "table"; only the nook has tables; the hall seats the rest."""
    return school(
        ready_for_a(*(f"l{i}" for i in range(1, n + 1))),
        [teacher("t1"), teacher("t2")],
        blocks=blocks,
        rooms=[room("hall"), {**nook, "features": ["table"]}],
        modalities=[small_group(room_features=["table"]), independent()],
    )


@pytest.mark.parametrize(
    ("zones", "expected", "sizes"),
    [
        # zones 1: one session only; 4 of 6 → 2 × 600 + |4 − 3| × 2 = 1202
        (1, 2 * BLOCK_SHORT + OFF_TARGET, [4]),
        # zones 2: both teachers, 3 + 3 → 0
        (2, 0.0, [3, 3]),
    ],
)
def test_zones_cap_sessions_per_block(zones: int, expected: float, sizes: list[int]) -> None:
    result = solve_checked(_tables_school(room("nook", capacity=30, zones=zones)))
    assert result.objective == expected
    assert sorted(len(s.learners) for s in sessions_of(result)) == sizes
    assert {s.room for s in sessions_of(result)} == {"nook"}


def test_capacity_caps_learners_across_zones() -> None:
    # nook: 2 zones but 5 seats. Two sessions of 2..4 seat at most 5: 2 + 3 → |2 − 3| = 1 → 2,
    # one learner short → 600: 602. (One session of 4 costs 1202.)
    result = solve_checked(_tables_school(room("nook", capacity=5, zones=2)))
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert sorted(len(s.learners) for s in sessions_of(result)) == [2, 3]


def test_a_closed_room_hosts_nothing() -> None:
    # 3 learners, the nook closed at mon-1: the group of 3 meets at mon-2 → 0.
    nook = room("nook", capacity=30, zones=2, unavailable=["mon-1"])
    result = solve_checked(_tables_school(nook, n=3, blocks=("mon-1", "mon-2")))
    assert result.objective == 0.0
    assert [(s.block, s.room) for s in sessions_of(result)] == [("mon-2", "nook")]


def test_no_room_with_the_features_means_no_session() -> None:
    # The nook is closed all week: small_group finds no room → 3 × 600 = 1800, all in the hall.
    nook = room("nook", capacity=30, zones=2, unavailable=["mon-1"])
    result = solve_checked(_tables_school(nook, n=3))
    assert result.objective == 3 * BLOCK_SHORT
    assert sessions_of(result) == []
    assert {s.room for s in result.plan.sessions} == {"hall"}


def test_teacherless_sessions_fill_rooms_within_zones_and_capacity() -> None:
    # No teacher is free at mon-1: 3 learners sit alone (independent is 1..1) and the only room,
    # 3 zones and 3 seats, takes exactly them; no group_size cost, each learner short → 1800.
    instance = school(
        ready_for_b("l1", "l2", "l3"),
        [teacher("t1", unavailable=["mon-1"])],
        rooms=[room("hall", capacity=3, zones=3)],
    )
    result = solve_checked(instance)
    assert result.objective == 3 * BLOCK_SHORT
    assert sorted(s.learners for s in result.plan.sessions) == [("l1",), ("l2",), ("l3",)]


def test_two_zones_seat_a_group_of_four_and_one_learner_alone() -> None:
    # 5 ready for a, one teacher, one room of 2 zones (independent is 1..1): one zone for the
    # group, one for a learner alone, so the group must take 4 → |4 − 3| × 2 = 2; the one alone
    # is short → 600: 602. (A group of 3 leaves 2 learners for 1 zone: not a plan.)
    instance = school(
        ready_for_a("l1", "l2", "l3", "l4", "l5"), [teacher("t1")], rooms=[room(zones=2)]
    )
    result = solve_checked(instance)
    assert result.objective == BLOCK_SHORT + OFF_TARGET
    assert [len(s.learners) for s in sessions_of(result)] == [4]
