"""``plsched schema instance|schedule``: print the published JSON Schema of a format."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import BaseModel

from plsched.io import write_json_atomic
from plsched.schema import Instance, Schedule

MODELS: dict[str, type[BaseModel]] = {"instance": Instance, "schedule": Schedule}


def schema_text(kind: str) -> str:
    """The JSON Schema of ``kind`` as checked in under ``schemas/``: indent 2, sorted keys."""
    schema: dict[str, Any] = MODELS[kind].model_json_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema",
        help="Print the JSON Schema of the instance or the schedule format.",
        description="Print the JSON Schema of plsched/instance@1 or plsched/schedule@1, as "
        "generated from the pydantic models (the files in schemas/ are this output).",
    )
    parser.add_argument("kind", choices=sorted(MODELS), help="Which format.")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="Write the schema to FILE instead of stdout."
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = schema_text(args.kind)
    if args.output:
        write_json_atomic(args.output, text)
    else:
        print(text, end="")
    return 0
