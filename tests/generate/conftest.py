"""Fixtures over the generated schools of :mod:`.schools`."""

from __future__ import annotations

from typing import Any

import pytest

from plsched import Instance

from .schools import FEASIBLE_PRESETS, generated, parsed


@pytest.fixture(params=FEASIBLE_PRESETS)
def preset_instance(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Instance]:
    """(document, parsed instance) of each feasible-in-principle preset, seed 1."""
    return generated(request.param), parsed(request.param)
