"""Teachers: sized for the goals' demand with a margin, qualified by level range."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from plsched.generate.presets import Preset

__all__ = [
    "MARGIN",
    "Team",
    "cover_needs",
    "make_teachers",
    "teacher_sessions",
    "team_of",
    "teams_for",
]

MARGIN = 1.25  # teacher sessions available per session demanded at target size
_LAST_NAMES = (
    "Rivera", "Okafor", "Nguyen", "Schmidt", "Haddad", "Kowalski", "Tanaka", "Mensah",
    "Fischer", "Alvarez", "Brennan", "Dubois", "Ivanova", "Jensen", "Kaur", "Lindqvist",
    "Moreau", "Novak", "Oyelaran", "Petrov", "Quinn", "Rossi", "Sato", "Tremblay",
    "Usman", "Varga", "Whitfield", "Xu", "Yilmaz", "Zapata", "Abara", "Bianchi",
)  # fmt: skip
_TITLES = ("Ms.", "Mr.", "Mx.", "Dr.")
_TITLE_P = (0.5, 0.35, 0.1, 0.05)


@dataclass(frozen=True)
class Team:
    """Teachers who share qualifications: subjects taught over one level range."""

    subjects: tuple[str, ...]
    low: int
    high: int


def teacher_sessions(teacher: Mapping[str, Any], day_blocks: Mapping[str, Sequence[str]]) -> int:
    """Most sessions in a week: the daily cap over available blocks, then the weekly cap."""
    away = set(teacher["unavailable"])
    per_day = sum(
        min(teacher["max_sessions_per_day"], sum(1 for b in ids if b not in away))
        for ids in day_blocks.values()
    )
    return min(int(teacher["max_sessions_per_week"]), per_day)


def teams_for(preset: Preset, levels: Mapping[str, tuple[int, int]]) -> list[Team]:
    """Math/literacy teams per level range (one team for both when all are generalists)."""
    teams: list[Team] = []
    core = tuple(s for s in ("math", "literacy") if s in levels)
    if preset.generalist_share >= 1.0 and core:
        teams += [Team(core, lo, hi) for lo, hi in preset.ranges]
    else:
        for subject in core:
            teams += [Team((subject,), lo, hi) for lo, hi in preset.ranges]
    if "science" in levels:
        teams.append(Team(("science",), *levels["science"]))
    return teams


def team_of(teams: Sequence[Team], subject: str, level: int) -> Team:
    """The team whose range starts highest at or below the level (nearest when none covers)."""
    own = [t for t in teams if subject in t.subjects]
    covering = [t for t in own if t.low <= level <= t.high]
    if covering:
        return max(covering, key=lambda t: t.low)
    return min(own, key=lambda t: min(abs(t.low - level), abs(t.high - level)))


def _new_teacher(
    index: int,
    team: Team,
    preset: Preset,
    day_blocks: Mapping[str, Sequence[str]],
    rng: np.random.Generator,
) -> dict[str, Any]:
    quals = [{"subject": s, "min_level": team.low, "max_level": team.high} for s in team.subjects]
    if team.subjects in (("math",), ("literacy",)):
        other = "literacy" if team.subjects == ("math",) else "math"
        if other in preset.subjects and rng.random() < preset.generalist_share:
            quals.append({"subject": other, "min_level": team.low, "max_level": team.high})
    modalities = ["small_group"]
    if "science" in team.subjects or rng.random() < 0.15:
        modalities.append("workshop")
    for extra in ("conference", "community"):
        if rng.random() < 0.5:
            modalities.append(extra)
    tags = [tag for tag, p in (("ell", 0.15), ("sped", 0.10)) if rng.random() < p]
    days = list(day_blocks)
    # part-time: whole days away (never all), a lower weekly cap
    if rng.random() < preset.part_time_share:
        away_days = min(int(rng.integers(1, 3)), len(days) - 1)
        off = rng.choice(len(days), size=away_days, replace=False)
        unavailable = [b for j in sorted(off.tolist()) for b in day_blocks[days[j]]]
        per_day, per_week = 4, int(rng.integers(10, 15))
    else:
        all_blocks = [b for ids in day_blocks.values() for b in ids]
        unavailable = []
        if rng.random() < 0.1:  # a meeting or two
            picks = rng.choice(len(all_blocks), size=int(rng.integers(1, 3)), replace=False)
            unavailable = [all_blocks[j] for j in sorted(picks.tolist())]
        per_day, per_week = int(rng.integers(4, 6)), int(rng.integers(18, 25))
    name = f"{rng.choice(_TITLES, p=_TITLE_P)} {_LAST_NAMES[int(rng.integers(len(_LAST_NAMES)))]}"
    return {
        "id": f"t{index:03d}",
        "name": name,
        "qualifications": quals,
        "modalities": modalities,
        "tags": tags,
        "unavailable": unavailable,
        "max_sessions_per_day": per_day,
        "max_sessions_per_week": per_week,
    }


def make_teachers(
    preset: Preset,
    teams: Sequence[Team],
    need: Mapping[Team, float],
    general_need: Mapping[str, float],
    day_blocks: Mapping[str, Sequence[str]],
    rng: np.random.Generator,
    offered: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Teachers per team until each team leads ``MARGIN`` times its sessions at target size.

    ``need`` holds each team's skill-focus sessions a week at target size, ``general_need``
    the sessions of each subject-free modality (community, conference); those are spread over
    the teams in proportion to their need and led by whoever leads the modality. ``offered``
    (default: all) are the modalities of the school; a teacher leads only those.
    """
    total = sum(need.values()) or 1.0
    teachers: list[dict[str, Any]] = []
    for team in teams:
        share = need.get(team, 0.0) / total
        required = MARGIN * (need.get(team, 0.0) + share * sum(general_need.values()))
        supplied = 0
        while supplied < required or supplied == 0:
            t = _new_teacher(len(teachers) + 1, team, preset, day_blocks, rng)
            teachers.append(t)
            supplied += teacher_sessions(t, day_blocks)
    # Every subject-free modality needs enough leaders for its own demand.
    for modality, sessions in general_need.items():
        order = rng.permutation(len(teachers)).tolist()
        pool = sum(teacher_sessions(t, day_blocks) for t in teachers if modality in t["modalities"])
        for j in order:
            if pool >= 2 * MARGIN * sessions and pool > 0:
                break
            if modality not in teachers[j]["modalities"]:
                teachers[j]["modalities"].append(modality)
                pool += teacher_sessions(teachers[j], day_blocks)
    for t in teachers:  # only the school's modalities, in one canonical order
        if offered is not None:
            t["modalities"] = [m for m in t["modalities"] if m in offered]
        t["modalities"].sort(key=("small_group", "workshop", "conference", "community").index)
    return teachers


def cover_needs(
    teachers: list[dict[str, Any]],
    learners: Sequence[Mapping[str, Any]],
    levels: Mapping[str, Mapping[str, int]],
    rng: np.random.Generator,
) -> None:
    """Give a needed tag to a fitting teacher for every teacher-led goal of a learner with needs.

    A teacher fits a goal when they lead its modality and, for a subject, hold a qualification
    covering the learner's lowest ready level.
    """
    for learner in learners:
        tags = learner["needs"]["teacher"]
        if not tags:
            continue
        for goal in learner["goals"]:
            subject = goal["subject"]
            fitting = [
                t
                for t in teachers
                if goal["modality"] in t["modalities"]
                and (
                    subject is None
                    or any(
                        q["subject"] == subject
                        and q["min_level"] <= levels[learner["id"]][subject] <= q["max_level"]
                        for q in t["qualifications"]
                    )
                )
            ]
            if not fitting or any(set(tags) <= set(t["tags"]) for t in fitting):
                continue
            chosen = fitting[int(rng.integers(len(fitting)))]
            chosen["tags"] = chosen["tags"] + [tag for tag in tags if tag not in chosen["tags"]]
