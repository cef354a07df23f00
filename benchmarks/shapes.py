"""``python -m benchmarks.shapes OUT``: schools shaped unlike the presets, to try the solver on.

Issue 4 asks that a 1,200-learner school of another shape (three subjects, an early-release
day, part-time teachers, open studios) solve as ``large`` does. ``campus`` is one such preset;
these four vary what a school could: the early-release day, the subjects taught, the days of
the week, the share of part-time teachers, the studios' zones and seats, the goals' minutes
and the ages. Each is generated from its seed on the competency models in ``models/``, so the
same command writes the same files. Solve each with ``plsched solve FILE -o PLAN
--time-limit 60`` and check it with ``plsched check FILE PLAN``, or give the files to the
quality runner (``python -m benchmarks --instances OUT/*.json``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from plsched.generate.presets import Preset
from plsched.generate.school import generate_school, to_json

SHAPES: dict[str, Preset] = {
    # released early on Tuesday, hour-long goals beside long ones, many part-timers
    "tuesday-release": Preset(
        "tuesday-release",
        1200,
        ranges=((0, 3), (3, 6), (5, 8)),
        generalist_share=0.2,
        early_release=True,
        early_release_day="tue",
        ages=(6, 14),
        group_minutes=(60, 120, 150),
        part_time_share=0.4,
        classroom_share=0.2,
        studio_zones=(6, 8),
        studio_seats=(80, 120),
    ),
    # math and literacy only, a short Thursday, small studios, goals of 90 or 180 minutes
    "two-subjects": Preset(
        "two-subjects",
        1200,
        subjects=("math", "literacy"),
        early_release=True,
        short_last_block=True,
        short_day="thu",
        part_time_share=0.3,
        group_minutes=(90, 180),
        studio_zones=(3, 5),
        studio_seats=(50, 70),
    ),
    # a four-day week of younger learners with goals up to 210 minutes
    "four-day": Preset(
        "four-day",
        1200,
        days=4,
        early_release=True,
        part_time_share=0.25,
        group_minutes=(120, 150, 180, 210),
        ages=(5, 12),
    ),
    # 1,500 older learners, subject specialists, half of them part-time, in big studios
    "specialists": Preset(
        "specialists",
        1500,
        generalist_share=0.05,
        early_release=True,
        part_time_share=0.5,
        classroom_share=0.1,
        studio_zones=(10, 12),
        studio_seats=(120, 150),
        ages=(8, 14),
    ),
}


def write_shapes(out: Path, seed: int = 7) -> list[Path]:
    """Write every shape's instance file into ``out``; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, preset in SHAPES.items():
        doc = generate_school(preset, name, np.random.default_rng(seed))
        path = out / f"{name}.json"
        path.write_text(to_json(doc), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.shapes", description=__doc__)
    parser.add_argument("out", type=Path, help="Folder that receives one file per shape.")
    parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
    args = parser.parse_args(argv)
    for path in write_shapes(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
