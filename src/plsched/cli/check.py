"""``plsched check INSTANCE PLAN``: list every hard rule a plan breaks, then its KPIs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from plsched.check import CheckReport, check
from plsched.io import load_instance, load_schedule

__all__ = ["MAX_LINES", "register", "run"]

#: Violations printed before the rest are summarised as "... and N more".
MAX_LINES = 50


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="List every hard rule a plan breaks, and its KPIs.",
        description=(
            "Check a plan against its instance with the independent checker. Exit status: 0 "
            "when no hard rule is broken, 1 when any is, 2 when a file cannot be read."
        ),
    )
    parser.add_argument("instance", metavar="INSTANCE", help="Instance file (plsched/instance@1).")
    parser.add_argument("plan", metavar="PLAN", help="Plan file (plsched/schedule@1).")
    parser.add_argument("--json", action="store_true", help="Print the report as one JSON object.")
    parser.set_defaults(func=run)


def _print_text(report: CheckReport, plan_status: str) -> None:
    shown = report.violations[:MAX_LINES]
    for v in shown:
        print(v.message)
    rest = len(report.violations) - len(shown)
    if rest > 0:
        print(f"... and {rest} more.")
    print("KPIs:")
    for name, value in report.kpis.items():
        shown_value = f"{value:.0f}" if value.is_integer() else f"{value:.4f}"
        print(f"  {name:<24} {shown_value}")
    if report.ok:
        print(f"verdict: valid; the plan (status {plan_status}) breaks no hard rule.")
    else:
        rules = ", ".join(str(r) for r in report.rules_broken)
        print(
            f"verdict: INVALID; {len(report.violations)} violation(s) of rule(s) {rules} in "
            f"the plan (status {plan_status})."
        )


def run(args: argparse.Namespace) -> int:
    instance = load_instance(args.instance)
    plan = load_schedule(args.plan)
    report = check(instance, plan)
    if args.json:
        out: dict[str, Any] = {
            "instance": instance.name,
            "plan_instance": plan.instance,
            "plan_status": plan.status,
            **report.to_dict(),
        }
        print(json.dumps(out, indent=2))
    else:
        _print_text(report, plan.status)
    return 0 if report.ok else 1
