"""One method on one instance, measured in this process: ``python -m benchmarks.run_one
METHOD INSTANCE TIME_LIMIT SEED`` prints one JSON line.

The quality runner starts one such process per method and instance, so peak memory
(``ru_maxrss``) is the method's own and a method that runs out of memory takes nothing else
down. Methods: ``plsched`` (``solve`` with the default strategy), ``monolithic`` (``solve``
with ``strategy="exact"``: CP-SAT on the whole problem), ``greedy`` and ``grade_classes``
(the baselines of :mod:`plsched.baselines`).
"""

from __future__ import annotations

import json
import logging
import math
import resource
import sys
import time
from pathlib import Path
from typing import Any

from plsched import load_instance
from plsched.baselines import grade_classes, greedy
from plsched.check import check
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule
from plsched.scoring import score
from plsched.solving import solve

__all__ = ["METHODS", "WORKERS", "measure"]

log = logging.getLogger(__name__)

METHODS = ("plsched", "monolithic", "greedy", "grade_classes")

#: CP-SAT workers for the solver methods: the machine's two cores (PERFORMANCE.md).
WORKERS = 2


def _solver(instance: Instance, method: str, time_limit: float, seed: int) -> dict[str, Any]:
    strategy = "exact" if method == "monolithic" else "auto"
    result = solve(instance, time_limit=time_limit, seed=seed, workers=WORKERS, strategy=strategy)
    return {
        "plan": result.plan,
        "status": result.status,
        "first_s": result.timings.get("first_feasible"),
        "total_s": result.timings.get("total"),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "strategy": result.stats.get("strategy"),
    }


def _baseline(instance: Instance, method: str, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    plan = greedy(instance, seed=seed) if method == "greedy" else grade_classes(instance)
    wall = time.perf_counter() - t0
    # the plan's own seconds leave out the scoring and checking a baseline does for its status
    seconds = plan.solve_seconds if plan.solve_seconds is not None else wall
    return {
        "plan": plan,
        "status": plan.status,
        "first_s": seconds,
        "total_s": seconds,
        "objective": plan.objective,
        "bound": None,
        "gap": None,
        "strategy": None,
    }


def _coverage_gap(plan: Schedule) -> float | None:
    level = plan.gaps.get("coverage")
    if isinstance(level, dict) and isinstance(level.get("gap"), int | float):
        return float(level["gap"])
    return None


def measure(method: str, instance_path: str | Path, time_limit: float, seed: int) -> dict[str, Any]:
    """Run ``method`` on the instance file and return the row's measured fields."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    instance = load_instance(instance_path)
    if method in ("plsched", "monolithic"):
        out = _solver(instance, method, time_limit, seed)
    else:
        out = _baseline(instance, method, seed)
    plan: Schedule = out.pop("plan")
    row: dict[str, Any] = {
        "instance": instance.name,
        "method": method,
        "learners": len(instance.learners),
        **out,
        "coverage_gap": _coverage_gap(plan),
    }
    if out["status"] == "infeasible" or not plan.sessions:
        row["verdict"] = f"no plan ({out['status']})"
        row["violations"] = None
        row["objective_checked"] = None
    else:
        report = check(instance, plan)
        scored = score(instance, plan).objective
        objective = out["objective"]
        row["objective_checked"] = objective is not None and math.isclose(
            objective, scored, rel_tol=0.0, abs_tol=1e-9
        )
        row["scored_objective"] = scored
        row["violations"] = len(report.violations)
        row["rules_broken"] = list(report.rules_broken)
        n = len(report.violations)
        row["verdict"] = "valid" if report.ok else f"{n} violation{'s' if n > 1 else ''}"
        row.update(report.kpis)
    row["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return row


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    method, path, limit, seed = argv
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        row = measure(method, path, float(limit), int(seed))
    except MemoryError:
        print(json.dumps({"error": "out of memory"}), flush=True)
        return 3
    print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
