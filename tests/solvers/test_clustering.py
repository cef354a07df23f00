"""The split of learners over their focus skills (plsched.solvers.clustering)."""

from __future__ import annotations

import numpy as np

from plsched.solvers.clustering import focus_clusters

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
