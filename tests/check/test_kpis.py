"""KPIs of small hand plans, with the arithmetic written out."""

from __future__ import annotations

import pytest

from plsched.check import KPI_NAMES, check
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule

from .builders import edited_week, small_group, valid_week


def test_kpis_of_the_valid_week(five_learners_two_teachers: Instance) -> None:
    kpis = check(five_learners_two_teachers, valid_week()).kpis
    assert tuple(kpis) == KPI_NAMES
    # Goals (minutes wanted -> delivered, every block is 60 minutes):
    #   l1 math small_group 120 -> s1 = 60          met 60
    #   l1 independent       60 -> s4, s6, s8 = 180 met 60
    #   l2 math small_group  60 -> s1 = 60          met 60
    #   l3 math small_group  60 -> s3 = 60          met 60
    #   l4 independent      120 -> s2, s5, s6, s9   met 120
    # wanted 420, met 360: share 6/7, unmet 60.
    assert kpis["goal_minutes_met_share"] == pytest.approx(360 / 420)
    assert kpis["unmet_goal_minutes"] == 60
    # Teacher-led skill minutes: s1 (b) l1 and l2, s3 (c) l3 = 180, all ready.
    assert kpis["teacher_led_ready_share"] == 1.0
    # On focus: l1 on b (focus b) and l3 on c (focus c) = 120 of 180.
    assert kpis["teacher_led_focus_share"] == pytest.approx(120 / 180)
    # Teacher-led sessions s1 (2 learners) and s3 (1): mean 1.5; 2 of 2 + 2 weekly slots.
    assert kpis["mean_group_size"] == 1.5
    assert kpis["teacher_utilisation"] == 0.5


def test_kpis_count_review_minutes_as_not_ready(five_learners_two_teachers: Instance) -> None:
    # s3 now reviews b with l3 (mastered): ready minutes 120 (s1) of 180; l3's focus is c,
    # so focus minutes 60 (l1 on b) of 180; l3's math goal is still met by s3.
    plan = edited_week(small_group("s3", "mon-2", ["l3"], "t2", "b"))
    kpis = check(five_learners_two_teachers, plan).kpis
    assert kpis["teacher_led_ready_share"] == pytest.approx(120 / 180)
    assert kpis["teacher_led_focus_share"] == pytest.approx(60 / 180)
    assert kpis["goal_minutes_met_share"] == pytest.approx(360 / 420)


def test_kpis_of_an_empty_plan(five_learners_two_teachers: Instance) -> None:
    plan = Schedule(instance="five-learners-two-teachers", status="unknown")
    kpis = check(five_learners_two_teachers, plan).kpis
    assert kpis == {
        "goal_minutes_met_share": 0.0,
        "unmet_goal_minutes": 420.0,
        "teacher_led_ready_share": 0.0,
        "teacher_led_focus_share": 0.0,
        "mean_group_size": 0.0,
        "teacher_utilisation": 0.0,
    }
