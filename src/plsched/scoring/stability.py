"""The ``stability`` term: learner-blocks whose session changed against a previous plan.

A learner-block (l, b) counts 1 when l is in a session at b in both plans and the session keys
(modality, subject, skill, teacher) differ. When a broken plan puts l in several sessions at b,
the pair counts 1 when the *sets* of keys differ (for valid plans this is the spec's reading).

The previous plan is yesterday's: its learners and blocks that today's instance no longer has
are skipped (they are in no session now), and its keys are compared as ids, so a teacher or a
skill that disappeared simply makes a different key. Only the current plan's ids must resolve.
"""

from __future__ import annotations

import logging

import numpy as np

from plsched.schema.schedule import Schedule, Session
from plsched.scoring.arrays import InstanceArrays, IntArray

__all__ = ["stability"]

logger = logging.getLogger(__name__)

Key = tuple[str, str | None, str | None, str | None]


def _key(s: Session) -> Key:
    return (s.modality, s.subject, s.skill, s.teacher)


def _triples(inst: InstanceArrays, plan: Schedule, keys: dict[Key, int], what: str) -> IntArray:
    """Distinct codes of (learner-block, key) for the plan's memberships."""
    n_blocks = len(inst.blocks)
    learner_block: list[int] = []
    key_ids: list[int] = []
    skipped = 0
    for s in plan.sessions:
        b = inst.blocks.get(s.block)
        key = keys[_key(s)]
        for lid in dict.fromkeys(s.learners):
            li = inst.learners.get(lid)
            if b is None or li is None:
                skipped += 1
                continue
            learner_block.append(li * n_blocks + b)
            key_ids.append(key)
    if skipped:
        logger.info(
            "%s: %d memberships name a learner or block not in the instance.", what, skipped
        )
    lb = np.array(learner_block, dtype=np.int64)
    return np.unique(lb * (len(keys) + 1) + np.array(key_ids, dtype=np.int64))


def stability(inst: InstanceArrays, plan: Schedule, previous: Schedule | None) -> int:
    """Learner-blocks present in both plans whose session key changed (0 without a previous)."""
    if previous is None:
        return 0
    keys: dict[Key, int] = {}
    for s in (*plan.sessions, *previous.sessions):
        keys.setdefault(_key(s), len(keys))
    stride = len(keys) + 1
    now = _triples(inst, plan, keys, "plan")
    before = _triples(inst, previous, keys, "previous plan")
    now_lb, now_n = np.unique(now // stride, return_counts=True)
    before_lb, before_n = np.unique(before // stride, return_counts=True)
    both, i_now, i_before = np.intersect1d(now_lb, before_lb, return_indices=True)
    common_lb, common_n = np.unique(np.intersect1d(now, before) // stride, return_counts=True)
    shared = np.zeros(both.size, dtype=np.int64)
    shared[np.searchsorted(both, common_lb)] = common_n
    same = (now_n[i_now] == shared) & (before_n[i_before] == shared)
    return int(both.size - same.sum())
