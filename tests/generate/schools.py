"""Generated schools, built once per test session (generation and parsing take seconds)."""

from __future__ import annotations

import functools
from typing import Any

from plsched import Instance, parse_instance
from plsched.generate import generate, generate_district

FEASIBLE_PRESETS = ("tiny", "small", "school", "large", "campus")


@functools.cache
def generated(preset: str, seed: int = 1) -> dict[str, Any]:
    """The instance document of a preset and seed (shared: do not mutate)."""
    return generate(preset, seed)


@functools.cache
def district(seed: int = 1) -> dict[str, dict[str, Any]]:
    """The district of a seed (shared: do not mutate)."""
    return generate_district(seed)


@functools.cache
def parsed(preset: str, seed: int = 1) -> Instance:
    return parse_instance(generated(preset, seed))
