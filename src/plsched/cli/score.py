"""``plsched score INSTANCE PLAN``: recompute a plan's objective, term by term, from the plan."""

from __future__ import annotations

import argparse
import json
from typing import Any

from plsched.io import load_instance, load_schedule
from plsched.scoring import SCALE, TERMS, Score, scaled_weights, score

__all__ = ["objective_matches", "register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score",
        help="Recompute a plan's objective from the plan alone.",
        description=(
            "Score a plan with the NumPy scoring layer: each term's raw value, weight and "
            "weighted value, and the total. When the plan states an objective, say whether it "
            "matches. Exit status: 0 when it matches or none is stated, 1 when it does not "
            "match, 2 when a file cannot be read."
        ),
    )
    parser.add_argument("instance", metavar="INSTANCE", help="Instance file (plsched/instance@1).")
    parser.add_argument("plan", metavar="PLAN", help="Plan file (plsched/schedule@1).")
    parser.add_argument("--previous", metavar="PLAN", help="Previous plan, for the stability term.")
    parser.add_argument("--json", action="store_true", help="Print the score as one JSON object.")
    parser.set_defaults(func=run)


def objective_matches(stated: float, result: Score) -> bool:
    """A stated objective matches when it is the same integer once scaled by SCALE."""
    return round(stated * SCALE) == result.scaled


def run(args: argparse.Namespace) -> int:
    instance = load_instance(args.instance)
    plan = load_schedule(args.plan)
    previous = load_schedule(args.previous) if args.previous else None
    result = score(instance, plan, previous)
    weights = {t: w / SCALE for t, w in scaled_weights(instance.policy).items()}
    stated = plan.objective
    matches = None if stated is None else objective_matches(stated, result)
    if args.json:
        out: dict[str, Any] = {
            "terms": {
                t: {"raw": result.raw[t], "weight": weights[t], "weighted": result.weighted[t]}
                for t in TERMS
            },
            "objective": result.objective,
            "scaled": result.scaled,
            "scale": SCALE,
            "stated_objective": stated,
            "matches": matches,
        }
        print(json.dumps(out, indent=2))
    else:
        print(f"{'term':<16} {'raw':>12} {'weight':>10} {'weighted':>14}")
        for t in TERMS:
            print(f"{t:<16} {result.raw[t]:>12} {weights[t]:>10g} {result.weighted[t]:>14.2f}")
        print(f"{'objective':<16} {'':>12} {'':>10} {result.objective:>14.2f}")
        if stated is not None:
            verdict = "matches" if matches else "does NOT match"
            print(f"stated objective {stated:.2f} {verdict} the recomputed {result.objective:.2f}.")
    return 1 if matches is False else 0
