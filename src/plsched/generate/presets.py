"""Named school sizes for the generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["PRESETS", "Preset"]


@dataclass(frozen=True)
class Preset:
    """The shape of one generated school.

    ``ranges`` are the level ranges of the math and literacy teachers; ``generalist_share`` is
    the share of them qualified in both subjects (1.0: every teacher teaches both, as in a small
    school). ``early_release`` shortens Wednesday to four blocks; ``short_last_block`` makes
    the last block of each day 45 minutes.
    """

    name: str
    learners: int
    ranges: tuple[tuple[int, int], ...] = ((0, 3), (2, 6), (5, 8))
    generalist_share: float = 0.25
    early_release: bool = False
    short_last_block: bool = False

    def __post_init__(self) -> None:
        if self.learners < 2:
            raise ValueError(f"preset {self.name!r}: a school needs at least 2 learners.")
        if not 0.0 <= self.generalist_share <= 1.0:
            raise ValueError(f"preset {self.name!r}: generalist_share must lie in [0, 1].")
        if not self.ranges or any(lo > hi for lo, hi in self.ranges):
            raise ValueError(f"preset {self.name!r}: level ranges must be (low, high) pairs.")


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "tiny": Preset("tiny", 30, ranges=((0, 4), (4, 8)), generalist_share=1.0),
        "small": Preset("small", 120, generalist_share=0.5, short_last_block=True),
        "school": Preset("school", 500, early_release=True),
        "large": Preset("large", 1000, early_release=True, short_last_block=True),
        "xl": Preset("xl", 2000),
    }
)
