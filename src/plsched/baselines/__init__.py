"""Baselines that plsched is measured against (see ``benchmarks/``).

- :func:`grade_classes`: what a school does today — one class per age band and subject, one
  teacher, one room; it breaks size and readiness rules on purpose.
- :func:`greedy`: plsched's fast construction alone, without any improvement.

Both return a :class:`plsched.schema.Schedule` scored by the scoring layer, whose status is
``"feasible"`` when the independent checker accepts it and ``"unknown"`` otherwise.
"""

from plsched.baselines.grade_classes import grade_classes as grade_classes
from plsched.baselines.greedy import greedy as greedy

__all__ = ["grade_classes", "greedy"]
