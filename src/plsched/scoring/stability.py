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
from dataclasses import dataclass

import numpy as np

from plsched.schema.schedule import Schedule, Session
from plsched.scoring._npsets import unique, unique_counts
from plsched.scoring.arrays import MISSING, InstanceArrays, IntArray, PlanArrays, memberships

__all__ = ["PreviousPlan", "stability"]

logger = logging.getLogger(__name__)

Key = tuple[str, str | None, str | None, str | None]


def _key_ids(sessions: tuple[Session, ...], keys: dict[Key, int]) -> IntArray:
    """The key id of each session, adding new keys to ``keys``."""
    return np.fromiter(
        (keys.setdefault((s.modality, s.subject, s.skill, s.teacher), len(keys)) for s in sessions),
        np.int64,
        len(sessions),
    )


@dataclass(frozen=True, eq=False)
class PreviousPlan:
    """A previous plan's memberships as (learner-block, key) rows, ready to compare against."""

    keys: dict[Key, int]
    learner_block: IntArray
    """learner index × number of blocks + block index, per row."""
    key: IntArray

    @classmethod
    def build(cls, inst: InstanceArrays, previous: Schedule) -> PreviousPlan:
        sessions = previous.sessions
        keys: dict[Key, int] = {}
        key = _key_ids(sessions, keys)
        block = np.fromiter(
            (inst.blocks.get(s.block, MISSING) for s in sessions), np.int64, len(sessions)
        )
        m_session, m_learner = memberships(inst, sessions, strict=False)
        kept = block[m_session] != MISSING
        dropped = sum(len(s.learners) for s in sessions) - int(kept.sum())
        if dropped:
            logger.info("Previous plan: %d memberships name a learner or block not here.", dropped)
        m_session = m_session[kept]
        return cls(
            keys=keys,
            learner_block=m_learner[kept] * len(inst.blocks) + block[m_session],
            key=key[m_session],
        )


def stability(
    inst: InstanceArrays, now: PlanArrays, plan: Schedule, previous: PreviousPlan | None
) -> int:
    """Learner-blocks present in both plans whose session key changed (0 without a previous)."""
    if previous is None:
        return 0
    keys = dict(previous.keys)
    key_now = _key_ids(plan.sessions, keys)
    stride = len(keys)
    lb_now = now.m_learner * len(inst.blocks) + now.s_block[now.m_session]
    triples_now = unique(lb_now * stride + key_now[now.m_session])
    triples_before = unique(previous.learner_block * stride + previous.key)

    pairs_now, n_now = unique_counts(triples_now // stride)
    pairs_before, n_before = unique_counts(triples_before // stride)
    both, i_now, i_before = np.intersect1d(
        pairs_now, pairs_before, assume_unique=True, return_indices=True
    )
    common = np.intersect1d(triples_now, triples_before, assume_unique=True)
    common_pairs, n_common = unique_counts(common // stride)
    shared = np.zeros(both.size, dtype=np.int64)
    shared[np.searchsorted(both, common_pairs)] = n_common
    same = (n_now[i_now] == shared) & (n_before[i_before] == shared)
    return int(both.size - same.sum())
