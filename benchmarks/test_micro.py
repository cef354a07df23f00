"""Microbenchmarks of the pipeline's fixed costs on ``large`` (1,000 learners) and ``xl``
(2,000, generated with seed 1): load, compile, score, check.

The plan scored and checked is the greedy baseline's, built once per instance and module.
Run: ``pytest benchmarks --benchmark-enable`` (skipped otherwise; see conftest.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import plsched
from benchmarks.quality import resolve_instance
from plsched.baselines import greedy
from plsched.check import check
from plsched.compiled import compile_problem
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule
from plsched.scoring import score

SIZES = ("large", "xl")
# seconds-long calls: a few rounds of one call each instead of pytest-benchmark's calibration
SLOW = {"rounds": 5, "iterations": 1, "warmup_rounds": 1}


@cache
def _path(name: str) -> Path:
    return resolve_instance(name)


@cache
def _instance(name: str) -> Instance:
    return plsched.load_instance(_path(name))


@cache
def _plan(name: str) -> Schedule:
    return greedy(_instance(name), seed=0)


@pytest.fixture(scope="module", params=SIZES)
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_load(benchmark: BenchmarkFixture, size: str) -> None:
    instance = benchmark.pedantic(plsched.load_instance, args=(_path(size),), **SLOW)
    assert instance.learners


def test_compile(benchmark: BenchmarkFixture, size: str) -> None:
    instance = _instance(size)
    cp = benchmark.pedantic(compile_problem, args=(instance,), **SLOW)
    assert cp.n_learners == len(instance.learners)


def test_score(benchmark: BenchmarkFixture, size: str) -> None:
    instance, plan = _instance(size), _plan(size)
    result = benchmark(score, instance, plan)
    assert result.objective == plan.objective


def test_check(benchmark: BenchmarkFixture, size: str) -> None:
    instance, plan = _instance(size), _plan(size)
    report = benchmark.pedantic(check, args=(instance, plan), **SLOW)
    assert report.ok == (plan.status == "feasible")
