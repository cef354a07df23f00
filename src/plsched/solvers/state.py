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

    The minimum is |total − count·target| whenever lo·count ≤ total ≤ hi·count: every session
    sits on the same side of the target.
    """
    if count == 0:
        return []
    if not lo * count <= total <= hi * count:
        raise ValueError(f"{total} learners do not fit {count} sessions of {lo}..{hi}")
    if total >= target * count:
        sizes = [target] * count
        extra = total - target * count
        for i in range(count):
            add = min(extra, hi - target)
            sizes[i] += add
            extra -= add
    else:
        sizes = [target] * count
        short = target * count - total
        for i in range(count):
            cut = min(short, target - lo)
            sizes[i] -= cut
            short -= cut
    return sizes


def split_pool(
    members: Sequence[int], count: int, lo: int, hi: int, target: int, avoid: set[tuple[int, int]]
) -> list[tuple[int, ...]]:
    """Split a pool's learners into ``count`` sessions of optimal sizes, apart from avoid pairs."""
    sizes = pool_sizes(len(members), count, lo, hi, target)
    involved = {i for pair in avoid for i in pair}
    order = sorted(members, key=lambda m: (m not in involved, m))
    groups: list[list[int]] = [[] for _ in sizes]
    for m in order:
        best = None
        for g, group in enumerate(groups):
            if len(group) >= sizes[g]:
                continue
            if m in involved and any((min(m, o), max(m, o)) in avoid for o in group):
                continue
            if best is None or len(group) / sizes[g] < len(groups[best]) / sizes[best]:
                best = g
        if best is None:  # no clean place: take any open session (checked later)
            best = next(g for g, group in enumerate(groups) if len(group) < sizes[g])
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
