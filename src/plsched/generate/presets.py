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
    school). ``early_release`` shortens ``early_release_day`` (Wednesday by default) to four
    blocks; ``short_last_block`` makes the last block of each day 45 minutes, ``short_day``
    (none by default) every block of that day. ``days`` and ``blocks_per_day`` set the plan's
    horizon (a week by default, one morning for ``tiny``), ``subjects`` the subjects taught,
    ``ages`` the youngest and oldest learner, ``group_minutes`` the small-group goal minutes a
    learner may have per subject over the horizon, and ``conferences`` whether some learners
    have a conference goal. ``part_time_share`` is the share of teachers who work part-time
    (whole days away, a lower weekly cap); ``classroom_share`` the classrooms per teacher;
    ``studio_zones`` and ``studio_seats`` the (smallest, largest) zones and seats of an open
    studio (seats in tens), studios being added until every block has seats and zones enough.

    The presets: ``tiny`` (20 learners, one morning of math, provably optimal), ``small``
    (120), ``school`` (500, early-release Wednesday), ``large`` (1,000, early-release
    Wednesday, 45-minute last blocks), ``xl`` (2,000), and ``campus`` (1,200), shaped unlike
    ``large``: ages 9-14 (bands ``3-5`` and ``6-8`` only), subject specialists over levels
    2-5, 4-7 and 6-8 (one in ten also teaches the other core subject), Monday in 45-minute
    blocks and an early-release Friday of four, 35 % part-time teachers, half the classrooms
    of the others and big open studios (90-150 seats, 8-10 zones).
    """

    name: str
    learners: int
    ranges: tuple[tuple[int, int], ...] = ((0, 3), (2, 6), (5, 8))
    generalist_share: float = 0.25
    early_release: bool = False
    short_last_block: bool = False
    days: int = 5
    blocks_per_day: int = 6
    subjects: tuple[str, ...] = ("math", "literacy", "science")
    ages: tuple[int, int] = (5, 14)
    group_minutes: tuple[int, ...] = (120, 150, 180)
    conferences: bool = True
    early_release_day: str = "wed"
    short_day: str | None = None
    part_time_share: float = 0.15
    classroom_share: float = 0.3
    studio_zones: tuple[int, int] = (4, 6)
    studio_seats: tuple[int, int] = (60, 90)

    def __post_init__(self) -> None:
        if self.learners < 2:
            raise ValueError(f"preset {self.name!r}: a school needs at least 2 learners.")
        if not 0.0 <= self.generalist_share <= 1.0:
            raise ValueError(f"preset {self.name!r}: generalist_share must lie in [0, 1].")
        if not self.ranges or any(lo > hi for lo, hi in self.ranges):
            raise ValueError(f"preset {self.name!r}: level ranges must be (low, high) pairs.")
        if not 1 <= self.days <= 5 or not 1 <= self.blocks_per_day <= 6:
            raise ValueError(f"preset {self.name!r}: 1-5 days of 1-6 blocks.")
        if not self.subjects or not set(self.subjects) <= {"math", "literacy", "science"}:
            raise ValueError(f"preset {self.name!r}: subjects come from math, literacy, science.")
        if not 5 <= self.ages[0] <= self.ages[1] <= 14:
            raise ValueError(f"preset {self.name!r}: ages must lie within 5-14.")
        if not self.group_minutes or min(self.group_minutes) <= 0:
            raise ValueError(f"preset {self.name!r}: group_minutes must be positive.")
        week = ("mon", "tue", "wed", "thu", "fri")
        if self.early_release_day not in week or self.short_day not in (*week, None):
            raise ValueError(f"preset {self.name!r}: days are mon, tue, wed, thu or fri.")
        if not 0.0 <= self.part_time_share <= 1.0 or not 0.0 <= self.classroom_share <= 1.0:
            raise ValueError(
                f"preset {self.name!r}: part_time_share and classroom_share must lie in [0, 1]."
            )
        if not 1 <= self.studio_zones[0] <= self.studio_zones[1]:
            raise ValueError(f"preset {self.name!r}: studio_zones must be 1 <= low <= high.")
        low, high = self.studio_seats
        if not 10 <= low <= high or low % 10 or high % 10:
            raise ValueError(f"preset {self.name!r}: studio_seats must be tens, 10 <= low <= high.")


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        # Two short days of math for the youngest two bands: small enough to prove optimal.
        "tiny": Preset(
            "tiny",
            20,
            ranges=((0, 2), (2, 5)),
            generalist_share=1.0,
            days=1,
            blocks_per_day=3,
            subjects=("math",),
            ages=(5, 8),
            group_minutes=(60,),
            conferences=False,
        ),
        "small": Preset("small", 120, generalist_share=0.5, short_last_block=True),
        "school": Preset("school", 500, early_release=True),
        "large": Preset("large", 1000, early_release=True, short_last_block=True),
        "xl": Preset("xl", 2000),
        # A middle-school-heavy campus of subject specialists, many part-time, in big studios.
        "campus": Preset(
            "campus",
            1200,
            ranges=((2, 5), (4, 7), (6, 8)),
            generalist_share=0.1,
            early_release=True,
            early_release_day="fri",
            short_day="mon",
            ages=(9, 14),
            group_minutes=(90, 120, 180),
            part_time_share=0.35,
            classroom_share=0.15,
            studio_zones=(8, 10),
            studio_seats=(90, 150),
        ),
    }
)
