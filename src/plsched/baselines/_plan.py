"""Turn a baseline's sessions into a scored, checked public plan."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from plsched._version import __version__
from plsched.check import check
from plsched.compiled import CompiledProblem
from plsched.schema.schedule import Schedule
from plsched.scoring import score
from plsched.solvers.state import Sess, sessions_to_public

__all__ = ["finish"]

log = logging.getLogger(__name__)


def finish(
    cp: CompiledProblem,
    sessions: Iterable[Sess],
    *,
    method: str,
    seconds: float,
    seed: int | None = None,
) -> Schedule:
    """A plan of ``sessions`` with its objective from the scoring layer and the checker's status.

    ``seconds`` (the baseline's own run time, without this scoring and checking) becomes
    ``solve_seconds``. The plan has no bound: a baseline proves nothing.
    """
    instance = cp.instance
    draft = Schedule(
        instance=instance.name,
        status="unknown",
        sessions=tuple(sessions_to_public(cp, sessions)),
        seed=seed,
        options={"method": method},
        plsched_version=__version__,
    )
    report = check(instance, draft)
    if not report.ok:
        log.info(
            "%s plan for %s breaks rules %s (%d violations)",
            method,
            instance.name,
            list(report.rules_broken),
            len(report.violations),
        )
    result = score(instance, draft)
    return draft.model_copy(
        update={
            "status": "feasible" if report.ok else "unknown",
            "objective": result.objective,
            "objective_terms": dict(result.weighted),
            "solve_seconds": round(seconds, 3),
        }
    )
