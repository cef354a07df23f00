"""The ``plsched`` command line: one module per subcommand, each with ``register(subparsers)``."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from plsched.errors import InputError

# Subcommand modules, in help order. Each defines register(subparsers) and sets
# ``func(args) -> int`` on its parser.
COMMANDS = ("solve", "check", "score", "validate", "generate", "schema", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plsched",
        description="Schedules for personalized-learning schools.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="More log output.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"plsched.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"plsched.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        code: int = args.func(args)
    except InputError as exc:
        print(f"plsched: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("plsched: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
