"""The solver's working plan (solvers/state.py): pool_sizes and split_pool.

A teacherless pool of ``total`` learners in ``count`` sessions of ``lo..hi`` has a cheapest
size cost of |total − count·target| (every session on the same side of the target); sizes as
equal as possible reach it and, with count ≥ 2 and each learner in at most one avoid pair, can
always keep every pair apart (one of each pair per session fits while the largest session is
at most ceil(total / 2) ≤ pairs + singles).
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from plsched.solvers.state import pool_sizes, split_pool


@st.composite
def pools(draw: st.DrawFn) -> tuple[int, int, int, int, int]:
    """(total, count, lo, hi, target) with lo ≤ target ≤ hi and lo·count ≤ total ≤ hi·count."""
    lo = draw(st.integers(1, 6))
    hi = draw(st.integers(lo, 12))
    target = draw(st.integers(lo, hi))
    count = draw(st.integers(1, 6))
    total = draw(st.integers(lo * count, hi * count))
    return total, count, lo, hi, target


@given(pools())
def test_pool_sizes_are_within_bounds_and_keep_the_total(
    pool: tuple[int, int, int, int, int],
) -> None:
    total, count, lo, hi, target = pool
    sizes = pool_sizes(total, count, lo, hi, target)
    assert len(sizes) == count
    assert all(lo <= s <= hi for s in sizes)
    assert sum(sizes) == total


@given(pools())
def test_pool_sizes_reach_the_least_distance_to_target(
    pool: tuple[int, int, int, int, int],
) -> None:
    total, count, lo, hi, target = pool
    sizes = pool_sizes(total, count, lo, hi, target)
    assert sum(abs(s - target) for s in sizes) == abs(total - count * target)


def test_pool_sizes_of_no_session_and_of_impossible_pools() -> None:
    assert pool_sizes(0, 0, 1, 4, 2) == []
    for total, count in ((9, 2), (3, 2)):  # 2 sessions of 2..4 seat 4..8 learners
        try:
            pool_sizes(total, count, 2, 4, 3)
        except ValueError as exc:
            assert "do not fit" in str(exc)
        else:
            raise AssertionError(f"{total} in {count} sessions of 2..4 should not fit")


@st.composite
def pools_with_pairs(
    draw: st.DrawFn,
) -> tuple[list[int], int, int, int, int, set[tuple[int, int]]]:
    total, count, lo, hi, target = draw(pools())
    members = sorted(draw(st.sets(st.integers(0, 99), min_size=total, max_size=total)))
    shuffled = draw(st.permutations(members))
    n_pairs = draw(st.integers(0, total // 2))
    pairs = {
        (min(a, b), max(a, b))
        for a, b in zip(shuffled[0 : 2 * n_pairs : 2], shuffled[1 : 2 * n_pairs : 2], strict=True)
    }
    return members, count, lo, hi, target, pairs


@given(pools_with_pairs())
def test_split_pool_keeps_members_sizes_and_cost(
    pool: tuple[list[int], int, int, int, int, set[tuple[int, int]]],
) -> None:
    members, count, lo, hi, target, pairs = pool
    groups = split_pool(members, count, lo, hi, target, pairs)
    assert len(groups) == count
    assert sorted(m for g in groups for m in g) == members
    assert all(lo <= len(g) <= hi for g in groups)
    assert all(list(g) == sorted(g) for g in groups)
    cost = sum(abs(len(g) - target) for g in groups)
    assert cost == abs(len(members) - count * target)


@given(pools_with_pairs())
def test_split_pool_separates_avoid_pairs_when_there_are_two_sessions_or_more(
    pool: tuple[list[int], int, int, int, int, set[tuple[int, int]]],
) -> None:
    members, count, lo, hi, target, pairs = pool
    assume(count >= 2)
    groups = split_pool(members, count, lo, hi, target, pairs)
    for a, b in pairs:
        assert not any(a in g and b in g for g in groups), (groups, pairs)


def test_split_pool_separates_two_pairs_in_two_sessions_of_four_learners() -> None:
    # 4 learners, 2 sessions of 1..3 (or 1..4), target 3: sizes 2 + 2 and 1 + 3 both cost 2,
    # but only 2 + 2 can hold the pairs (0, 1) and (2, 3) apart: {0, 2} + {1, 3}.
    for hi in (3, 4):
        groups = split_pool([0, 1, 2, 3], 2, 1, hi, 3, {(0, 1), (2, 3)})
        assert sorted(len(g) for g in groups) == [2, 2], groups
        for a, b in ((0, 1), (2, 3)):
            assert not any(a in g and b in g for g in groups), groups


def test_split_pool_with_one_pair_and_one_session_cannot_separate() -> None:
    # One session holds everyone: the split does its best and leaves the rule to the model
    # (rule6_avoid forbids a pair in a pool of one session).
    assert split_pool([3, 5], 1, 1, 4, 2, {(3, 5)}) == [(3, 5)]
