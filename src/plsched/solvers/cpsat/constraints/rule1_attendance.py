"""Rule 1: a learner is in exactly one session in every block where they are available.

Unavailable learners get no variable at all (they are never free in a block they miss).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def add(wm: WindowModel) -> None:
    for (learner, block), options in wm.by_lb.items():
        if not options:
            wm.impossible.append(
                f"learner {wm.cp.learner_ids[learner]!r} has no session they can join in "
                f"block {wm.cp.block_ids[block]!r}"
            )
            continue
        wm.model.add_exactly_one(var for var, _ in options)
