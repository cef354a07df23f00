"""The weekly time grid of a generated school."""

from __future__ import annotations

from typing import Any

from plsched.generate.presets import Preset

__all__ = ["DAYS", "make_blocks"]

DAYS = ("mon", "tue", "wed", "thu", "fri")
_FIRST_START = 8 * 60 + 30
_PASSING = 10
_LUNCH = 40


def make_blocks(preset: Preset) -> list[dict[str, Any]]:
    """The preset's days (Monday on) of its blocks (60 minutes, lunch after the third); ids
    like ``mon-1``. By default five days of six blocks; an early-release day has four, a
    short day 45-minute blocks."""
    blocks = []
    for day in DAYS[: preset.days]:
        count = preset.blocks_per_day
        if preset.early_release and day == preset.early_release_day:
            count = min(count, 4)
        start = _FIRST_START
        for k in range(1, count + 1):
            short = day == preset.short_day or (preset.short_last_block and k == count)
            minutes = 45 if short else 60
            blocks.append(
                {
                    "id": f"{day}-{k}",
                    "day": day,
                    "start": f"{start // 60:02d}:{start % 60:02d}",
                    "minutes": minutes,
                }
            )
            start += minutes + (_LUNCH if k == 3 else _PASSING)
    return blocks


def day_blocks(blocks: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Block ids per day, in order."""
    out: dict[str, list[str]] = {}
    for b in blocks:
        out.setdefault(b["day"], []).append(b["id"])
    return out
