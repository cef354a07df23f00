"""``plsched validate FILE``: check an instance and summarise what it asks for.

Exit 0 when the file is a valid instance (its summary's problems are printed as warnings),
1 with ``--strict`` when there are such warnings, 2 when the file is not a valid instance.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from plsched.io import load_instance
from plsched.schema.instance import INSTANCE_FORMAT, Instance


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="Check an instance file and summarise it.",
        description="Check that FILE is a valid plsched/instance@1 instance, then print a short "
        "summary (counts, ready sets, teacher and room capacity against goal demand) and warn "
        "about what cannot be met. Exit 0 when valid, 1 with --strict and warnings, 2 when "
        "invalid.",
    )
    parser.add_argument("file", metavar="FILE", help="Instance JSON file.")
    parser.add_argument(
        "--strict", action="store_true", help="Treat warnings as errors (exit 1 when any)."
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="Print only the verdict and the warnings."
    )
    parser.set_defaults(func=run)


def _summary(instance: Instance) -> tuple[list[str], list[str]]:
    """Summary lines and problems, from :func:`plsched.summary.summarize`."""
    from plsched.summary import summarize

    summary = summarize(instance)
    return list(summary.lines()), list(summary.problems())


def run(args: argparse.Namespace) -> int:
    instance = load_instance(args.file)
    lines, problems = _summary(instance)
    print(f"ok: {args.file} is a valid {INSTANCE_FORMAT} instance")
    if not args.quiet:
        for line in lines:
            print(f"  {line}")
    for problem in problems:
        print(f"plsched: warning: {problem}", file=sys.stderr)
    if problems and args.strict:
        count = f"{len(problems)} warning{'s' if len(problems) > 1 else ''}"
        print(f"plsched: {count} with --strict: {args.file} is not accepted.", file=sys.stderr)
        return 1
    return 0
