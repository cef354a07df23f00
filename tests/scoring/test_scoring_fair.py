"""Fair teacher loads on hand examples."""

from __future__ import annotations

from hand_school import school, teacher

from plsched import Instance
from plsched.scoring import fair_loads


def test_fair_loads_share_the_demand(four_learners_two_teachers: Instance) -> None:
    # cap(t1) = min(3, min(2, 2 on mon) + min(2, 1 on tue)) = 3.
    # cap(t2) = min(5, min(1, 1 free on mon) + min(1, 1 on tue)) = 2. C = 5.
    # Mean block = (60 + 45 + 30) / 3 = 45. Teacher-led goals:
    # l1 small_group 120 / (3 × 45) = 8/9, l1 community 60 / (4 × 45) = 1/3,
    # l2 and l3 small_group 60 / 135 = 4/9 each (l4's goal is independent). D = 19/9.
    # D / C = 19/45: fair(t1) = ceil(57/45) = 2, fair(t2) = ceil(38/45) = 1.
    assert fair_loads(four_learners_two_teachers) == {"t1": 2, "t2": 1}


def test_fair_load_is_the_cap_when_demand_exceeds_it() -> None:
    # cap(t1) = min(1, 2 + 1) = 1 = C < D = 19/9, so min(1, D / C) = 1 and fair = cap.
    assert fair_loads(school([teacher("t1", 2, 1)])) == {"t1": 1}


def test_fair_loads_are_zero_without_capacity() -> None:
    # A teacher with no sessions to give and one away all week: C = 0.
    away = ["mon-1", "mon-2", "tue-1"]
    instance = school([teacher("t1", 0, 3), teacher("t2", 2, 3, away)])
    assert fair_loads(instance) == {"t1": 0, "t2": 0}
