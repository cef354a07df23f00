"""``python -m benchmarks``: the quality runner (see README.md in this folder)."""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.quality import ROOT, run_instance, write_results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="plsched against its baselines: a results table per instance.",
    )
    parser.add_argument(
        "--instances",
        nargs="+",
        default=["school", "large", "xl"],
        help="Preset names (tiny, small, school, large; xl is generated) or instance files.",
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="Seconds per solve.")
    parser.add_argument("--seed", type=int, default=0, help="Seed of every method.")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results", help="Output folder."
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="No progress lines.")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(message)s",
        datefmt="%H:%M:%S",
    )
    command = "python -m benchmarks " + shlex.join(
        ["--instances", *args.instances, "--time-limit", f"{args.time_limit:g}"]
        + (["--seed", str(args.seed)] if args.seed else [])
    )
    rows = []
    for name in args.instances:
        rows += run_instance(name, args.time_limit, args.seed)
        # rewrite after every instance, so a long run leaves what it has measured
        md, csv_path = write_results(
            rows, args.out, time_limit=args.time_limit, seed=args.seed, command=command
        )
    if not args.quiet:
        print(md.read_text(encoding="utf-8"))
        print(f"wrote {md} and {csv_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
