"""Fixtures of the microbenchmarks, and the switch that keeps them off unless asked.

The project's pytest configuration passes ``--benchmark-disable``; here that means *skip*, so
``pytest benchmarks`` only collects them. Run them with ``pytest benchmarks --benchmark-enable``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("benchmark_enable", False) or not config.getoption(
        "benchmark_disable", False
    ):
        return
    skip = pytest.mark.skip(reason="microbenchmarks run with --benchmark-enable")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)
