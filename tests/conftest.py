"""Shared fixtures: the example instance ``tiny.json`` as a path, a fresh dict, and a model."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import plsched

TINY_PATH = Path(__file__).resolve().parents[2] / "shared" / "examples" / "tiny.json"


@functools.cache
def _tiny_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def tiny_path() -> Path:
    """The shared example instance file (read only)."""
    return TINY_PATH


@pytest.fixture
def tiny_data() -> dict[str, Any]:
    """A fresh, mutable copy of tiny.json's JSON document."""
    return copy.deepcopy(_tiny_document())


@pytest.fixture(scope="session")
def tiny_instance() -> plsched.Instance:
    """tiny.json, loaded and validated."""
    return plsched.load_instance(TINY_PATH)


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any], Path]:
    """Write a JSON document to a new file under tmp_path and return its path."""
    count = 0

    def write(data: Any, name: str = "instance") -> Path:
        nonlocal count
        count += 1
        path = tmp_path / f"{name}-{count}.json"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path

    return write
