from __future__ import annotations

import pytest

from plsched.schema.instance import Instance

from .builders import build_five_learners_two_teachers


@pytest.fixture(name="five_learners_two_teachers")
def five_learners_two_teachers_fixture() -> Instance:
    """The small school of :mod:`.builders`, default policy."""
    return build_five_learners_two_teachers()
