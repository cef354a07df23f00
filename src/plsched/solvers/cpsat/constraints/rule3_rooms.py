"""Rule 3: a room hosts at most ``zones`` sessions and ``capacity`` learners per block.

Each candidate picks one of its compatible rooms (features of modality and subject, room
available); ``w[c, r]`` carries the candidate's size into the room it picks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def add(wm: WindowModel) -> None:
    cp, ctx, model = wm.cp, wm.ctx, wm.model
    zones: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
    seats: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
    for c in wm.cands:
        assert c.active is not None
        model.add(sum(c.z.values()) == c.active)
        model.add(sum(c.w.values()) == sum(c.x.values()))
        for r, z in c.z.items():
            model.add(c.w[r] <= int(min(cp.mod_max[c.modality], cp.room_capacity[r])) * z)
            zones[(r, c.block)].append(z)
            seats[(r, c.block)].append(c.w[r])
    for p in wm.pools:
        assert p.count is not None
        zones[(p.room, p.block)].append(p.count)
        seats[(p.room, p.block)].extend(p.x.values())
    for (r, b), zs in zones.items():
        model.add(sum(zs) <= int(cp.room_zones[r] - ctx.room_zones_used[r, b]))
    for (r, b), ws in seats.items():
        model.add(sum(ws) <= int(cp.room_capacity[r] - ctx.room_load[r, b]))
