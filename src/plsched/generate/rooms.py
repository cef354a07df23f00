"""Rooms: labs, quiet rooms, classrooms and open studios with zones, sized per block."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["make_rooms"]

SEAT_MARGIN = 1.2  # seats per learner present in the busiest block


def _closed(block_ids: Sequence[str], rng: np.random.Generator) -> list[str]:
    """A few blocks when about one room in ten is closed (maintenance, assemblies)."""
    if rng.random() >= 0.1:
        return []
    size = min(int(rng.integers(1, 5)), len(block_ids) - 1)  # never closed all the time
    if size <= 0:
        return []
    picks = rng.choice(len(block_ids), size=size, replace=False)
    return [block_ids[j] for j in sorted(picks.tolist())]


def make_rooms(
    learners_per_block: Sequence[int],
    teachers: int,
    lab_sessions: float,
    block_ids: Sequence[str],
    rng: np.random.Generator,
    *,
    classroom_share: float = 0.3,
    studio_zones: tuple[int, int] = (4, 6),
    studio_seats: tuple[int, int] = (60, 90),
) -> list[dict[str, Any]]:
    """Enough seats and zones in every block for all learners present.

    Zones cover most teachers leading a session at once plus independent sessions of 30 for
    everyone; labs host the hands-on science workshops (``lab_sessions`` a week at target
    size) two at a time; a school without them has no lab. There are ``classroom_share``
    classrooms per teacher, then open studios of ``studio_zones`` zones and ``studio_seats``
    seats (in tens; both ``(low, high)``) until seats and zones suffice.
    """
    busiest = max(learners_per_block, default=0)
    rooms: list[dict[str, Any]] = []
    labs = max(1, math.ceil(1.3 * lab_sessions / (2 * len(block_ids)))) if lab_sessions else 0
    for k in range(1, labs + 1):
        rooms.append(_room(f"lab-{k}", 32, ["lab"], 2, []))
    for k in range(1, max(1, round(busiest / 250)) + 1):
        rooms.append(_room(f"quiet-{k}", int(rng.integers(12, 17)), ["quiet"], 1, []))
    for k in range(1, max(1, round(classroom_share * teachers)) + 1):
        capacity = int(rng.integers(20, 29))
        zones = int(rng.integers(1, 3))
        rooms.append(_room(f"room-{100 + k}", capacity, [], zones, _closed(block_ids, rng)))

    seats_needed = [math.ceil(SEAT_MARGIN * n) + 5 for n in learners_per_block]
    zones_needed = math.ceil(0.7 * teachers) + math.ceil(busiest / 30) + 2
    studios = 0
    while True:
        seats = [sum(r["capacity"] for r in rooms if b not in r["unavailable"]) for b in block_ids]
        open_zones = [
            sum(r["zones"] for r in rooms if b not in r["unavailable"]) for b in block_ids
        ]
        if all(s >= n for s, n in zip(seats, seats_needed, strict=True)) and (
            min(open_zones) >= zones_needed
        ):
            return rooms
        studios += 1
        capacity = int(rng.integers(studio_seats[0] // 10, studio_seats[1] // 10 + 1)) * 10
        zones_here = int(rng.integers(studio_zones[0], studio_zones[1] + 1))
        rooms.append(_room(f"studio-{studios}", capacity, [], zones_here, _closed(block_ids, rng)))


def _room(
    rid: str, capacity: int, features: list[str], zones: int, unavailable: list[str]
) -> dict[str, Any]:
    return {
        "id": rid,
        "capacity": capacity,
        "features": features,
        "zones": zones,
        "unavailable": unavailable,
    }
