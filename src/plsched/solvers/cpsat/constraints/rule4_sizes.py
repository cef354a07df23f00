"""Rule 4: a session's size lies within its modality's bounds (a pool: per session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def add(wm: WindowModel) -> None:
    cp, model = wm.cp, wm.model
    for c in wm.cands:
        assert c.active is not None
        size = sum(c.x.values())
        for x in c.x.values():  # implied by the size bound, but tightens the LP relaxation
            model.add_implication(x, c.active)
        model.add(size >= int(cp.mod_min[c.modality]) * c.active)
        model.add(size <= int(cp.mod_max[c.modality]) * c.active)
    for p in wm.pools:
        assert p.count is not None
        total = len(p.fixed) + sum(p.x.values())
        model.add(total >= int(cp.mod_min[p.modality]) * p.count)
        model.add(total <= int(cp.mod_max[p.modality]) * p.count)
