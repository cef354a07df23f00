"""The solver's working plan: index-based sessions, and conversion to the public format."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from plsched.compiled import CompiledProblem
from plsched.schema.schedule import Session

__all__ = ["Sess", "pool_sizes", "sessions_to_public", "split_pool"]


@dataclass(frozen=True)
class Sess:
    """One session by indices; subject, skill and teacher are -1 when absent."""

    block: int
    modality: int
    subject: int
    skill: int
    teacher: int
    room: int
    members: tuple[int, ...]

    @property
    def key(self) -> tuple[int, int, int, int]:
        """What a learner sees of the session: (modality, subject, skill, teacher)."""
        return (self.modality, self.subject, self.skill, self.teacher)

    @property
    def pool(self) -> tuple[int, int, int, int]:
        """Teacherless sessions of one block, modality, subject and room form a pool."""
        return (self.block, self.modality, self.subject, self.room)


def pool_sizes(total: int, count: int, lo: int, hi: int, target: int) -> list[int]:
    """Sizes of ``count`` sessions holding ``total`` learners with Σ|size − target| minimal.

    The minimum is |total − count·target| whenever lo·count ≤ total ≤ hi·count: the sizes are
    as even as possible, so every session sits on the same side of the target.
    """
    if count == 0:
        return []
    if not lo * count <= total <= hi * count:
        raise ValueError(f"{total} learners do not fit {count} sessions of {lo}..{hi}")
    base, extra = divmod(total, count)
    return [base + 1] * extra + [base] * (count - extra)


def split_pool(
    members: Sequence[int], count: int, lo: int, hi: int, target: int, avoid: set[tuple[int, int]]
) -> list[tuple[int, ...]]:
    """Split a pool's learners into ``count`` sessions of optimal sizes, apart from avoid pairs.

    Learners with avoid partners are placed first, most partners first, each into the open
    session with the most room that holds none of its partners.
    """
    sizes = pool_sizes(len(members), count, lo, hi, target)
    inside = set(members)
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in avoid:
        if a in inside and b in inside:
            partners[a].add(b)
            partners[b].add(a)
    # partners are placed one right after the other (breadth first over the avoid graph),
    # each into the session with the most room left, which keeps the rooms balanced
    order: list[int] = []
    seen: set[int] = set()
    for start in sorted(partners, key=lambda m: (-len(partners[m]), m)):
        if start in seen:
            continue
        queue = [start]
        seen.add(start)
        while queue:
            m = queue.pop(0)
            order.append(m)
            for p in sorted(partners[m] - seen):
                seen.add(p)
                queue.append(p)
    order += [m for m in members if m not in seen]
    groups: list[list[int]] = [[] for _ in sizes]
    for m in order:
        open_ = [g for g in range(len(groups)) if len(groups[g]) < sizes[g]]
        clean = [g for g in open_ if not partners.get(m, set()) & set(groups[g])]
        pick = clean or open_  # no clean place: the checker will name the pair
        best = max(pick, key=lambda g: (sizes[g] - len(groups[g]), -g))
        groups[best].append(m)
    return [tuple(sorted(g)) for g in groups]


def sessions_to_public(cp: CompiledProblem, sessions: Iterable[Sess]) -> list[Session]:
    """Public sessions with stable ids, ordered by block, then teacher-led first."""
    by_block: dict[int, list[Sess]] = defaultdict(list)
    for s in sessions:
        by_block[s.block].append(s)
    out: list[Session] = []
    for b in sorted(by_block):
        items = sorted(
            by_block[b], key=lambda s: (s.teacher < 0, s.teacher, s.modality, s.room, s.members)
        )
        for j, s in enumerate(items, start=1):
            subject = None if s.subject < 0 else cp.subject_ids[s.subject]
            skill = None
            if s.skill >= 0:
                skill = cp.skill_ids[s.skill].split("/", 1)[1]
            out.append(
                Session(
                    id=f"{cp.block_ids[b]}-s{j:03d}",
                    block=cp.block_ids[b],
                    subject=subject,
                    skill=skill,
                    modality=cp.modality_ids[s.modality],
                    teacher=None if s.teacher < 0 else cp.teacher_ids[s.teacher],
                    room=cp.room_ids[s.room],
                    learners=tuple(cp.learner_ids[m] for m in s.members),
                )
            )
    return out


def sessions_from_public(cp: CompiledProblem, sessions: Iterable[Session]) -> list[Sess]:
    """Index-based sessions of a plan that references this problem's ids (e.g. a previous plan).

    Sessions naming ids unknown to the problem are dropped (a previous plan may be stale).
    """
    out: list[Sess] = []
    for s in sessions:
        try:
            b = cp.block_index[s.block]
            m = cp.modality_index[s.modality]
            subj = -1 if s.subject is None else cp.subject_index[s.subject]
            skill = -1 if s.skill is None else cp.skill_index[(subj, s.skill)]
            t = -1 if s.teacher is None else cp.teacher_index[s.teacher]
            r = cp.room_index[s.room]
        except KeyError:
            continue
        members = tuple(sorted(cp.learner_index[x] for x in s.learners if x in cp.learner_index))
        if members:
            out.append(Sess(b, m, subj, skill, t, r, members))
    return out


def assignment_matrix(cp: CompiledProblem, sessions: Sequence[Sess]) -> np.ndarray:
    """(L, B) index of each learner's session in ``sessions``, -1 where none."""
    where = np.full((cp.n_learners, cp.n_blocks), -1, dtype=np.int64)
    for i, s in enumerate(sessions):
        where[list(s.members), s.block] = i
    return where
