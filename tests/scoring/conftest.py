"""Fixtures: the hand-made schools of hand_school.py, named after what they are."""

from __future__ import annotations

import pytest
from hand_school import school, teacher

from plsched import Instance


@pytest.fixture
def four_learners_one_teacher() -> Instance:
    return school([teacher("t1", 2, 3)])


@pytest.fixture
def four_learners_two_teachers() -> Instance:
    """t1: 2 a day, 3 a week; t2: 1 a day, 5 a week, away at mon-1."""
    return school([teacher("t1", 2, 3), teacher("t2", 1, 5, ["mon-1"])])


@pytest.fixture
def four_learners_daily_cap_one() -> Instance:
    return school([teacher("t1", 2, 3)], {"daily_subject_cap": 1})
