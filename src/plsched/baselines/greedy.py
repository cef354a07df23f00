"""The greedy baseline: plsched's construction alone, with no search after it."""

from __future__ import annotations

import time

import numpy as np

from plsched.baselines._plan import finish
from plsched.compiled import compile_problem
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule
from plsched.solvers.construction import construct
from plsched.solvers.cpsat.candidates import prepare

__all__ = ["greedy"]


def greedy(instance: Instance, seed: int = 0) -> Schedule:
    """The construction's plan (compile, prepare, construct), scored and checked.

    ``solve_seconds`` covers compiling and constructing, not the scoring and checking after.
    """
    t0 = time.perf_counter()
    cp = compile_problem(instance)
    sessions = construct(cp, prepare(cp), np.random.default_rng(seed))
    seconds = time.perf_counter() - t0
    return finish(cp, sessions, method="greedy", seconds=seconds, seed=seed)
