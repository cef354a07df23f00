"""Learners: ages and bands, mastery around the grade level, goals, needs, avoid pairs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from plsched.generate.curriculum import Curriculum
from plsched.generate.presets import Preset

__all__ = ["BANDS", "band_of", "make_learners"]

BANDS = (("K-2", 5, 7), ("3-5", 8, 10), ("6-8", 11, 14))
_LEVEL_NOISE = (-2, -1, 0, 1, 2)
_LEVEL_NOISE_P = np.cumsum((0.05, 0.20, 0.50, 0.20, 0.05))
_FOCUS_COUNT_P = np.cumsum((0.4, 0.4, 0.2))  # 1, 2 or 3 focus skills


def band_of(age: int) -> str:
    for band, low, high in BANDS:
        if low <= age <= high:
            return band
    raise ValueError(f"age {age} lies in no band")


def _focus(frontier: Sequence[str], rng: np.random.Generator) -> list[str]:
    """1-3 skills near the start of the frontier (lowest level), so that peers share them."""
    count = min(len(frontier), _draw(_FOCUS_COUNT_P, rng) + 1)
    window = list(frontier[: count + 1])
    picked = sorted(rng.permutation(len(window))[:count].tolist())
    return [window[j] for j in picked]


def _draw(cumulative: np.ndarray, rng: np.random.Generator) -> int:
    """An index drawn with the given cumulative probabilities."""
    return min(int(np.searchsorted(cumulative, rng.random(), side="right")), len(cumulative) - 1)


def _levels(
    grade: int, curricula: Sequence[Curriculum], rng: np.random.Generator
) -> dict[str, tuple[int, int]]:
    """Per subject: (level, steps done at that level), with a non-empty frontier."""
    out = {}
    for cur in curricula:
        noise = _LEVEL_NOISE[_draw(_LEVEL_NOISE_P, rng)]
        lvl = min(max(grade + noise, cur.min_level), cur.max_level)
        steps = len(cur.steps(lvl))
        done = int(rng.uniform(0.0, 0.85) * steps)
        while done > 0 and not cur.frontier(lvl, done):
            done -= 1
        out[cur.subject] = (lvl, done)
    return out


def make_learners(
    preset: Preset,
    curricula: Sequence[Curriculum],
    block_ids: Sequence[str],
    rng: np.random.Generator,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]]]:
    """The learners, and the level of each one's lowest ready skill per subject."""
    count = preset.learners
    width = max(3, len(str(count)))
    learners: list[dict[str, Any]] = []
    levels: dict[str, dict[str, int]] = {}
    ages = rng.integers(preset.ages[0], preset.ages[1] + 1, size=count)
    for i in range(count):
        lid = f"l{i + 1:0{width}d}"
        age = int(ages[i])
        lv = _levels(min(age - 5, 8), curricula, rng)
        mastery = {cur.subject: cur.mastered(*lv[cur.subject]) for cur in curricula}
        frontier = {cur.subject: cur.frontier(*lv[cur.subject]) for cur in curricula}
        levels[lid] = {
            cur.subject: math.floor(cur.level[frontier[cur.subject][0]]) for cur in curricula
        }

        needs_teacher = []
        if rng.random() < 0.03:
            needs_teacher.append("ell")
        if rng.random() < 0.01:
            needs_teacher.append("sped")
        needs_room = ["quiet"] if rng.random() < 0.02 else []
        max_group = 4 if rng.random() < 0.02 else None
        small_only = bool(needs_room) or max_group is not None

        goals: list[dict[str, Any]] = []
        for subject in ("math", "literacy"):
            if subject in frontier:
                goals.append(
                    {
                        "subject": subject,
                        "modality": "small_group",
                        "minutes_per_week": preset.group_minutes[
                            int(rng.integers(len(preset.group_minutes)))
                        ],
                        "focus": _focus(frontier[subject], rng),
                    }
                )
        if "science" in frontier:
            goals.append(
                {
                    "subject": "science",
                    "modality": "small_group" if small_only else "workshop",
                    "minutes_per_week": 60,
                    "focus": _focus(frontier["science"], rng),
                }
            )
        if max_group is None:
            goals.append(
                {"subject": None, "modality": "community", "minutes_per_week": 60, "focus": []}
            )
        if preset.conferences and rng.random() < 0.2:
            goals.append(
                {"subject": None, "modality": "conference", "minutes_per_week": 30, "focus": []}
            )

        unavailable: list[str] = []
        if rng.random() < 0.05:
            # away a few blocks, never so many that the goals no longer fit the time left
            goal_blocks = -(-sum(int(g["minutes_per_week"]) for g in goals) // 60)
            size = min(int(rng.integers(1, 4)), len(block_ids) - goal_blocks)
            if size > 0:
                picks = rng.choice(len(block_ids), size=size, replace=False)
                unavailable = [block_ids[j] for j in sorted(picks.tolist())]

        learners.append(
            {
                "id": lid,
                "age": age,
                "band": band_of(age),
                "mastery": mastery,
                "goals": goals,
                "unavailable": unavailable,
                "max_group_size": max_group,
                "needs": {"teacher": needs_teacher, "room": needs_room},
                "avoid": [],
            }
        )
    _avoid_pairs(learners, rng)
    return learners, levels


def _avoid_pairs(learners: list[dict[str, Any]], rng: np.random.Generator) -> None:
    """About 1 % of learners avoid one peer of their band; pairs are symmetric."""
    pairs = max(1, round(0.005 * len(learners)))
    taken: set[int] = set()
    for _ in range(pairs):
        a = int(rng.integers(len(learners)))
        peers = [
            j
            for j, other in enumerate(learners)
            if j != a and j not in taken and other["band"] == learners[a]["band"]
        ]
        if a in taken or not peers:
            continue
        b = peers[int(rng.integers(len(peers)))]
        taken.update((a, b))
        learners[a]["avoid"].append(learners[b]["id"])
        learners[b]["avoid"].append(learners[a]["id"])
