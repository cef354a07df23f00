"""Rule 2: a teacher leads at most one session per block, within daily and weekly limits.

Availability, led modalities and qualification levels are enforced by candidate enumeration
(a teacher gets candidates only where and for what they may lead).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def add(wm: WindowModel) -> None:
    cp, ctx = wm.cp, wm.ctx
    per_block: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_week: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for c in wm.cands:
        assert c.active is not None
        per_block[(c.teacher, c.block)].append(c.active)
        per_day[(c.teacher, int(cp.block_day[c.block]))].append(c.active)
        per_week[c.teacher].append(c.active)
    for vars_ in per_block.values():
        wm.model.add_at_most_one(vars_)
    for (t, d), vars_ in per_day.items():
        wm.model.add(sum(vars_) <= int(cp.teacher_max_day[t] - ctx.teacher_day[t, d]))
    for t, vars_ in per_week.items():
        wm.model.add(sum(vars_) <= int(cp.teacher_max_week[t] - ctx.teacher_week[t]))
