"""Rule 6: two learners that avoid each other never share a session.

In a candidate, at most one of the pair. In a pool they may share it only when it splits into
two or more sessions (the split keeps them apart); a learner avoiding a fixed member of a pool
is never offered that pool, and a pool whose fixed members hold a pair keeps two or more sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def add(wm: WindowModel) -> None:
    model, avoid = wm.model, wm.prep.avoid
    if not avoid:
        return
    for c in wm.cands:
        for a, xa in c.x.items():
            for b in avoid.get(a, ()):
                if b > a and b in c.x:
                    model.add(xa + c.x[b] <= 1)
    for p in wm.pools:
        fixed = set(p.fixed)
        if any(avoid.get(a, set()) & fixed for a in fixed):
            assert p.count is not None
            model.add(p.count >= 2)
        for a, xa in p.x.items():
            for b in avoid.get(a, ()):
                if b > a and b in p.x:
                    if p.several is None:
                        assert p.count is not None
                        p.several = model.new_bool_var("several")
                        model.add(p.count >= 2).only_enforce_if(p.several)
                    model.add(xa + p.x[b] <= 1 + p.several)
