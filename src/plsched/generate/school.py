"""One generated school, a district of them, and their deterministic JSON text."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from typing import Any

import numpy as np

from plsched.generate.calendar import day_blocks, make_blocks
from plsched.generate.curriculum import Curriculum, load_curriculum
from plsched.generate.learners import make_learners
from plsched.generate.presets import PRESETS, Preset
from plsched.generate.rooms import make_rooms
from plsched.generate.staff import Team, cover_needs, make_teachers, team_of, teams_for
from plsched.schema.instance import INSTANCE_FORMAT

__all__ = ["MODALITIES", "SUBJECTS", "generate", "generate_district", "generate_school", "to_json"]

logger = logging.getLogger(__name__)

SUBJECTS: tuple[dict[str, Any], ...] = (
    {"id": "math", "model": "ccss-math-k8", "room_features": []},
    {"id": "literacy", "model": "literacy-k8", "room_features": []},
    {"id": "science", "model": "science-k8", "room_features": []},
)


def _modality(
    mid: str,
    teacher: bool,
    sizes: tuple[int, int, int],
    skill_focus: bool,
    mix: str,
    features: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "id": mid,
        "teacher_required": teacher,
        "min_size": sizes[0],
        "max_size": sizes[1],
        "target_size": sizes[2],
        "skill_focus": skill_focus,
        "mix": mix,
        "room_features": list(features),
    }


# Hands-on science happens in workshops, which need a lab.
MODALITIES: tuple[dict[str, Any], ...] = (
    _modality("small_group", True, (3, 8, 5), True, "same_skill"),
    _modality("workshop", True, (6, 16, 12), True, "any", ("lab",)),
    _modality("conference", True, (1, 2, 1), False, "any"),
    _modality("community", True, (8, 24, 16), False, "diverse"),
    _modality("independent", False, (1, 30, 12), False, "any"),
)

_SCHOOL_NAMES = (
    "alder", "birch", "cedar", "dogwood", "elm", "fir", "ginkgo", "hazel", "juniper",
    "larch", "maple", "oak", "pine", "rowan", "spruce", "willow",
)  # fmt: skip


def generate(preset: str, seed: int) -> dict[str, Any]:
    """A JSON-ready ``plsched/instance@1`` document for a named preset (see ``PRESETS``)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}.")
    return generate_school(PRESETS[preset], f"{preset}-seed{seed}", np.random.default_rng(seed))


def generate_district(seed: int) -> dict[str, dict[str, Any]]:
    """Eight schools of 120 to 1,000 learners, keyed by their (unique) names."""
    rng = np.random.default_rng(seed)
    count = 8
    sizes = np.clip(np.linspace(120, 1000, count) + rng.integers(-60, 61, size=count), 120, 1000)
    sizes = sizes[rng.permutation(count)]
    names = rng.choice(len(_SCHOOL_NAMES), size=count, replace=False)
    streams = np.random.SeedSequence(seed).spawn(count)
    curricula = load_curricula()
    out: dict[str, dict[str, Any]] = {}
    for k in range(count):
        learners = int(sizes[k])
        spec = Preset(
            name=_SCHOOL_NAMES[int(names[k])],
            learners=learners,
            ranges=((0, 4), (4, 8)) if learners < 200 else ((0, 3), (2, 6), (5, 8)),
            generalist_share=1.0 if learners < 200 else float(rng.choice((0.25, 0.5))),
            early_release=bool(rng.random() < 0.5),
            short_last_block=bool(rng.random() < 0.5),
        )
        name = f"district{seed}-{spec.name}"
        out[name] = generate_school(spec, name, np.random.default_rng(streams[k]), curricula)
    return out


def load_curricula() -> list[Curriculum]:
    """The competency models of ``SUBJECTS``, loaded by id from the models folders."""
    return [load_curriculum(s["id"], s["model"]) for s in SUBJECTS]


def generate_school(
    preset: Preset,
    name: str,
    rng: np.random.Generator,
    curricula: list[Curriculum] | None = None,
) -> dict[str, Any]:
    """Build one school from a preset, drawing every random choice from ``rng``.

    ``curricula`` (from :func:`load_curricula`) saves reloading the models for many schools.
    """
    if curricula is None:
        curricula = load_curricula()
    curricula = [c for c in curricula if c.subject in preset.subjects]
    subjects = [s for s in SUBJECTS if s["id"] in preset.subjects]
    offered = [m for m in MODALITIES if _offered(preset, m["id"])]
    blocks = make_blocks(preset)
    block_ids = [b["id"] for b in blocks]
    days = day_blocks(blocks)
    learners, levels = make_learners(preset, curricula, block_ids, rng)

    modalities = {m["id"]: m for m in MODALITIES}
    minutes = [b["minutes"] for b in blocks]
    mean_minutes, shortest = float(np.mean(minutes)), min(minutes)
    teams = teams_for(preset, _level_span(curricula))
    need: dict[Team, float] = defaultdict(float)
    general: dict[str, float] = defaultdict(float)
    lab_sessions = 0.0
    for learner in learners:
        for g in learner["goals"]:
            m = modalities[g["modality"]]
            sessions = max(g["minutes_per_week"], shortest) / (m["target_size"] * mean_minutes)
            if g["subject"] is None:
                general[m["id"]] += sessions
            else:
                need[team_of(teams, g["subject"], levels[learner["id"]][g["subject"]])] += sessions
            if m["room_features"]:
                lab_sessions += sessions
    teachers = make_teachers(
        preset, teams, need, general, days, rng, offered=[m["id"] for m in offered]
    )
    cover_needs(teachers, learners, levels, rng)
    present = [sum(1 for le in learners if b not in le["unavailable"]) for b in block_ids]
    rooms = make_rooms(
        present,
        len(teachers),
        lab_sessions,
        block_ids,
        rng,
        classroom_share=preset.classroom_share,
        studio_zones=preset.studio_zones,
        studio_seats=preset.studio_seats,
    )
    logger.info(
        "generated %s: %d learners, %d teachers, %d rooms",
        name,
        len(learners),
        len(teachers),
        len(rooms),
    )
    return {
        "format": INSTANCE_FORMAT,
        "name": name,
        "blocks": blocks,
        "competency_models": [],
        "subjects": [dict(s, room_features=list(s["room_features"])) for s in subjects],
        "modalities": [dict(m, room_features=list(m["room_features"])) for m in offered],
        "rooms": rooms,
        "teachers": teachers,
        "learners": learners,
        "policy": {},
    }


def _offered(preset: Preset, modality: str) -> bool:
    """Workshops are hands-on science; conferences only where the preset has them."""
    if modality == "workshop":
        return "science" in preset.subjects
    if modality == "conference":
        return preset.conferences
    return True


def _level_span(curricula: list[Curriculum]) -> dict[str, tuple[int, int]]:
    return {c.subject: (c.min_level, c.max_level) for c in curricula}


def to_json(instance: dict[str, Any]) -> str:
    """The file text: two-space indented JSON and a final newline (same dict, same bytes)."""
    return json.dumps(instance, indent=2, ensure_ascii=False) + "\n"
