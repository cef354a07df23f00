"""Scaled totals, weights, warnings, unknown ids and broken plans."""

from __future__ import annotations

import logging

import pytest
from hand_school import plan, school, session, teacher

from plsched import InputError, Instance
from plsched.scoring import SCALE, TERMS, scaled_weights, score


def test_scaled_total_sums_the_weighted_terms(four_learners_one_teacher: Instance) -> None:
    p = plan(
        session("s1", "mon-1", "small_group", ["l1", "l2", "l3", "l4"], "math", "b", "t1"),
        session("s2", "mon-2", "community", ["l1", "l2", "l4"], teacher="t1"),
    )
    result = score(four_learners_one_teacher, p)
    # goal_shortfall: l1 small_group 120 − 60 = 60, l1 community 60 − 45 = 15, l2 0, l3 0,
    # l4 30 → 105. off_focus: l3 (focus c) on b, 60 min → 60. group_size: |4 − 3| + |3 − 4| = 2.
    # age_mix: s2 has 3 six-year-olds, half 2 → 1. review: l3 and l4 have mastered b → 2.
    # stretch: l2 has not mastered a → 1.
    # load_balance: fair(t1) = ceil(3 × min(1, (19/9) / 3)) = ceil(19/9) = 3, leads 2 → 0.
    assert result.raw == {
        "goal_shortfall": 105,
        "off_focus": 60,
        "group_size": 2,
        "continuity": 0,
        "variety": 0,
        "age_mix": 1,
        "load_balance": 0,
        "stability": 0,
        "review": 2,
        "stretch": 1,
    }
    # Default weights × 100: 1000, 20, 200, 2000, 2000, 500, 1000, 500, 3000, 2000.
    # 105 × 1000 + 60 × 20 + 2 × 200 + 1 × 500 + 2 × 3000 + 1 × 2000 = 115,100.
    assert result.scaled == 115_100
    assert result.scaled == sum(result.scaled_terms.values())
    assert result.objective == 1151.0
    assert result.weighted["off_focus"] == 12.0
    assert sum(result.weighted.values()) == pytest.approx(result.objective)
    assert list(result.raw) == list(TERMS) == list(result.scaled_terms)


def test_default_weights_scale_without_warning(
    four_learners_one_teacher: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        weights = scaled_weights(four_learners_one_teacher.policy)
    assert weights["off_focus"] == 20  # 0.2 × 100, not 20.000000000000004
    assert weights["goal_shortfall"] == 10 * SCALE
    assert caplog.records == []


def test_non_integer_weight_is_rounded_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    instance = school([teacher("t1", 2, 3)], {"weights": {"group_size": 0.123}})
    p = plan(session("s1", "mon-1", "independent", ["l1", "l2"]))
    with caplog.at_level(logging.WARNING, logger="plsched.scoring"):
        result = score(instance, p)
    # 0.123 × 100 = 12.3 → 12; group_size |2 − 5| = 3 → 36.
    assert result.scaled_terms["group_size"] == 36
    assert any("group_size" in r.getMessage() for r in caplog.records)


def test_a_huge_total_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    instance = school([teacher("t1", 2, 3)], {"weights": {"goal_shortfall": 1e17}})
    with caplog.at_level(logging.WARNING, logger="plsched.scoring"):
        result = score(instance, plan())
    # 330 minutes × 10**19 is far beyond 2**62 ≈ 4.6 × 10**18; Python ints stay exact.
    assert result.scaled == 330 * 10**19
    assert any("2**62" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("block", "sun-9", "unknown block 'sun-9'"),
        ("modality", "lecture", "unknown modality 'lecture'"),
        ("subject", "art", "unknown subject 'art'"),
        ("skill", "zz", "unknown skill 'zz'"),
        ("teacher", "t9", "unknown teacher 't9'"),
        ("room", "attic", "unknown room 'attic'"),
        ("learners", ["l1", "l77"], "unknown learner 'l77'"),
    ],
)
def test_unknown_ids_are_one_sentence(
    four_learners_one_teacher: Instance, field: str, value: object, words: str
) -> None:
    good = session("s1", "mon-1", "small_group", ["l1"], "math", "b", "t1")
    bad = good.model_copy(update={field: tuple(value) if isinstance(value, list) else value})
    with pytest.raises(InputError, match=f"plan session 's1': {words}\\.$"):
        score(four_learners_one_teacher, plan(bad))


def test_a_plan_breaking_hard_rules_is_scored_as_it_is(
    four_learners_one_teacher: Instance,
) -> None:
    p = plan(
        # l1 twice in mon-1, a teacher clash, an oversized group, a teacher on independent work,
        # a skill on a session without a subject, and a skill-focus session without a skill.
        session("s1", "mon-1", "small_group", ["l1", "l2", "l3", "l4", "l1"], "math", "c", "t1"),
        session("s2", "mon-1", "independent", ["l1"], skill="a", teacher="t1"),
        session("s3", "mon-2", "small_group", ["l2"], "math", None, "t1"),
    )
    r = score(four_learners_one_teacher, p).raw
    # stretch: s1 l1 (c two steps ahead) and l2 → 2; s2 is not same_skill; s3 has no skill.
    # review: s1 l4 → 1; l3 is ready for c. off_focus: s1 l1 (focus b) 60; s3 l2 has no focus.
    # group_size: |4 − 3| + |1 − 5| + |1 − 3| = 7. load_balance: fair(t1) = 3, leads 3 → 0.
    # continuity: l1 math {t1} → 0 (s2 has no subject).
    assert (r["stretch"], r["review"], r["off_focus"], r["group_size"]) == (2, 1, 60, 7)
    assert (r["load_balance"], r["continuity"]) == (0, 0)
