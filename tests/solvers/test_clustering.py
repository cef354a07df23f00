"""The split of learners over their focus skills (plsched.solvers.clustering)."""

from __future__ import annotations

import numpy as np

from plsched.solvers.clustering import _anneal, _cluster_cost, _Sizes, focus_clusters

SIZES = {"lo": 3, "hi": 8, "target": 5}


def _matrix(rows: list[set[int]], n_skills: int) -> np.ndarray:
    out = np.zeros((len(rows), n_skills), dtype=bool)
    for r, skills in enumerate(rows):
        out[r, sorted(skills)] = True
    return out


def test_a_learner_with_one_focus_skill_is_not_stranded_by_the_most_shared_skill() -> None:
    # A and B may work on skill 0 or 1, C only on 1; D, E, F only on 0. Skill 0 is shared by
    # five: taking it first sends A and B there and leaves C alone (off focus); the best
    # split keeps A, B and C together on 1 and D, E, F on 0: nobody off focus.
    focus = _matrix([{0, 1}, {0, 1}, {1}, {0}, {0}, {0}], 2)
    split, fill = focus_clusters(
        focus, focus.copy(), np.full(6, 3), **SIZES, per_group=0.5, off_focus=6.0, hint=None
    )
    assert split.tolist() == [1, 1, 1, 0, 0, 0]
    assert fill.tolist() == [0, 0]


def test_learners_off_focus_fill_groups_up_to_the_target() -> None:
    # P and Q have only skill 0, W skill 0 or 1, Y and Z only skill 1 (and may sit in 0).
    # W with P and Q makes a group on 0; Y and Z, too few for one on 1, sit in it off focus
    # (size 5, the target). W with Y and Z instead would leave P and Q nowhere to sit.
    focus = _matrix([{0}, {0}, {0, 1}, {1}, {1}], 2)
    may = _matrix([{0}, {0}, {0, 1}, {0, 1}, {0, 1}], 2)
    split, fill = focus_clusters(
        focus, may, np.full(5, 3), **SIZES, per_group=0.5, off_focus=6.0, hint=None
    )
    assert split.tolist() == [0, 0, 0, -1, -1]
    assert fill.tolist() == [2, 0]


def test_every_cluster_splits_into_groups_of_allowed_sizes() -> None:
    # groups of 3 or 4: five learners of one skill cannot all be on it (no split of 5 fits),
    # and whoever is left off focus sits in a group that still fits
    rng = np.random.default_rng(3)
    focus = rng.random((40, 6)) < 0.3
    focus[np.arange(40), rng.integers(0, 6, 40)] = True
    may = focus | (rng.random((40, 6)) < 0.5)
    split, fill = focus_clusters(
        focus,
        may,
        rng.integers(1, 4, 40),
        lo=3,
        hi=4,
        target=3,
        per_group=0.5,
        off_focus=2.0,
        hint=None,
    )
    on = split >= 0
    assert focus[np.flatnonzero(on), split[on]].all()  # only focus skills
    sizes = np.bincount(split[on], minlength=6) + fill
    for n in sizes.tolist():
        assert n == 0 or any(3 * g <= n <= 4 * g for g in range(1, n + 1))
    assert (fill <= (may & ~focus).sum(axis=0)).all()  # fillers only where they may sit
    assert fill.sum() <= (~on).sum()


def test_the_same_school_gives_the_same_split() -> None:
    rng = np.random.default_rng(11)
    focus = rng.random((120, 20)) < 0.12
    focus[np.arange(120), rng.integers(0, 20, 120)] = True
    may = focus | (rng.random((120, 20)) < 0.3)
    meetings = rng.integers(1, 4, 120)
    runs = [
        focus_clusters(focus, may, meetings, **SIZES, per_group=2.5, off_focus=6.0, hint=None)
        for _ in range(2)
    ]
    assert np.array_equal(runs[0][0], runs[1][0])
    assert np.array_equal(runs[0][1], runs[1][1])


def test_annealing_moves_learners_until_every_skill_holds_whole_groups() -> None:
    # ten learners who may all work on skill 0 or 1, started 7 on 0 and 3 on 1: a group of 7
    # and one of 3, each 2 away from the target of 5; the start ends at 5 and 5 (or all ten
    # in two groups of 5 on one skill): nobody away from the target
    focus = np.ones((10, 2), dtype=bool)
    hint = np.array([0] * 7 + [1] * 3)
    split = _anneal(focus, np.full(10, 2), hint, _Sizes(3, 8, 5, 0.5, 6.0))
    assert (split >= 0).all()
    assert sorted(np.bincount(split, minlength=2).tolist()) in ([5, 5], [0, 10])


def test_annealing_never_prices_a_start_above_the_one_it_was_given() -> None:
    # workshops of 6..16 (target 12) and learners with two or three focus skills each
    rng = np.random.default_rng(5)
    focus = rng.random((300, 25)) < 0.08
    focus[np.arange(300), rng.integers(0, 25, 300)] = True
    meetings = rng.integers(1, 3, 300)
    sizes = _Sizes(6, 16, 12, 2.5, 12.0)
    hint = np.array([int(np.flatnonzero(row)[0]) for row in focus])

    def price(split: np.ndarray) -> float:
        rows, cols = np.nonzero(focus)
        per = np.bincount(cols, weights=np.maximum(meetings, 1)[rows], minlength=25)
        mean = per / np.maximum(np.bincount(cols, minlength=25), 1)
        total = 12.0 * float(np.maximum(meetings, 1)[split < 0].sum())
        for j, n in enumerate(np.bincount(split[split >= 0], minlength=25).tolist()):
            cost = _cluster_cost(n, 6, 16, 12, 2.5)
            total += mean[j] * (12.0 * n if cost is None else cost)
        return total

    split = _anneal(focus, meetings, hint, sizes)
    on = split >= 0
    assert focus[np.flatnonzero(on), split[on]].all()  # only focus skills
    assert price(split) < price(hint)
    assert np.array_equal(split, _anneal(focus, meetings, hint, sizes))  # seeded
