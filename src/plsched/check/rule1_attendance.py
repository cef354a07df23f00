"""Rule 1: a learner is in exactly one session in every block where they are available, and
in none where they are not."""

from __future__ import annotations

from collections import defaultdict

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation

__all__ = ["violations"]


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    # (learner, block) -> ids of the sessions that hold the learner there
    held: dict[tuple[str, str], list[str]] = defaultdict(list)
    for block, sessions in index.sessions_by_block().items():
        for s in sessions:
            for lid in index.members(s):
                held[lid, block].append(s.id)
    for learner in index.learners.values():
        away = set(learner.unavailable)
        for block in index.blocks:
            where = held.get((learner.id, block), [])
            if block in away:
                for sid in where:
                    found.append(
                        violation(
                            1,
                            f"learner {learner.id!r} is unavailable in block {block!r} but is in "
                            f"session {sid!r}.",
                        )
                    )
            elif not where:
                found.append(
                    violation(1, f"learner {learner.id!r} is in no session in block {block!r}.")
                )
            elif len(where) > 1:
                names = ", ".join(repr(sid) for sid in where)
                found.append(
                    violation(
                        1,
                        f"learner {learner.id!r} is in {len(where)} sessions ({names}) in block "
                        f"{block!r}.",
                    )
                )
    return found
