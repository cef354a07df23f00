"""``plsched bench ...``: the quality runner of a source checkout (``python -m benchmarks``).

The benchmarks live beside ``src/`` in the repository, not in the installed package, so this
works from an editable install or a checkout only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from plsched.errors import InputError

__all__ = ["register", "run"]


def _checkout() -> Path:
    root = Path(__file__).resolve().parents[3]
    if not (root / "benchmarks" / "quality.py").is_file():
        raise InputError(
            "plsched bench needs a source checkout with benchmarks/; this plsched is installed "
            f"from {root}, which has none."
        )
    return root


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="Run the quality benchmark against the baselines (source checkout only).",
        description=(
            "plsched against grade-based classes, the greedy construction and the monolithic "
            "CP-SAT model; writes results.md and results.csv. Options as python -m benchmarks."
        ),
    )
    parser.add_argument("--instances", nargs="+", default=["school", "large", "xl"])
    parser.add_argument("--time-limit", type=float, default=60.0, help="Seconds per solve.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="Output folder (default benchmarks/results).")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = _checkout()
    cmd = [sys.executable, "-m", "benchmarks", "--instances", *args.instances]
    cmd += ["--time-limit", str(args.time_limit), "--seed", str(args.seed)]
    if args.out is not None:
        cmd += ["--out", str(Path(args.out).resolve())]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    return subprocess.run(cmd, cwd=root, env=env, check=False).returncode
