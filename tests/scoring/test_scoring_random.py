"""Random plans on tiny.json: the vectorised scorer against a naive reference written from the spec.

The reference below is deliberately plain Python, one loop per sentence of docs/objective.md.
Plans are random and mostly broken (learners in two sessions of a block, teacher clashes,
missing or stray teachers and skills), which exercises every branch of the scorer.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from plsched import Instance, load_instance, parse_instance
from plsched.schema.schedule import Schedule, Session
from plsched.scoring import TERMS, Scorer, goal_shortfalls, scaled_weights, score

TINY = Path(__file__).resolve().parents[3] / "shared" / "examples" / "tiny.json"


# --- the naive reference ------------------------------------------------------------------


def ref_fair(inst: Instance) -> dict[str, int]:
    days = sorted({b.day for b in inst.blocks})
    caps = {}
    for t in inst.teachers:
        per_day = 0
        for d in days:
            free = [b for b in inst.blocks if b.day == d and b.id not in t.unavailable]
            per_day += min(t.max_sessions_per_day, len(free))
        caps[t.id] = min(t.max_sessions_per_week, per_day)
    c = sum(caps.values())
    if c == 0:
        return {t: 0 for t in caps}
    mean = Fraction(sum(b.minutes for b in inst.blocks), len(inst.blocks))
    mods = {m.id: m for m in inst.modalities}
    d = Fraction(0)
    for lr in inst.learners:
        for g in lr.goals:
            if mods[g.modality].teacher_required:
                d += Fraction(g.minutes_per_week) / (mods[g.modality].target_size * mean)
    return {t: math.ceil(cap * min(Fraction(1), d / c)) for t, cap in caps.items()}


def ref_raw(inst: Instance, plan: Schedule, previous: Schedule | None) -> dict[str, int]:
    minutes = {b.id: b.minutes for b in inst.blocks}
    day = {b.id: b.day for b in inst.blocks}
    mods = {m.id: m for m in inst.modalities}
    learners = {lr.id: lr for lr in inst.learners}
    models = {m.id: m for m in inst.competency_models}
    prereqs = {
        (s.id, k.id): set(k.prerequisites) for s in inst.subjects for k in models[s.model].skills
    }
    sessions = [(s, sorted(set(s.learners))) for s in plan.sessions]

    def focus(lr_id: str, subject: str | None) -> set[str]:
        return {k for g in learners[lr_id].goals if g.subject == subject for k in g.focus}

    def mastered(lr_id: str, subject: str | None, skill: str) -> bool:
        return subject is not None and skill in learners[lr_id].mastery.get(subject, ())

    def ready(lr_id: str, subject: str | None, skill: str) -> bool:
        if (subject, skill) not in prereqs or mastered(lr_id, subject, skill):
            return False
        return all(mastered(lr_id, subject, p) for p in prereqs[(subject, skill)])

    raw = dict.fromkeys(TERMS, 0)
    for lr in inst.learners:
        for g in lr.goals:
            got = sum(
                minutes[s.block]
                for s, members in sessions
                if lr.id in members and s.modality == g.modality and s.subject == g.subject
            )
            raw["goal_shortfall"] += max(0, g.minutes_per_week - got)
    for s, members in sessions:
        m = mods[s.modality]
        raw["group_size"] += abs(len(members) - m.target_size)
        for lid in members:
            f = focus(lid, s.subject)
            if m.teacher_required and m.skill_focus and f and s.skill not in f:
                raw["off_focus"] += minutes[s.block]
            if m.mix == "same_skill" and s.skill is not None:
                if mastered(lid, s.subject, s.skill):
                    raw["review"] += 1
                elif not ready(lid, s.subject, s.skill):
                    raw["stretch"] += 1
        if m.mix == "diverse":
            for age in {learners[lid].age for lid in members}:
                same = sum(1 for lid in members if learners[lid].age == age)
                raw["age_mix"] += max(0, same - math.ceil(m.target_size / 2))
    for lr in inst.learners:
        for sub in inst.subjects:
            teachers = {
                s.teacher
                for s, members in sessions
                if lr.id in members and s.subject == sub.id and s.teacher is not None
            }
            raw["continuity"] += max(0, len(teachers) - 1)
            for d in {b.day for b in inst.blocks}:
                n = sum(
                    1
                    for s, members in sessions
                    if lr.id in members and s.subject == sub.id and day[s.block] == d
                )
                raw["variety"] += max(0, n - inst.policy.daily_subject_cap)
    fair = ref_fair(inst)
    for t in inst.teachers:
        led = sum(1 for s in plan.sessions if s.teacher == t.id)
        raw["load_balance"] += max(0, led - fair[t.id])
    if previous is not None:
        for lr in inst.learners:
            for b in inst.blocks:

                def keys(p: Schedule, lid: str = lr.id, bid: str = b.id) -> set[tuple[object, ...]]:
                    return {
                        (s.modality, s.subject, s.skill, s.teacher)
                        for s in p.sessions
                        if s.block == bid and lid in s.learners
                    }

                now, before = keys(plan), keys(previous)
                if now and before and now != before:
                    raw["stability"] += 1
    return raw


# --- random plans ---------------------------------------------------------------------------


def random_plan(inst: Instance, rng: np.random.Generator, tag: str) -> Schedule:
    ids = [lr.id for lr in inst.learners]
    skills = [k.id for m in inst.competency_models for k in m.skills]
    teachers = [t.id for t in inst.teachers]
    sessions = []
    for b in inst.blocks:
        for j in range(int(rng.integers(0, 5))):
            m = inst.modalities[int(rng.integers(len(inst.modalities)))]
            size = int(rng.integers(1, 7 if rng.random() < 0.6 else 30))
            members = [ids[int(i)] for i in rng.integers(0, len(ids), size)]  # repeats allowed
            subject = "math" if rng.random() < 0.7 else None
            skill = skills[int(rng.integers(len(skills)))] if rng.random() < 0.8 else None
            teacher = teachers[int(rng.integers(len(teachers)))] if rng.random() < 0.7 else None
            room = inst.rooms[int(rng.integers(len(inst.rooms)))].id
            sessions.append(
                Session(
                    id=f"{tag}-{b.id}-{j}",
                    block=b.id,
                    subject=subject,
                    skill=skill,
                    modality=m.id,
                    teacher=teacher,
                    room=room,
                    learners=tuple(members),
                )
            )
    return Schedule(instance=inst.name, status="feasible", sessions=tuple(sessions))


@pytest.fixture(scope="module")
def tiny() -> Instance:
    return load_instance(TINY)


@pytest.fixture(scope="module")
def tiny_small_community() -> Instance:
    """tiny.json with community sessions of target 3 (so ages can crowd) and a daily cap of 1."""
    data = json.loads(TINY.read_text(encoding="utf-8"))
    for m in data["modalities"]:
        if m["id"] == "community":
            m.update(min_size=2, target_size=3)
    data["policy"] = {"daily_subject_cap": 1, "weights": {"off_focus": 0.25, "age_mix": 7}}
    return parse_instance(data)


def test_fair_loads_agree_with_the_reference(tiny: Instance) -> None:
    from plsched.scoring import fair_loads

    assert fair_loads(tiny) == ref_fair(tiny)


@pytest.mark.parametrize("variant", ["tiny", "tiny_small_community"])
@pytest.mark.parametrize("seed", range(20))
def test_random_plans_agree_with_the_reference(
    request: pytest.FixtureRequest, variant: str, seed: int
) -> None:
    tiny: Instance = request.getfixturevalue(variant)
    rng = np.random.default_rng(seed)
    weights = scaled_weights(tiny.policy)
    seen: set[str] = set()
    for k in range(8):
        plan = random_plan(tiny, rng, f"n{k}")
        previous = random_plan(tiny, rng, f"p{k}") if k % 2 else None
        expected = ref_raw(tiny, plan, previous)
        result = score(tiny, plan, previous)
        assert result.raw == expected
        seen.update(t for t in TERMS if expected[t] > 0)
        assert result.scaled == sum(weights[t] * expected[t] for t in TERMS)
        assert Scorer(tiny, previous).score(plan) == result
        short = goal_shortfalls(tiny, plan)
        assert sum(m for *_, m in short) == expected["goal_shortfall"]
    if variant == "tiny_small_community":
        assert "age_mix" in seen
