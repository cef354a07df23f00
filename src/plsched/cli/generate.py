"""``plsched generate --preset NAME --seed N -o PATH``: write a seeded school instance."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from plsched.errors import InputError
from plsched.generate import PRESETS, generate, generate_district, to_json
from plsched.io import write_json_atomic

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "generate",
        help="Write a seeded, realistic school instance.",
        description=(
            "Generate a school on the competency models in models/: the same preset and seed "
            "give the same bytes. With --preset district, PATH is a folder that receives one "
            "file per school."
        ),
    )
    parser.add_argument(
        "--preset", required=True, choices=[*PRESETS, "district"], help="School size."
    )
    parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
    parser.add_argument(
        "-o", "--output", required=True, metavar="PATH", help="Instance file, or district folder."
    )
    parser.set_defaults(func=run)


def _write(path: Path, instance: dict[str, Any]) -> None:
    write_json_atomic(path, to_json(instance))
    print(
        f"{path}: {len(instance['learners'])} learners, {len(instance['teachers'])} teachers, "
        f"{len(instance['rooms'])} rooms"
    )


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}.")
    if args.preset != "district":
        if out.is_dir():
            raise InputError(f"output {str(out)!r} is a folder; give a file path.")
        _write(out, generate(args.preset, args.seed))
        return 0
    if out.exists() and not out.is_dir():
        raise InputError(f"output {str(out)!r} is a file; --preset district needs a folder.")
    out.mkdir(parents=True, exist_ok=True)
    for name, instance in generate_district(args.seed).items():
        _write(out / f"{name}.json", instance)
    return 0
