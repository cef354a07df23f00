"""``python -m benchmarks.shapes OUT``: schools shaped unlike the presets, to try the solver on.

Issue 4 asks that a 1,200-learner school of another shape (three subjects, an early-release
day, part-time teachers, open studios) solve as ``large`` does. ``campus`` is one such preset;
these four vary what a school could: the early-release day, the subjects taught, the days of
the week, the share of part-time teachers, the studios' zones and seats, the goals' minutes
and the ages. Each is generated from its seed on the competency models in ``models/``, so the
same command writes the same files. Solve each with ``plsched solve FILE -o PLAN
--time-limit 60`` and check it with ``plsched check FILE PLAN``, or give the files to the
quality runner (``python -m benchmarks --instances OUT/*.json``). ``--random N`` writes N
schools of shapes drawn at random instead (:func:`random_shape`), to look for what breaks.
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


def random_shape(rng: np.random.Generator, name: str) -> Preset:
    """A school of 1,000-1,400 learners whose every choice is drawn from ``rng``: the subjects,
    four or five days of four to six blocks, an early-release day, short last blocks or a
    short day, the ages, the goals' minutes, the share of generalists and of part-time
    teachers, the classrooms and the studios' zones and seats. Shapes drawn this way found a
    studio overfilled by the local search and bounds that ran past the time limit."""
    subjects = (
        ("math", "literacy", "science"),
        ("math", "literacy"),
        ("math",),
        ("literacy", "science"),
        ("math", "science"),
    )[int(rng.integers(5))]
    days = int(rng.choice([4, 5, 5, 5]))
    week = ("mon", "tue", "wed", "thu", "fri")[:days]
    youngest = int(rng.integers(5, 10))
    oldest = int(rng.integers(max(youngest + 2, 10), 15))
    minutes = rng.choice([60, 90, 120, 150, 180, 210], size=int(rng.integers(1, 4)), replace=False)
    zones, seats = int(rng.integers(2, 10)), 10 * int(rng.integers(4, 12))
    return Preset(
        name,
        int(rng.integers(1000, 1400)),
        generalist_share=float(rng.uniform(0.0, 0.6)),
        early_release=bool(rng.integers(2)),
        early_release_day=str(rng.choice(week)),
        short_last_block=bool(rng.integers(2)),
        short_day=str(rng.choice(week)) if rng.random() < 0.3 else None,
        days=days,
        blocks_per_day=int(rng.choice([4, 5, 6])),
        subjects=subjects,
        ages=(youngest, oldest),
        group_minutes=tuple(sorted(int(m) for m in minutes)),
        part_time_share=float(rng.uniform(0.0, 0.6)),
        classroom_share=float(rng.uniform(0.1, 0.5)),
        studio_zones=(zones, zones + int(rng.integers(0, 4))),
        studio_seats=(seats, seats + 10 * int(rng.integers(0, 6))),
        conferences=bool(rng.integers(2)),
    )


def write_random(out: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` schools of :func:`random_shape` (``random-0.json``, ...) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        preset = random_shape(rng, f"random-{i}")
        doc = generate_school(preset, preset.name, np.random.default_rng(i))
        path = out / f"{preset.name}.json"
        path.write_text(to_json(doc), encoding="utf-8")
        paths.append(path)
    return paths


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
    parser.add_argument(
        "--random",
        type=int,
        default=0,
        metavar="N",
        help="Write N schools of random shapes (random-0.json, ...) instead of the four above.",
    )
    args = parser.parse_args(argv)
    if args.random < 0:
        parser.error(f"--random must be 0 or more, got {args.random}.")
    paths = write_random(args.out, args.random, args.seed) if args.random else None
    for path in paths or write_shapes(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
