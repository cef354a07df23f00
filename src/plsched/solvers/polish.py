"""Local search on a whole plan: move one learner to another session of the same block, swap
the teachers of two sessions of a block, hand a session of a teacher over its fair load to a
free one below it (``_hand_overs``), or change a session's skill — whenever the objective
falls and every hard rule still holds.

Compound moves, each priced move by move and undone unless the whole pays: a learner's
off-focus sittings of a subject move together to a group on its focus skill (``_regroup``);
learners sharing a focus skill get a new week's group with a free teacher (``_open_groups``);
a course (one teacher's sessions on one skill) above its target size meets once more, its
members trading a sitting for one at the new meeting (``_split_courses``, which leaves the
pools' sizes out of its choice);
a session opens for goals still short, first in each pass and again at its end, in the
learner's own pool's room when that is the only place (``_new_sessions``); a group short of
goal minutes moves, whole, from a short block to a longer one (``_reblock``), or out of a
block whose rooms are too few for the learners working alone there to one with zones to
spare, the pools of both reseated (``_decrowd``); a target's
worth of learners leave groups above target for a new teacherless session (``_drain_groups``);
the learners of the sessions on one skill are re-seated over those sessions at once by a small
CP-SAT program, sorting themselves by the sittings they need so that meetings no one needs
close (``_recourse``).

CP-SAT windows re-plan a few teachers at a time; these moves are a thousand times cheaper, so
they sweep every learner of the school in seconds. They attack the terms that LNS windows move
slowly: teacher continuity (a learner's sessions of a subject spread over several teachers),
off-focus minutes, goal minutes left short while a session with room meets, and group sizes.

Each move's change of objective is computed exactly from counters kept up to date (the terms of
docs/objective.md restricted to what the move touches); ``load_balance`` changes only where
a move opens, closes or hands over a teacher-led session (``_State.load_delta``).
Teacherless sessions of one block, modality, subject and room are kept as one *pool* with its
session count, as the CP-SAT model counts them, and split into sessions of optimal sizes at
the end.
"""

from __future__ import annotations

import functools
import itertools
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from plsched.compiled import MIX_DIVERSE, MIX_SAME_SKILL, CompiledProblem
from plsched.scoring import TERMS
from plsched.solvers.cpsat.candidates import Prepared
from plsched.solvers.seating import even_pools
from plsched.solvers.state import Sess

__all__ = ["PASSES", "PolishStats", "polish"]

log = logging.getLogger(__name__)

#: Passes of :func:`polish` at most (the first finds most of the gain).
PASSES = 6

#: Members a session of no subject may leave short when it closes, each taking a sitting of
#: its kind in another block instead (:func:`_close_sessions`).
SHIFTS = 2

#: Blocks a session of a crowded block is priced in, at most (:func:`_decrowd`): the
#: reseated pools are priced by a dynamic programme over the rooms, a few milliseconds each.
DECROWD_TRIES = 1

#: CP-SAT's deterministic seconds for re-seating the sessions of one skill (:func:`_recourse`),
#: and the most sessions re-seated together: at 0.05 s and 24 sessions, 60-s solves at seeds
#: 0-2 gave `large` 4,626 / 4,455 / 4,447 and `campus` 4,603 / 4,507 / 4,536, at these 4,457 /
#: 4,459 / 4,459 and 4,707 / 4,511 / 4,596, and the move took twice as long (5.4 s against
#: 2.9 s in a polish of one construction of `large`).
RECOURSE_TIME = 0.02
RECOURSE_MAX = 12

Key = tuple[int, int, int, int]  # (modality, subject, skill, teacher)

#: A learner's teachers in a subject it has no session of (read only).
_NO_TEACHERS: Counter[int] = Counter()


@dataclass
class _Session:
    block: int
    modality: int
    subject: int
    skill: int
    teacher: int
    room: int
    members: set[int]
    count: int  # sessions in a teacherless pool; 1 for a teacher-led session

    @property
    def key(self) -> Key:
        return (self.modality, self.subject, self.skill, self.teacher)


@dataclass
class PolishStats:
    passes: int = 0
    moves: int = 0
    swaps: int = 0
    handed_over: int = 0
    learner_swaps: int = 0
    shifts: int = 0
    rooms_traded: int = 0
    teachers_traded: int = 0
    seats_taken: int = 0
    retargets: int = 0
    opened: int = 0
    recounted: int = 0
    rebalanced: int = 0
    drained: int = 0
    regrouped: int = 0
    groups: int = 0
    split: int = 0
    reblocked: int = 0
    closed: int = 0
    decrowded: int = 0
    recoursed: int = 0
    gain: int = 0  # scaled objective units
    seconds: float = 0.0
    cut_in_moves: bool = False  # the clock stopped the last pass in its learners' moves


class _State:
    """The plan as mutable sessions, with the counters every move's delta reads."""

    def __init__(
        self,
        cp: CompiledProblem,
        prep: Prepared,
        plan: Sequence[Sess],
        weights: Mapping[str, int],
        previous: Mapping[tuple[int, int], Key] | None,
    ) -> None:
        self.cp, self.prep = cp, prep
        self.w = {k: int(weights.get(k, 0)) for k in TERMS}
        self.w_load = int(weights.get("load_balance", 0))
        self.previous = previous or {}
        self.cap = cp.instance.policy.daily_subject_cap
        self.deadline = float("inf")  # the compound moves stop at it
        # sessions of a skill, with their members, that _recourse found no better seating for
        self.recourse_tried: set[frozenset[tuple[int, frozenset[int]]]] = set()
        built: list[_Session] = []  # teacher-led sessions and merged pools
        pools: dict[tuple[int, int, int, int], _Session] = {}
        for old in plan:
            if old.teacher >= 0:
                built.append(
                    _Session(
                        old.block,
                        old.modality,
                        old.subject,
                        old.skill,
                        old.teacher,
                        old.room,
                        set(old.members),
                        1,
                    )
                )
                continue
            pool = pools.get(old.pool)
            if pool is None:
                pool = _Session(old.block, old.modality, old.subject, -1, -1, old.room, set(), 0)
                pools[old.pool] = pool
                built.append(pool)
            pool.members.update(old.members)
            pool.count += 1
        self.same_skill = (cp.mod_mix == MIX_SAME_SKILL).tolist()
        self.by_block: dict[int, list[int]] = defaultdict(list)
        self.by_skill: dict[tuple[int, int], list[int]] = defaultdict(list)  # same-skill ones
        self.by_block_other: dict[int, list[int]] = defaultdict(list)  # the others
        self.where: dict[tuple[int, int], int] = {}
        self.room_load: Counter[tuple[int, int]] = Counter()
        self.zones_used: Counter[tuple[int, int]] = Counter()
        self.delivered: Counter[tuple[int, int, int]] = Counter()  # (l, subject, modality)
        self.teachers: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # (l, s)
        self.day_subject: Counter[tuple[int, int, int]] = Counter()  # (l, day, subject)
        self.ages: dict[int, Counter[int]] = {}  # diverse session -> age counts
        self.week: Counter[int] = Counter()
        self.day_led: Counter[tuple[int, int]] = Counter()
        self.led: dict[int, set[int]] = defaultdict(set)  # block -> teachers leading
        self.sessions: list[_Session] = []
        for ses in built:
            self._add(ses)
        self.goals: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for l, goals in prep.goals_of.items():
            for subject, modality, minutes in goals:
                self.goals[(l, subject, modality)].append(minutes)
        self.goal_keys: list[set[tuple[int, int]]] = [set() for _ in range(cp.n_learners)]
        for l, subject, modality in self.goals:
            self.goal_keys[l].add((subject, modality))
        self.goal_total = {key: sum(goals) for key, goals in self.goals.items()}
        self.goal_of = [[(x, s, m) for s, m in sorted(ks)] for x, ks in enumerate(self.goal_keys)]
        self.max_group = cp.learner_max_group.tolist()
        # plain Python lookups for the hot path
        self.minutes = cp.block_minutes.tolist()
        self.day_of = cp.block_day.tolist()
        self.mod_min, self.mod_max = cp.mod_min.tolist(), cp.mod_max.tolist()
        self.mod_target = cp.mod_target.tolist()
        self.room_capacity, self.room_zones = cp.room_capacity.tolist(), cp.room_zones.tolist()
        self.age = cp.learner_age.tolist()
        self.need_tags, self.need_features = (
            cp.learner_need_tags.tolist(),
            cp.learner_need_features.tolist(),
        )
        self.teacher_tags, self.room_features = cp.teacher_tags.tolist(), cp.room_features.tolist()
        self.led_skill = (cp.mod_teacher & cp.mod_skill).tolist()
        self.focus = set(zip(*map(np.ndarray.tolist, np.nonzero(cp.focus)), strict=True))
        self.has_focus = set(zip(*map(np.ndarray.tolist, np.nonzero(cp.has_focus)), strict=True))
        self.mastered = set(zip(*map(np.ndarray.tolist, np.nonzero(cp.mastered)), strict=True))
        stretch = ~cp.mastered & ~cp.ready & prep.allowed
        self.stretch = set(zip(*map(np.ndarray.tolist, np.nonzero(stretch)), strict=True))
        self.allowed_skills = [
            np.flatnonzero(prep.allowed[x]).tolist() for x in range(cp.n_learners)
        ]
        self.allowed_pairs = {(x, k) for x, ks in enumerate(self.allowed_skills) for k in ks}
        self.allowed_in: dict[tuple[int, int], list[int]] = defaultdict(list)  # (l, subject)
        for x, ks in enumerate(self.allowed_skills):
            for k in ks:
                self.allowed_in[(x, int(cp.skill_subject[k]))].append(k)

    def sits_off_focus(self, l: int, s: _Session) -> bool:
        """Whether learner l's sitting in session s counts as off_focus minutes."""
        return (
            s.teacher >= 0
            and s.skill >= 0
            and self.led_skill[s.modality]
            and (l, s.subject) in self.has_focus
            and (l, s.skill) not in self.focus
        )

    def short_any(self, l: int) -> bool:
        return any(self.delivered[key] < self.goal_total[key] for key in self.goal_of[l])

    # ---------------------------------------------------------------- per-member costs
    def short_of(self, key: tuple[int, int, int]) -> int:
        """Goal minutes short of (learner, subject, modality) now."""
        return self._short(key, self.delivered[key])

    def _short(self, key: tuple[int, int, int], delivered: int) -> int:
        goals = self.goals.get(key)
        if not goals:
            return 0
        # delivered minutes count towards the first goal of a (learner, subject, modality),
        # as the scoring layer attributes them
        return max(0, goals[0] - delivered) + sum(goals[1:])

    def _short_change(self, key: tuple[int, int, int], minutes: int) -> int:
        """Change of :meth:`short_of` when ``minutes`` more are delivered to ``key`` (only the
        first goal's share changes)."""
        goals = self.goals.get(key)
        if not goals:
            return 0
        left = goals[0] - self.delivered[key]
        return max(0, left - minutes) - max(0, left)

    def member_cost(self, l: int, s: _Session) -> int:
        """Costs that depend only on (learner, session): off-focus, review, stretch, stability."""
        cost = 0
        k = s.skill
        if k >= 0 and self.led_skill[s.modality]:
            if (l, s.subject) in self.has_focus and (l, k) not in self.focus:
                cost += self.w["off_focus"] * self.minutes[s.block]
            if self.same_skill[s.modality]:
                if (l, k) in self.mastered:
                    cost += self.w["review"]
                elif (l, k) in self.stretch:
                    cost += self.w["stretch"]
        if self.previous:
            prev = self.previous.get((l, s.block))
            if prev is not None and prev != s.key:
                cost += self.w["stability"]
        return cost

    def size_cost(self, s: _Session, size: int, count: int) -> int:
        return self.w["group_size"] * abs(size - self.mod_target[s.modality] * count)

    def count_for(self, s: _Session, size: int) -> int | None:
        """Sessions a pool needs to hold ``size`` learners: its count, or one fewer or one more
        (a room zone permitting) when the sizes would leave the modality's bounds; None when
        no count fits. A teacher-led session is one session (its bounds are checked apart)."""
        if s.teacher >= 0:
            return 1
        lo, hi = self.mod_min[s.modality], self.mod_max[s.modality]
        c = s.count
        if size == 0:
            return 0
        for n in (c, c - 1, c + 1):
            if n < 1 or not lo * n <= size <= hi * n:
                continue
            if n == 1 < c and self.holds_avoid_pair(s):
                continue  # one session could not keep the pair apart (see split_pool)
            if n > c and self.zones_used[(s.room, s.block)] >= self.room_zones[s.room]:
                continue
            return n
        return None

    def holds_avoid_pair(self, s: _Session) -> bool:
        """Whether two members of s avoid each other (one session could not hold both)."""
        avoid = self.prep.avoid
        return any(avoid.get(x, set()) & s.members for x in s.members if x in avoid)

    def _age_cost(self, i: int, age: int, change: int) -> int:
        ages = self.ages.get(i)
        if ages is None:
            return 0
        half = (self.mod_target[self.sessions[i].modality] + 1) // 2
        before = max(0, ages[age] - half)
        after = max(0, ages[age] + change - half)
        return self.w["age_mix"] * (after - before)

    # ---------------------------------------------------------------- feasibility
    def can_leave(self, s: _Session) -> bool:
        if s.teacher >= 0:
            return len(s.members) - 1 >= self.mod_min[s.modality]
        return self.count_for(s, len(s.members) - 1) is not None

    def can_join(self, l: int, s: _Session, src: _Session) -> bool:
        size = len(s.members) + 1
        if s.teacher >= 0 and size > self.mod_max[s.modality]:
            return False
        if self.count_for(s, size) is None:
            return False
        if not self.room_has_seat(s, src):
            return False
        partners = self.prep.avoid.get(l)
        if partners and partners & s.members:
            return False
        if s.teacher < 0:
            return True
        if size > self.max_group[l]:
            return False
        if s.members and min(self.max_group[x] for x in s.members) < size:
            return False
        return self._may_attend(l, s)

    def room_has_seat(self, s: _Session, src: _Session) -> bool:
        """Whether session s's room keeps within its capacity (rule 3) with a learner more
        from session src."""
        return s.room == src.room or self.room_load[(s.room, s.block)] < self.room_capacity[s.room]

    def _may_attend(self, l: int, s: _Session) -> bool:
        """Rules 5 and 8 for learner l in teacher-led session s: ready for its skill, the
        teacher's tags and the room's features."""
        if s.skill >= 0 and self.same_skill[s.modality] and (l, s.skill) not in self.allowed_pairs:
            return False
        if self.need_tags[l] & ~self.teacher_tags[s.teacher]:
            return False
        return not self.need_features[l] & ~self.room_features[s.room]

    def can_take_place(self, l: int, s: _Session, instead: int = -1) -> bool:
        """Whether l may be in teacher-led session s in place of member ``instead`` (sizes do
        not change)."""
        if len(s.members) > self.max_group[l] or not self._may_attend(l, s):
            return False
        partners = self.prep.avoid.get(l)
        return not partners or not (partners & s.members) - {instead}

    # ---------------------------------------------------------------- deltas
    def move_delta(self, l: int, i: int, j: int) -> int:
        """Change of the scaled objective when learner l moves from session i to j."""
        a, b = self.sessions[i], self.sessions[j]
        na, nb = len(a.members), len(b.members)
        ca, cb = self.count_for(a, na - 1), self.count_for(b, nb + 1)
        assert ca is not None and cb is not None
        d = self.learner_delta(l, a, b)
        d += self.size_cost(a, na - 1, ca) - self.size_cost(a, na, a.count)
        d += self.size_cost(b, nb + 1, cb) - self.size_cost(b, nb, b.count)
        if i not in self.ages and j not in self.ages:
            return d
        age = self.age[l]
        return d + self._age_cost(i, age, -1) + self._age_cost(j, age, +1)

    def swap_delta(self, l: int, i: int, x: int, j: int, dl: int) -> int:
        """Change of the objective when l (session i) and x (session j) trade places, given
        ``dl`` = learner_delta(l, i -> j): sizes do not change, ages may."""
        a, b = self.sessions[i], self.sessions[j]
        d = dl + self.learner_delta(x, b, a)
        if i in self.ages or j in self.ages:
            age_l, age_x = int(self.cp.learner_age[l]), int(self.cp.learner_age[x])
            if age_l != age_x:
                d += self._age_cost(i, age_l, -1) + self._age_cost(i, age_x, +1)
                d += self._age_cost(j, age_x, -1) + self._age_cost(j, age_l, +1)
        return d

    def learner_delta(self, l: int, a: _Session, b: _Session) -> int:
        """The terms of learner l alone when l moves from session a to b (same block): focus,
        review, stretch and stability, goal minutes, daily variety, teacher continuity."""
        w = self.w
        minutes = self.minutes[a.block]
        day = self.day_of[a.block]
        d = self.member_cost(l, b) - self.member_cost(l, a)
        ka, kb = (l, a.subject, a.modality), (l, b.subject, b.modality)
        if ka != kb:
            d += w["goal_shortfall"] * (
                self._short_change(ka, -minutes) + self._short_change(kb, minutes)
            )
        if a.subject != b.subject:
            cap = self.cap
            if a.subject >= 0:
                n = self.day_subject[(l, day, a.subject)]
                d += w["variety"] * (max(0, n - 1 - cap) - max(0, n - cap))
            if b.subject >= 0:
                n = self.day_subject[(l, day, b.subject)]
                d += w["variety"] * (max(0, n + 1 - cap) - max(0, n - cap))
        ta = a.teacher if a.subject >= 0 else -1
        tb = b.teacher if b.subject >= 0 else -1
        if ta >= 0 and tb >= 0 and a.subject == b.subject:
            if ta != tb:
                change = ((ta, -1), (tb, +1))
                d += w["continuity"] * _extra_teachers_change(self.teachers[(l, a.subject)], change)
        else:
            if ta >= 0:
                d += w["continuity"] * _extra_teachers_change(
                    self.teachers[(l, a.subject)], ((ta, -1),)
                )
            if tb >= 0:
                d += w["continuity"] * _extra_teachers_change(
                    self.teachers[(l, b.subject)], ((tb, +1),)
                )
        return d

    def set_count(self, i: int, count: int) -> None:
        s = self.sessions[i]
        self.zones_used[(s.room, s.block)] += count - s.count
        s.count = count

    def apply_move(self, l: int, i: int, j: int) -> None:
        cp = self.cp
        a, b = self.sessions[i], self.sessions[j]
        minutes = int(cp.block_minutes[a.block])
        day = int(cp.block_day[a.block])
        age = int(cp.learner_age[l])
        for s, size in ((a, len(a.members) - 1), (b, len(b.members) + 1)):
            count = self.count_for(s, size)
            assert count is not None
            self.zones_used[(s.room, s.block)] += count - s.count
            s.count = count
        a.members.remove(l)
        b.members.add(l)
        self.where[(l, a.block)] = j
        self.room_load[(a.room, a.block)] -= 1
        self.room_load[(b.room, b.block)] += 1
        if i in self.ages:
            self.ages[i][age] -= 1
        if j in self.ages:
            self.ages[j][age] += 1
        self.delivered[(l, a.subject, a.modality)] -= minutes
        self.delivered[(l, b.subject, b.modality)] += minutes
        if a.subject >= 0:
            self.day_subject[(l, day, a.subject)] -= 1
            if a.teacher >= 0:
                seen = self.teachers[(l, a.subject)]
                seen[a.teacher] -= 1
                if seen[a.teacher] == 0:
                    del seen[a.teacher]
        if b.subject >= 0:
            self.day_subject[(l, day, b.subject)] += 1
            if b.teacher >= 0:
                self.teachers[(l, b.subject)][b.teacher] += 1

    # ---------------------------------------------------------------- teacher swaps
    def _teacher_fits(self, t: int, s: _Session) -> bool:
        cp = self.cp
        if not cp.teacher_modalities[t, s.modality]:
            return False
        if s.skill >= 0 and not cp.teacher_can_skill[t, s.skill]:
            return False
        if s.subject >= 0 and not cp.teacher_subject[t, s.subject]:
            return False
        tags = int(cp.teacher_tags[t])
        return all(not int(cp.learner_need_tags[x]) & ~tags for x in s.members)

    def swap_teachers_delta(self, i: int, j: int) -> int | None:
        a, b = self.sessions[i], self.sessions[j]
        if (
            a.teacher == b.teacher
            or not self._teacher_fits(b.teacher, a)
            or not self._teacher_fits(a.teacher, b)
        ):
            return None
        return self._new_teachers_delta([(a, b.teacher), (b, a.teacher)])

    def can_lead(self, t: int, b: int) -> bool:
        """Whether teacher t may lead one more session at block b: available, leading none
        there, and under its maximum for that day (rule 2; the week's is checked apart)."""
        return (
            bool(self.cp.teacher_available[t, b])
            and t not in self.led[b]
            and self.day_led[(t, self.day_of[b])] < self.cp.teacher_max_day[t]
        )

    def hand_over_delta(self, i: int, u: int) -> int | None:
        """The change of the objective when teacher u, free at its block, leads session i in
        place of its teacher; None when u may not (rule 2, its tags, its maxima)."""
        cp = self.cp
        s = self.sessions[i]
        b, t = s.block, s.teacher
        if (
            u == t
            or not self.can_lead(u, b)
            or self.week[u] >= cp.teacher_max_week[u]
            or not self._teacher_fits(u, s)
        ):
            return None
        return self.load_delta(t, -1) + self.load_delta(u, 1) + self._new_teachers_delta([(s, u)])

    def _new_teachers_delta(self, change: list[tuple[_Session, int]]) -> int:
        """The change of continuity and stability when each session of ``change`` gets its new
        teacher (applied in turn on a scratch copy of the counters of the members concerned)."""
        seen: dict[tuple[int, int], Counter[int]] = {}
        for s, new in change:
            if s.subject < 0:
                continue
            for x in s.members:
                key = (x, s.subject)
                if key not in seen:
                    seen[key] = Counter(self.teachers[key])
                c = seen[key]
                c[s.teacher] -= 1
                c[new] += 1
        d = 0
        for key, c in seen.items():
            before = len(self.teachers[key])
            after = sum(1 for v in c.values() if v > 0)
            d += self.w["continuity"] * (max(0, after - 1) - max(0, before - 1))
        if self.previous:
            for s, new in change:
                rekeyed = (s.modality, s.subject, s.skill, new)
                for x in s.members:
                    prev = self.previous.get((x, s.block))
                    if prev is not None:
                        d += self.w["stability"] * (int(prev != rekeyed) - int(prev != s.key))
        return d

    def _set_teacher(self, s: _Session, new: int) -> None:
        """Session s's teacher becomes ``new`` in its members' continuity counters and in s."""
        if s.subject >= 0:
            for x in s.members:
                seen = self.teachers[(x, s.subject)]
                seen[s.teacher] -= 1
                if seen[s.teacher] == 0:
                    del seen[s.teacher]
                seen[new] += 1
        s.teacher = new

    def apply_swap(self, i: int, j: int) -> None:
        a, b = self.sessions[i], self.sessions[j]
        ta, tb = a.teacher, b.teacher
        self._set_teacher(a, tb)
        self._set_teacher(b, ta)

    def apply_hand_over(self, i: int, u: int) -> None:
        s = self.sessions[i]
        b, t, day = s.block, s.teacher, int(self.cp.block_day[s.block])
        self.week[t] -= 1
        self.week[u] += 1
        self.day_led[(t, day)] -= 1
        self.day_led[(u, day)] += 1
        self.led[b].discard(t)
        self.led[b].add(u)
        self._set_teacher(s, u)

    # ---------------------------------------------------------------- skill changes
    def retarget_delta(self, i: int, k: int) -> int | None:
        cp, prep = self.cp, self.prep
        s = self.sessions[i]
        if not cp.teacher_can_skill[s.teacher, k]:
            return None
        if cp.mod_mix[s.modality] == MIX_SAME_SKILL and not all(
            prep.allowed[x, k] for x in s.members
        ):
            return None
        old = s.skill
        before = sum(self.member_cost(x, s) for x in s.members)
        s.skill = k
        after = sum(self.member_cost(x, s) for x in s.members)
        s.skill = old
        return after - before

    # ---------------------------------------------------------------- new sessions
    def _add(self, s: _Session) -> int:
        """Append session s and count it in every index and counter; its number."""
        cp = self.cp
        i = len(self.sessions)
        self.sessions.append(s)
        b = s.block
        self.by_block[b].append(i)
        if s.skill >= 0 and self.same_skill[s.modality]:
            self.by_skill[(b, s.skill)].append(i)
        else:
            self.by_block_other[b].append(i)
        if cp.mod_mix[s.modality] == MIX_DIVERSE:
            self.ages[i] = Counter(int(cp.learner_age[x]) for x in s.members)
        self.zones_used[(s.room, b)] += s.count
        self.room_load[(s.room, b)] += len(s.members)
        day = int(cp.block_day[b])
        if s.teacher >= 0:
            self.week[s.teacher] += 1
            self.day_led[(s.teacher, day)] += 1
            self.led[b].add(s.teacher)
        minutes = int(cp.block_minutes[b])
        for x in s.members:
            self.where[(x, b)] = i
            self.delivered[(x, s.subject, s.modality)] += minutes
            if s.subject >= 0:
                self.day_subject[(x, day, s.subject)] += 1
                if s.teacher >= 0:
                    self.teachers[(x, s.subject)][s.teacher] += 1
        return i

    def open_session(self, b: int, m: int, subject: int, k: int, t: int, r: int) -> int:
        """An empty teacher-led session; ``close_session`` undoes it while it is still last."""
        return self._add(_Session(b, m, subject, k, t, r, set(), 1))

    def open_pool(self, b: int, m: int, subject: int, r: int) -> int:
        """An empty teacherless pool of no session yet."""
        return self._add(_Session(b, m, subject, -1, -1, r, set(), 0))

    def can_open_pool(self, b: int, m: int, subject: int, r: int) -> bool:
        """Whether room r is open at block b and holds no pool of (m, subject) yet: the plan's
        pools of one room, block and kind are one pool (``even_pools`` splits them by size,
        not by who avoids whom), so a second one would undo what ``can_join`` kept apart."""
        if not self.cp.room_available[r, b]:
            return False
        return not any(
            (p.teacher < 0 and p.room == r and p.modality == m and p.subject == subject)
            for p in (self.sessions[i] for i in self.by_block_other[b])
        )

    def _unindex(self, i: int) -> None:
        """Take empty session i out of every index and counter ``_add`` put it in."""
        s = self.sessions[i]
        assert not s.members
        self.by_block[s.block].remove(i)
        if s.skill >= 0 and self.same_skill[s.modality]:
            self.by_skill[(s.block, s.skill)].remove(i)
        else:
            self.by_block_other[s.block].remove(i)
        self.ages.pop(i, None)
        self.zones_used[(s.room, s.block)] -= s.count
        if s.teacher >= 0:
            self.week[s.teacher] -= 1
            self.day_led[(s.teacher, int(self.cp.block_day[s.block]))] -= 1
            self.led[s.block].discard(s.teacher)

    def close_session(self, i: int) -> None:
        """Undo ``open_session`` of session i, still last and empty."""
        assert i == len(self.sessions) - 1 and self.sessions[i].teacher >= 0
        self._unindex(i)
        self.sessions.pop()

    def close_pool(self, i: int) -> None:
        """Undo ``open_pool`` of pool i, still last and empty."""
        assert i == len(self.sessions) - 1 and self.sessions[i].teacher < 0
        assert self.sessions[i].count == 0
        self._unindex(i)
        self.sessions.pop()

    def retire(self, i: int) -> None:
        """Take empty teacher-led session i out of every index and counter; it stays in the
        list with count 0 (indices of other sessions do not move)."""
        s = self.sessions[i]
        assert s.teacher >= 0 and s.count == 1
        self._unindex(i)
        s.count = 0

    def load_delta(self, t: int, change: int) -> int:
        fair = int(self.cp.teacher_fair[t])
        n = self.week[t]
        return self.w_load * (max(0, n + change - fair) - max(0, n - fair))

    def plan(self) -> list[Sess]:
        out = []
        for s in self.sessions:
            if s.teacher >= 0:
                if s.count == 0:  # retired (see retire)
                    continue
                out.append(
                    Sess(
                        s.block,
                        s.modality,
                        s.subject,
                        s.skill,
                        s.teacher,
                        s.room,
                        tuple(sorted(s.members)),
                    )
                )
            else:
                # placeholders of the right count; even_pools re-splits them
                members = sorted(s.members)
                for c in range(s.count):
                    out.append(
                        Sess(
                            s.block,
                            s.modality,
                            s.subject,
                            -1,
                            -1,
                            s.room,
                            tuple(members[c :: s.count]),
                        )
                    )
        return out


def _extra_teachers_change(seen: Counter[int], change: Sequence[tuple[int, int]]) -> int:
    """Change of max(0, distinct teachers − 1) when sessions per teacher change by ``change``
    (distinct teachers, at most two entries)."""
    before = len(seen)
    after = before
    for t, dv in change:
        old = seen[t]
        if old > 0 and old + dv == 0:
            after -= 1
        elif old == 0 and dv > 0:
            after += 1
    return max(0, after - 1) - max(0, before - 1)


def _candidates(st: _State, l: int, i: int) -> list[int]:
    """Sessions of the same block that learner l could usefully join: teacher-led ones of a
    (subject, modality) the learner has a goal in (same-skill ones only on an allowed skill),
    and teacherless pools."""
    src = st.sessions[i]
    b = src.block
    out: list[int] = []
    wanted = st.goal_keys[l]
    for k in st.allowed_skills[l]:
        for j in st.by_skill.get((b, k), ()):
            s = st.sessions[j]
            if (s.subject, s.modality) in wanted:
                out.append(j)
    for j in st.by_block_other[b]:
        s = st.sessions[j]
        if s.teacher < 0 or (s.subject, s.modality) in wanted:
            out.append(j)
    return [j for j in out if j != i]


def _worth(st: _State, l: int, i: int) -> bool:
    """Whether learner l's place in session i could pay to change: a goal still short, or a
    session above its target size, or a teacher-led session that is off the learner's focus,
    adds a teacher, or over-delivers."""
    if st.short_any(l):
        return True
    s = st.sessions[i]
    if s.teacher < 0:
        return False
    if len(s.members) > st.mod_target[s.modality]:
        return True
    if st.member_cost(l, s) > 0:
        return True
    if s.subject >= 0 and len(st.teachers[(l, s.subject)]) > 1:
        return True
    key = (l, s.subject, s.modality)
    total = st.goal_total.get(key)
    return total is None or st.delivered[key] - st.minutes[s.block] >= total


def polish(
    cp: CompiledProblem,
    prep: Prepared,
    plan: Sequence[Sess],
    *,
    weights: Mapping[str, int],
    previous: Mapping[tuple[int, int], Key] | None,
    rng: np.random.Generator,
    deadline: float,
    max_passes: int = PASSES,
    recourse: bool = True,
    learners_first: bool = True,
) -> tuple[list[Sess], PolishStats]:
    """Improve ``plan`` by first-improvement local search until ``deadline``, ``max_passes``
    passes, or a pass that adds under 1 % of the gain so far; ``recourse`` re-seats the
    sessions of each skill (:func:`_recourse`, the slowest move). Without ``learners_first``
    the first pass leaves out the learners' moves and starts with the moves after them (for
    a plan whose last local search the clock stopped in those moves: the stats say so)."""
    t0 = time.monotonic()
    st = _State(cp, prep, plan, weights, previous)
    st.deadline = deadline
    stats = PolishStats()
    keys = list(st.where)
    for _ in range(max_passes):
        if time.monotonic() >= st.deadline:
            break
        stats.passes += 1
        # goals short first: a minute short costs as much as five learners off target, and a
        # pass cut by the clock never reaches the end, where sessions open for them too (xl,
        # whose later passes were all cut: 210 goal minutes short at 60 s, none after this)
        gained = _new_sessions(st, stats, rng) if _short_goals(st) else 0
        gained += _teacher_swaps(st, stats)
        order = rng.permutation(len(keys))
        if not learners_first and stats.passes == 1:
            order = order[:0]
        for n, idx in enumerate(order):
            if n % 512 == 0 and time.monotonic() >= st.deadline:
                stats.cut_in_moves = True
                break
            l, b = keys[int(idx)]
            i = st.where[(l, b)]
            src = st.sessions[i]
            if not st.can_leave(src) or not _worth(st, l, i):
                continue
            best, best_j = 0, -1
            for j in _candidates(st, l, i):
                dst = st.sessions[j]
                if not st.can_join(l, dst, src):
                    continue
                d = st.move_delta(l, i, j)
                if d < best:
                    best, best_j = d, j
            if best_j >= 0:
                st.apply_move(l, i, best_j)
                stats.moves += 1
                gained -= best
            elif src.teacher >= 0:
                g = _swap_learners(st, stats, l, i)
                gained += g if g else _shift_block(st, stats, l, i)
            elif st.short_any(l):
                needy = st.need_features[l] or st.need_tags[l]
                g = _join_with_help(st, stats, l, i) if needy else 0
                gained += g if g else _take_a_seat(st, stats, l, i)
        for step in (
            _retargets,
            _regroup,
            _open_groups,
            _split_courses,
            _reblock,
            _close_sessions,
            _recourse if recourse else _no_step,
            _hand_overs,
            _own_teachers,
            _recount_pools,
            _drain_groups,
            _rebalance_pools,
            _decrowd,
        ):
            if time.monotonic() < st.deadline:
                gained += step(st, stats)
        if time.monotonic() < st.deadline:
            gained += _new_sessions(st, stats, rng)
        stats.gain += gained
        log.debug("polish pass %d: gain %d at %.1f s", stats.passes, gained, time.monotonic() - t0)
        # the first pass finds nearly all; stop once a pass adds under 1 % of the gain so far
        if gained <= 0.01 * stats.gain:
            break
    stats.seconds = time.monotonic() - t0
    log.info(
        "polish: %d passes, %d moves, %d learner swaps, %d block shifts, %d teacher swaps, "
        "%d sessions handed over, %d rooms and %d teachers traded for a learner's needs, "
        "%d seats given up to learners short, "
        "%d skill changes, %d new sessions, %d pool recounts, %d pools from groups, "
        "%d room spreads, %d regroupings, %d new groups, %d courses split, %d groups moved, "
        "%d closed, %d moved from crowded blocks, %d skills re-seated, gain %d, "
        "%.1f s",
        stats.passes,
        stats.moves,
        stats.learner_swaps,
        stats.shifts,
        stats.swaps,
        stats.handed_over,
        stats.rooms_traded,
        stats.teachers_traded,
        stats.seats_taken,
        stats.retargets,
        stats.opened,
        stats.recounted,
        stats.drained,
        stats.rebalanced,
        stats.regrouped,
        stats.groups,
        stats.split,
        stats.reblocked,
        stats.closed,
        stats.decrowded,
        stats.recoursed,
        stats.gain,
        stats.seconds,
    )
    return even_pools(cp, prep, st.plan()), stats


def _no_step(st: _State, stats: PolishStats) -> int:
    return 0


def _teacher_swaps(st: _State, stats: PolishStats) -> int:
    gained = 0
    for idxs in st.by_block.values():
        led = [i for i in idxs if st.sessions[i].teacher >= 0 and st.sessions[i].subject >= 0]
        for x, i in enumerate(led):
            for j in led[x + 1 :]:
                if st.sessions[i].subject != st.sessions[j].subject:
                    continue
                d = st.swap_teachers_delta(i, j)
                if d is not None and d < 0:
                    st.apply_swap(i, j)
                    stats.swaps += 1
                    gained -= d
    return gained


def _hand_overs(st: _State, stats: PolishStats) -> int:
    """A session of a teacher over its fair load goes to a teacher below its own who is free
    at the block and may lead it, where the load saved pays for the members' continuity: the
    only move here that changes load_balance without opening or closing a session (large
    preset: 73 community meetings of teachers over their fair loads had such a teacher)."""
    cp = st.cp
    gained = 0
    below = [u for u in range(cp.n_teachers) if st.week[u] < int(cp.teacher_fair[u])]
    if not below:
        return 0
    for i, s in _led_sessions(st):
        if st.week[s.teacher] <= int(cp.teacher_fair[s.teacher]):
            continue
        gained += _hand_over(st, stats, i, [u for u in below if st.week[u] < cp.teacher_fair[u]])
    return gained


def _hand_over(st: _State, stats: PolishStats, i: int, teachers: Iterable[int]) -> int:
    """Session i goes to the one of ``teachers`` that lowers the objective most, if any; the
    gain."""
    best, best_u = 0, -1
    for u in teachers:
        d = st.hand_over_delta(i, u)
        if d is not None and d < best:
            best, best_u = d, u
    if best_u < 0:
        return 0
    st.apply_hand_over(i, best_u)
    stats.handed_over += 1
    return -best


def _own_teachers(st: _State, stats: PolishStats) -> int:
    """A session of a subject goes to another teacher its members have in that subject (the
    three most shared), free at its block and allowed to lead it, where the continuity saved
    pays for the loads (a math conference led by a teacher the learner does not otherwise
    have, say)."""
    gained = 0
    for i, s in _led_sessions(st):
        if s.subject < 0:
            continue
        others: Counter[int] = Counter()
        for x in s.members:
            others.update(u for u in st.teachers[(x, s.subject)] if u != s.teacher)
        gained += _hand_over(st, stats, i, [u for u, _ in others.most_common(3)])
    return gained


def _retargets(st: _State, stats: PolishStats) -> int:
    cp = st.cp
    gained = 0
    for i, s in enumerate(st.sessions):
        if s.teacher < 0 or s.skill < 0:
            continue
        # the focus skills of the members are the only ones that could lower the cost
        wanted = Counter(
            int(k)
            for x in s.members
            for k in np.flatnonzero(cp.focus[x])
            if cp.skill_subject[k] == s.subject
        )
        best, best_k = 0, -1
        for k, _ in wanted.most_common(4):
            if k == s.skill:
                continue
            d = st.retarget_delta(i, k)
            if d is not None and d < best:
                best, best_k = d, k
        if best_k >= 0:
            old = s.skill
            if cp.mod_mix[s.modality] == MIX_SAME_SKILL:
                st.by_skill[(s.block, old)].remove(i)
                st.by_skill[(s.block, best_k)].append(i)
            s.skill = best_k
            stats.retargets += 1
            gained -= best
    return gained


def _short_goals(st: _State) -> list[tuple[int, int, int]]:
    """The teacher-led goals (learner, subject, modality) the plan leaves short."""
    cp = st.cp
    return [
        key
        for key, total in st.goal_total.items()
        if cp.mod_teacher[key[2]] and st.delivered[key] < total
    ]


def _new_sessions(st: _State, stats: PolishStats, rng: np.random.Generator) -> int:
    """For goals still short, open a session with a free teacher in a block where the learner
    sits in a teacherless pool, and fill it with pooled learners whose move pays."""
    cp = st.cp
    short = _short_goals(st)
    gained = 0
    for n in rng.permutation(len(short)):
        if time.monotonic() >= st.deadline:
            break
        l, subject, m = short[int(n)]
        if st.delivered[(l, subject, m)] >= st.goal_total[(l, subject, m)]:
            continue
        pooled_blocks = [
            b
            for b in map(int, rng.permutation(cp.n_blocks))
            if (l, b) in st.where and st.sessions[st.where[(l, b)]].teacher < 0
        ]
        for b in pooled_blocks:
            d = _open_for(st, l, subject, m, b)
            if d is not None:
                gained -= d
                stats.opened += 1
                break
    return gained


def _free_teachers(st: _State, l: int, subject: int, m: int, b: int) -> list[int]:
    cp = st.cp
    ok = (
        cp.teacher_available[:, b]
        & cp.teacher_modalities[:, m]
        & ((cp.teacher_tags & cp.learner_need_tags[l]) == cp.learner_need_tags[l])
    )
    if subject >= 0:
        ok &= cp.teacher_subject[:, subject]
    if cp.mod_skill[m]:
        # qualified for a skill the learner may attend (the subject's levels are split)
        ks = cp.skill_subject == subject
        if cp.mod_mix[m] == MIX_SAME_SKILL:
            ks = ks & st.prep.allowed[l]
        ok &= cp.teacher_can_skill[:, ks].any(axis=1)
    out = [
        int(t)
        for t in np.flatnonzero(ok)
        if st.can_lead(int(t), b) and st.week[int(t)] < cp.teacher_max_week[t]
    ]
    seen = st.teachers.get((l, subject), _NO_TEACHERS) if subject >= 0 else _NO_TEACHERS
    # the learner's own teachers first, then those furthest below their fair load
    out.sort(key=lambda t: (-seen[t], st.week[t] - int(cp.teacher_fair[t])))
    return out[:3]


def _skills_for(st: _State, l: int, subject: int, m: int, t: int, pooled: list[int]) -> list[int]:
    """Two skills for a new session of learner l with teacher t: those enough ``pooled``
    learners may attend to reach the minimum size first, then l's focus skills, then the most
    attended (a learner whose focus skill no one else may attend gets a group on another of
    its skills rather than none)."""
    cp = st.cp
    if not cp.mod_skill[m]:
        return [-1]
    ks = np.flatnonzero(cp.teacher_can_skill[t] & (cp.skill_subject == subject))
    if cp.mod_mix[m] != MIX_SAME_SKILL:
        return sorted(map(int, ks), key=lambda k: not cp.focus[l, k])[:2]
    ks = ks[st.prep.allowed[l, ks]]
    peers = st.prep.allowed[np.ix_(np.asarray(pooled, dtype=np.int64), ks)].sum(axis=0)
    enough = peers >= int(cp.mod_min[m]) - 1
    order = np.lexsort((-peers, ~cp.focus[l, ks], ~enough))
    return [int(ks[i]) for i in order[:2]]


def _open_for(st: _State, l: int, subject: int, m: int, b: int) -> int | None:
    """Open the best paying session for learner l's goal (subject, m) at block b; its change
    of objective, or None (and nothing changed) when none pays."""
    cp = st.cp
    lo = int(cp.mod_min[m])
    src_l = st.where[(l, b)]
    if not st.can_leave(st.sessions[src_l]):
        return None
    feats = cp.session_features(m, subject)
    feats |= int(cp.learner_need_features[l])
    rooms = [
        int(r)
        for r in np.flatnonzero(cp.room_available[:, b] & ((cp.room_features & feats) == feats))
        if st.zones_used[(int(r), b)] < cp.room_zones[r] and cp.room_capacity[r] >= lo
    ]
    here = st.sessions[src_l].room
    forced: list[int] = []
    shrink = moved = -1
    if not rooms:
        freed = _free_a_room(st, b, feats, lo)
        pool = st.sessions[src_l]
        own = pool.teacher < 0 and (int(cp.room_features[here]) & feats) == feats
        if freed >= 0:
            rooms = [freed]
        elif own and pool.count == 1 and len(pool.members) <= int(cp.mod_max[m]):
            # the learner's own pool, in one session, becomes the new session: all of it joins
            rooms, forced = [here], sorted(pool.members - {l})
        elif (
            own
            and pool.count > 1
            and len(pool.members) - int(cp.mod_max[m])
            <= int(cp.mod_max[pool.modality]) * (pool.count - 1)
        ):
            # the learner's own pool, in several sessions, gives up one session's zone (its
            # other sessions can hold those who stay)
            rooms, shrink = [here], src_l
        else:
            # a pool, here or in the room a session leaves for, gives up one session's zone
            found = _room_over_pool(st, b, feats, lo)
            if found is None:
                return None
            rooms, moved, shrink = [found[0]], found[1], found[2]
    room = here if here in rooms else _roomiest(st, rooms, b)
    pooled = [
        x
        for i in st.by_block[b]
        if st.sessions[i].teacher < 0
        for x in st.sessions[i].members
        if x != l and x not in forced
    ]
    for t in _free_teachers(st, l, subject, m, b):
        for k in _skills_for(st, l, subject, m, t, pooled):
            d = _try_session(st, l, (b, m, subject, k, t, room), pooled, forced, shrink)
            if d is not None:
                return d
    if moved >= 0:
        _relocate(st, moved, room)
    return None


def _shrinkable_pools(st: _State, b: int) -> list[int]:
    """The teacherless pools of block b that can meet in one session fewer, cheapest first."""
    cp = st.cp
    out: list[tuple[int, int]] = []
    for i in st.by_block[b]:
        p = st.sessions[i]
        if p.teacher >= 0 or p.count < 2:
            continue
        n, c = len(p.members), p.count
        lo, hi = int(cp.mod_min[p.modality]), int(cp.mod_max[p.modality])
        if not lo * (c - 1) <= n <= hi * (c - 1) or (c == 2 and st.holds_avoid_pair(p)):
            continue
        out.append((st.size_cost(p, n, c - 1) - st.size_cost(p, n, c), i))
    return [i for _, i in sorted(out)]


def _relocate(st: _State, i: int, room: int) -> None:
    s = st.sessions[i]
    n = len(s.members)
    st.zones_used[(s.room, s.block)] -= 1
    st.room_load[(s.room, s.block)] -= n
    st.zones_used[(room, s.block)] += 1
    st.room_load[(room, s.block)] += n
    s.room = room


def _room_over_pool(st: _State, b: int, feats: int, seats: int) -> tuple[int, int, int] | None:
    """A room with ``feats`` and ``seats`` at block b for a new session, where every zone is
    taken: a pool in such a room meets in one session fewer, or a teacher-led session there
    moves to the room of a pool elsewhere that will. (room, moved session or -1, pool to
    shrink), or None; the caller undoes the move with :func:`_relocate` if it is not kept."""
    cp = st.cp
    pools = _shrinkable_pools(st, b)
    if not pools:
        return None
    fits = cp.room_available[:, b] & ((cp.room_features & feats) == feats)
    fits &= cp.room_capacity >= seats
    for p in pools:
        if fits[st.sessions[p].room]:
            return st.sessions[p].room, -1, p
    for i in st.by_block[b]:
        s = st.sessions[i]
        if s.teacher < 0 or not fits[s.room]:
            continue
        need = _needs(st, s)
        for p in pools:
            r2 = st.sessions[p].room
            if _may_move_to(st, s, need, r2, feats):
                room = s.room
                _relocate(st, i, r2)
                return room, i, p
    return None


def _try_session(
    st: _State,
    l: int,
    what: tuple[int, int, int, int, int, int],
    pooled: list[int],
    forced: Sequence[int] = (),
    shrink: int = -1,
) -> int | None:
    """Open session ``what`` = (block, modality, subject, skill, teacher, room) with learner l,
    the ``forced`` learners (the rest of l's pool when the session takes its room's only free
    place) and the pooled learners whose moves pay (or are needed to reach the minimum size);
    pool ``shrink`` (when not -1) then meets in one session fewer to leave the room's zone
    to it. Keep it when the objective falls and the room's zones hold, else undo everything
    and return None."""
    cp = st.cp
    b, m, _, _, t, _ = what
    lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
    # Σ move deltas counts the empty session as |0 − target| off target; it costs nothing
    total = st.load_delta(t, +1) + st.w["group_size"] * target
    i = st.open_session(*what)
    ses = st.sessions[i]
    moved: list[tuple[int, int, int]] = []  # (learner, session it came from, its count)
    shrunk = 0  # the count of pool ``shrink`` before it gave up a zone

    def fits(x: int) -> bool:
        src = st.sessions[st.where[(x, b)]]
        return st.can_leave(src) and st.can_join(x, ses, src)

    if fits(l):
        k = what[3]
        if k >= 0 and st.same_skill[m]:  # only learners allowed on the skill may join
            pooled = [x for x in pooled if (x, k) in st.allowed_pairs]
        # priced: the learners short of the session's goal, those it keeps with a teacher
        # they have, and a few more (the others' moves differ little: surplus minutes
        # and a pool's size)
        subject = what[2]
        keen: list[int] = []
        rest: list[int] = []
        for x in pooled:
            mine = st.short_of((x, subject, m)) > 0 or t in st.teachers.get((x, subject), ())
            (keen if mine else rest).append(x)
        pooled = keen + rest[: 4 * hi]
        others = sorted(
            (x for x in pooled if fits(x)), key=lambda x: st.move_delta(x, st.where[(x, b)], i)
        )
        must = {l, *forced}
        ranked = [l, *forced, *others[: 4 * hi]]
        for x in ranked:
            if len(ses.members) >= hi:
                break
            if not fits(x):
                continue
            src = st.where[(x, b)]
            d = st.move_delta(x, src, i)
            if x in must or len(ses.members) < lo or d < 0:
                total += d
                moved.append((x, src, st.sessions[src].count))
                st.apply_move(x, src, i)
        room = what[5]
        p = st.sessions[shrink] if shrink >= 0 else None
        if p is not None and st.zones_used[(p.room, b)] > cp.room_zones[p.room]:
            n, c = len(p.members), p.count
            p_lo, p_hi = int(cp.mod_min[p.modality]), int(cp.mod_max[p.modality])
            if (
                c > 1
                and p_lo * (c - 1) <= n <= p_hi * (c - 1)
                and not (c == 2 and st.holds_avoid_pair(p))
            ):
                total += st.size_cost(p, n, c - 1) - st.size_cost(p, n, c)
                st.set_count(shrink, c - 1)
                shrunk = c
        if (
            len(ses.members) >= lo
            and total < 0
            and must <= ses.members
            and st.zones_used[(room, b)] <= cp.room_zones[room]
            and (p is None or st.zones_used[(p.room, b)] <= cp.room_zones[p.room])
        ):
            return total
    if shrunk:
        st.set_count(shrink, shrunk)  # before its learners come back, as it was when they left
    for x, src, count in reversed(moved):
        st.apply_move(x, i, src)
        st.set_count(src, count)
    st.close_session(i)
    return None


def _reblock(st: _State, stats: PolishStats) -> int:
    """A teacher-led session moves, whole, to another block where its teacher and every member
    are free (members working alone there), in its room or another with what it needs:

    - when members are short of goal minutes, to a longer block: blocks differ in length, and
      a group that meets in a 45-minute block may leave a 60-minute goal short where no other
      session can meet;
    - when members have more sessions of its subject that day than the daily cap allows, to a
      block of another day (a group meeting twice a day, one learner moving at a time, pays
      ``variety`` for every member until the last moves).

    Its members and teacher stay the same; each learner's move is priced exactly and it is all
    undone unless the objective falls."""
    cp = st.cp
    gained = 0
    longest = sorted(range(cp.n_blocks), key=lambda b: -st.minutes[b])
    for i, s in _led_sessions(st):
        if any(st.short_of((x, s.subject, s.modality)) for x in s.members):
            targets = [b for b in longest if st.minutes[b] > st.minutes[s.block]]
        elif s.subject >= 0 and st.w["variety"] and _over_cap(st, s):
            day = int(cp.block_day[s.block])
            targets = [b for b in longest if int(cp.block_day[b]) != day]
        else:
            continue
        for b2 in targets:
            d = _try_reblock(st, i, b2)
            if d is not None:
                gained -= d
                stats.reblocked += 1
                break
    return gained


def _led_sessions(st: _State) -> Iterator[tuple[int, _Session]]:
    """The teacher-led sessions that meet and have members, by number, until the deadline
    (not those the caller opens meanwhile)."""
    for i in range(len(st.sessions)):
        s = st.sessions[i]
        if i % 64 == 0 and time.monotonic() >= st.deadline:
            return
        if s.teacher >= 0 and s.count and s.members:
            yield i, s


def _close_sessions(st: _State, stats: PolishStats) -> int:
    """A teacher-led session whose members meet their goals without it closes: each member
    moves to the cheapest session of the block it may join (teacherless work, another group),
    and its teacher leads one session fewer. A group that meets more often than its members'
    goals need (a 120-minute goal in a group meeting three hours) keeps its sittings one move
    at a time, as each learner leaving costs the group a learner off target; closed whole, it
    gives the teacher's session back. A session of no subject (a community meeting held once
    more for a member or two the first missed) closes too when those members, at most
    ``SHIFTS``, each join a session of its kind in another block where they work alone
    (:func:`_shift_in`): no teacher or focus of theirs changes. Priced exactly, undone unless
    the objective falls."""
    cp = st.cp
    gained = 0
    slack: dict[int, int] = {}
    for i, s in _led_sessions(st):
        minutes = int(cp.block_minutes[s.block])
        keys = [(x, s.subject, s.modality) for x in s.members]
        short = [k[0] for k in keys if st._short(k, st.delivered[k] - minutes) > st.short_of(k)]
        if short and (s.subject >= 0 or len(short) > SHIFTS):
            continue
        d = _try_close(st, i, short, slack)
        if d is not None:
            gained -= d
            stats.closed += 1
    return gained


def _try_close(
    st: _State, i: int, short: Sequence[int] = (), slack: dict[int, int] | None = None
) -> int | None:
    """Close session i, its members moving to the cheapest sessions of its block and those in
    ``short`` then taking a sitting elsewhere (:func:`_close_sessions`): the change of the
    scaled objective, or None (nothing changed) unless it falls. ``slack`` keeps what
    reseating each block's pools would gain (:func:`_pool_slack`) between calls."""
    s = st.sessions[i]
    slack = {} if slack is None else slack
    # what reseating the block's pools would gain without closing, when they are crowded
    # (see below)
    alone: int | None = None
    if st.w["group_size"] and _pools_over(st, s.block) > 0:
        if s.block not in slack:
            slack[s.block] = _pool_slack(st, s.block)
        alone = slack[s.block]
    # the teacher's session less; the moves count the empty session |0 - target| off target
    total = st.load_delta(s.teacher, -1) - st.size_cost(s, 0, 1)
    done = _Compound(st)
    for x in sorted(s.members):
        best: tuple[int, int] | None = None
        for j in st.by_block[s.block]:
            dst = st.sessions[j]
            if j == i or (dst.teacher >= 0 and dst.count == 0) or not st.can_join(x, dst, s):
                continue
            d = st.move_delta(x, i, j)
            if best is None or d < best[0]:
                best = (d, j)
        if best is None and not done.opened:
            # no teacherless work in the block to join: open a pool in the session's room
            p = _open_pool_for(st, x, i, done.opened)
            if p is not None:
                best = (st.move_delta(x, i, p), p)
        if best is None:
            break  # no place for x: undo
        total += done.move(x, i, best[1])
    placed = not s.members
    for x in short if placed else ():
        shift = _shift_in(st, x, s)
        if shift is None:
            placed = False  # no other sitting for x: undo
            break
        total += done.move(x, *shift)
    if placed and total < 0:
        st.retire(i)
        for _, _, j in done.moved:
            slack.pop(st.sessions[j].block, None)
        return total
    if placed and alone is not None:
        # the block's pools, reseated with the session's zone, may pay for it: the learners
        # whose goals are met crowd them
        change = _retire_into_pools(st, (i,), (s.block,), total, alone)
        if change is not None:
            for _, _, j in done.moved:
                slack.pop(st.sessions[j].block, None)
            return change
    done.undo()
    return None


def _recourse(st: _State, stats: PolishStats) -> int:
    """The learners of the sessions on one skill (of a teacher-led skill-focus modality that
    mixes no ages, and a subject) are re-seated in those sessions all at once, by a small
    CP-SAT program (:func:`_try_recourse`): each learner takes the sittings its goal needs,
    with one teacher where it can, and a session no one needs closes. Courses of learners who
    need different numbers of sittings (a 120-minute goal in a group meeting three hours)
    leave seats a learner sits only to fill; here the learners of several courses on a skill
    sort themselves by what they need, and the meetings they fill no more give their
    teachers' sessions back. The sessions of a skill some members sit off focus in are
    re-seated with those on these members' focus skills too (:func:`_focus_groups`): two
    learners off focus in full groups, each on the other's focus, trade courses whole (one
    sitting at a time would give each a second teacher). Priced exactly, undone unless the
    objective falls; sessions re-seated to no avail are not tried again while their members
    stay."""
    skills: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, s in _led_sessions(st):
        # the program counts no ages: not the modalities that mix them
        if s.skill >= 0 and st.led_skill[s.modality] and st.cp.mod_mix[s.modality] != MIX_DIVERSE:
            skills[(s.modality, s.subject, s.skill)].append(i)
    # (sessions, whether to try only when they leave something to re-seat)
    groups = [(g, True) for _, g in sorted(skills.items()) if 2 <= len(g) <= RECOURSE_MAX]
    groups += [(g, False) for g in _focus_groups(st, skills)]
    gained = 0
    slack: dict[int, int] = {}  # block -> what reseating its pools would gain (_pool_slack)
    for group, check in groups:
        if time.monotonic() >= st.deadline:
            break
        group = [i for i in group if st.sessions[i].count and st.sessions[i].members]
        if len(group) < 2 or (check and not _slack_in(st, group)):
            continue
        seen = frozenset((i, frozenset(st.sessions[i].members)) for i in group)
        if seen in st.recourse_tried:
            continue  # tried as it stands: no better seating
        d = _try_recourse(st, group, slack)
        if d is None:
            st.recourse_tried.add(seen)
        else:
            gained -= d
            stats.recoursed += 1
    return gained


def _focus_groups(st: _State, skills: Mapping[tuple[int, int, int], list[int]]) -> list[list[int]]:
    """For each skill some members sit off focus in, its sessions and those on these members'
    focus skills (of the same modality and subject), at most ``RECOURSE_MAX`` in all."""
    cp = st.cp
    out = []
    for (m, subject, _), group in sorted(skills.items()):
        if len(group) >= RECOURSE_MAX:
            continue
        off = sorted(
            {
                x
                for i in group
                for x in st.sessions[i].members
                if st.sits_off_focus(x, st.sessions[i])
            }
        )
        extra: list[int] = []
        for x in off:
            for f in np.flatnonzero(cp.focus[x] & (cp.skill_subject == subject)).tolist():
                extra.extend(i for i in skills.get((m, subject, f), ()) if i not in extra)
        if extra:
            out.append(group + extra[: RECOURSE_MAX - len(group)])
    return out


def _slack_in(st: _State, group: list[int]) -> bool:
    """Whether the sessions of ``group`` leave something to re-seat: one away from its target
    size, or a member that meets its goal without one of its sittings there."""
    target = st.mod_target[st.sessions[group[0]].modality]
    if any(len(st.sessions[i].members) != target for i in group):
        return True
    for i in group:
        s = st.sessions[i]
        minutes = st.minutes[s.block]
        for x in s.members:
            key = (x, s.subject, s.modality)
            if st._short(key, st.delivered[key] - minutes) <= st.short_of(key):
                return True
    return False


def _try_recourse(st: _State, group: list[int], slack: dict[int, int]) -> int | None:
    """Re-seat the members of the teacher-led sessions ``group`` (one modality and subject,
    one skill or the skills of :func:`_focus_groups`) over those sessions at the least cost a
    CP-SAT program finds, then move them there (those left out to the cheapest teacherless
    work of the block) and retire the sessions left empty: the change of the scaled
    objective, or None (nothing changed) unless it falls. ``slack`` keeps what reseating each
    block's pools would gain between calls.

    The program prices what the moves change, as the objective does: sizes away from the
    target, goal minutes short, each sitting's member costs (off focus, review, stretch),
    teachers per learner and subject, blocks over the daily cap, teachers' sessions over
    their fair loads. It leaves out the teacherless pools the learners leave or join: the
    moves price them, and :func:`_reseat_courses` reseats them with the zones of the sessions
    that close (with a seat off target counted for each learner joining or leaving them, the
    local search gained 174 of the 292 it gains with this on `large` from one construction).
    It holds the hard rules the moves touch: a learner in one session a block, and only where
    it is free (in teacherless work or in one of these sessions), may attend the session
    (tags, room features) and is not with a learner it avoids; sizes within the modality's
    bounds, every member's maximum and the room's free seats."""
    cp = st.cp
    ses = [st.sessions[i] for i in group]
    m, subject = ses[0].modality, ses[0].subject
    lo, hi, target = st.mod_min[m], st.mod_max[m], st.mod_target[m]
    w = st.w
    in_group = {i: n for n, i in enumerate(group)}
    members = sorted(set().union(*(s.members for s in ses)))
    model = cp_model.CpModel()
    cost: list[tuple[int, cp_model.IntVar, int]] = []  # (coefficient, variable, value now)

    def var(lo_: int, hi_: int, now: int) -> cp_model.IntVar:
        v = model.new_int_var(lo_, hi_, "")
        model.add_hint(v, now)
        return v

    seat: dict[tuple[int, int], cp_model.IntVar] = {}
    for x in members:
        for n, (i, s) in enumerate(zip(group, ses, strict=True)):
            here = st.where.get((x, s.block))
            if here is None:
                continue
            if here != i:
                if st.sessions[here].teacher >= 0 and here not in in_group:
                    continue  # x sits in a teacher-led session of another kind there
                if not st._may_attend(x, s):
                    continue
            seat[(x, n)] = var(0, 1, int(here == i))
    by_session: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    by_learner: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (x, n), v in seat.items():
        by_session[n].append((x, v))
        by_learner[x].append((n, v))
    # sessions: sizes, open or closed, seats of the room
    size: list[cp_model.IntVar] = []
    opened: list[cp_model.IntVar] = []
    room_free: dict[tuple[int, int], int] = {}
    room_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, s in enumerate(ses):
        rk = (s.room, s.block)
        room_of[rk].append(n)
        room_free[rk] = room_free.get(rk, st.room_capacity[s.room] - st.room_load[rk])
        room_free[rk] += len(s.members)
    for n, s in enumerate(ses):
        now = len(s.members)
        z = var(0, hi, now)
        o = var(0, 1, 1)
        model.add(z == sum(v for _, v in by_session[n]))
        model.add(z >= lo * o)
        model.add(z <= hi * o)
        for x, v in by_session[n]:
            if st.max_group[x] < hi:
                model.add(z <= st.max_group[x]).only_enforce_if(v)
        d = var(0, max(target, hi - target), abs(now - target))
        model.add(d >= z - target * o)
        model.add(d >= target * o - z)
        cost.append((w["group_size"], d, abs(now - target)))
        size.append(z)
        opened.append(o)
    for rk, ns in room_of.items():
        model.add(sum(size[n] for n in ns) <= room_free[rk])
    avoid = st.prep.avoid
    for sitting in by_session.values():
        sat = dict(sitting)
        for x, v in sitting:
            for y in avoid.get(x, ()):
                if y > x and y in sat:
                    model.add(v + sat[y] <= 1)
    # learners: one session a block, goal minutes, member costs, teachers, daily cap
    for x in members:
        mine = by_learner[x]
        blocks: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for n, v in mine:
            blocks[ses[n].block].append(v)
        for vs in blocks.values():
            if len(vs) > 1:
                model.add_at_most_one(vs)
        sits = [n for n, _ in mine if x in ses[n].members]
        key = (x, subject, m)
        goals = st.goals.get(key)
        if goals:
            base = st.delivered[key] - sum(st.minutes[ses[n].block] for n in sits)
            left = goals[0] - base
            if left > 0:
                short_now = max(0, left - (st.delivered[key] - base))
                short = var(0, left, short_now)
                model.add(short >= left - sum(st.minutes[ses[n].block] * v for n, v in mine))
                cost.append((w["goal_shortfall"], short, short_now))
        for n, v in mine:
            c = st.member_cost(x, ses[n])
            if c:
                cost.append((c, v, int(n in sits)))
        seen = Counter(st.teachers[(x, subject)])
        for n in sits:
            seen[ses[n].teacher] -= 1
        others = {t for t, c in seen.items() if c > 0}
        uses: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for n, v in mine:
            uses[ses[n].teacher].append(v)
        teachers_now = {ses[n].teacher for n in sits}
        used: list[tuple[int, cp_model.IntVar, int]] = []
        for t, vs in uses.items():
            u = var(0, 1, int(t in teachers_now))
            for v in vs:
                model.add(u >= v)
            used.append((t, u, int(t in teachers_now)))
        if others:
            for t, u, u_now in used:
                if t not in others:
                    cost.append((w["continuity"], u, u_now))
        elif len(used) > 1:
            e_now = max(0, len(teachers_now) - 1)
            e = var(0, len(used), e_now)
            model.add(e >= sum(u for _, u, _ in used) - 1)
            cost.append((w["continuity"], e, e_now))
        days: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for n, v in mine:
            days[st.day_of[ses[n].block]].append((n, v))
        for day, on_day in days.items():
            other = st.day_subject[(x, day, subject)] - sum(1 for n, _ in on_day if n in sits)
            if other + len(on_day) <= st.cap:
                continue
            over_now = max(0, other + sum(1 for n, _ in on_day if n in sits) - st.cap)
            over = var(0, len(on_day) + other, over_now)
            model.add(over >= other + sum(v for _, v in on_day) - st.cap)
            cost.append((w["variety"], over, over_now))
    # teachers' loads over their fair loads
    by_teacher: dict[int, list[int]] = defaultdict(list)
    for n, s in enumerate(ses):
        by_teacher[s.teacher].append(n)
    for t, ns in by_teacher.items():
        fair = int(cp.teacher_fair[t])
        base = st.week[t] - len(ns)
        over_now = max(0, st.week[t] - fair)
        over = var(0, max(0, base + len(ns) - fair), over_now)
        model.add(over >= base + sum(opened[n] for n in ns) - fair)
        cost.append((st.w_load, over, over_now))
    model.minimize(sum(c * v for c, v, _ in cost))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = RECOURSE_TIME
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    if solver.objective_value >= sum(c * now for c, _, now in cost):
        return None
    return _reseat_courses(st, group, {k: solver.value(v) for k, v in seat.items()}, slack)


def _reseat_courses(
    st: _State, group: list[int], seat: Mapping[tuple[int, int], int], slack: dict[int, int]
) -> int | None:
    """Move the learners of sessions ``group`` to where ``seat`` puts them ((learner, index in
    group) -> 1): out of a session first (to the cheapest teacherless work of its block), then
    in; retire the sessions left empty. The change of the scaled objective, or None (nothing
    changed) unless it falls. ``slack`` keeps what reseating each block's pools would gain
    (:func:`_pool_slack`) between calls."""
    ses = [st.sessions[i] for i in group]
    done = _Compound(st)
    total = 0
    blocks = sorted({s.block for s in ses})
    if st.w["group_size"]:
        for b in blocks:
            if b not in slack:
                slack[b] = _pool_slack(st, b)
    goes = {(x, ses[n].block): group[n] for (x, n), v in seat.items() if v}
    leaving = [
        (x, i)
        for i, s in zip(group, ses, strict=True)
        for x in sorted(s.members)
        if goes.get((x, s.block)) != i
    ]
    for x, i in leaving:
        j = goes.get((x, st.sessions[i].block))
        if j is not None:
            if not st.room_has_seat(st.sessions[j], st.sessions[i]):
                done.undo()
                return None
            total += done.move(x, i, j)
            continue
        src = st.sessions[i]
        best: tuple[int, int] | None = None
        for j in st.by_block_other[src.block]:
            dst = st.sessions[j]
            if dst.teacher >= 0 or not st.can_join(x, dst, src):
                continue
            d = st.move_delta(x, i, j)
            if best is None or d < best[0]:
                best = (d, j)
        # no teacherless work in the block to join: a pool in the session's room
        p = best[1] if best is not None else _open_pool_for(st, x, i, done.opened)
        if p is None:
            done.undo()
            return None
        total += done.move(x, i, p)
    for (x, b), j in sorted(goes.items()):
        here = st.where[(x, b)]
        if here == j:
            continue
        # x works alone here (the program seats it only where it is free, apart from those
        # it avoids): its pool must keep a session count that fits, and the session's room a
        # seat. The program counts a seat freed for each member who leaves, but one who went
        # to a pool in the same room (an open studio) freed none: on a 1,296-learner school a
        # studio of 60 held 61
        pool = st.sessions[here]
        if st.count_for(pool, len(pool.members) - 1) is None or not st.room_has_seat(
            st.sessions[j], pool
        ):
            done.undo()
            return None
        total += done.move(x, here, j)
    # the sessions left empty: the moves counted each |0 - target| off target, and their
    # teachers lead that many sessions fewer
    shut = [i for i, s in zip(group, ses, strict=True) if not s.members]
    total -= sum(st.size_cost(st.sessions[i], 0, 1) for i in shut)
    for t, k in Counter(st.sessions[i].teacher for i in shut).items():
        total += st.load_delta(t, -k)
    change: int | None = None
    if total < 0:
        for i in shut:
            st.retire(i)
        change = total
    elif st.w["group_size"]:
        # the pools of the blocks, reseated with the zones of the sessions left empty, may pay
        change = _retire_into_pools(st, shut, blocks, total, sum(slack[b] for b in blocks))
    if change is None:
        done.undo()
        return None
    for b in blocks:
        slack.pop(b, None)
    return change


class _Compound:
    """The learners' moves of one compound move, made one by one so that it can be undone
    whole: ``moved`` ((learner, from, to)), the session counts as they were before
    (``counts``) and the pools it opened (``opened``)."""

    def __init__(self, st: _State) -> None:
        self.st = st
        self.moved: list[tuple[int, int, int]] = []
        self.counts: dict[int, int] = {}
        self.opened: list[int] = []

    def move(self, x: int, a: int, b: int) -> int:
        """Move learner x from session a to b: the change of the scaled objective."""
        st = self.st
        for j in (a, b):
            self.counts.setdefault(j, st.sessions[j].count)
        d = st.move_delta(x, a, b)
        st.apply_move(x, a, b)
        self.moved.append((x, a, b))
        return d

    def undo(self) -> None:
        """The moves in reverse, the session counts as they were, the pools closed, last
        first."""
        st = self.st
        for x, a, b in reversed(self.moved):
            st.apply_move(x, b, a)
        for j, c in self.counts.items():
            st.set_count(j, c)
        for j in reversed(self.opened):
            st.close_pool(j)


def _shift_in(st: _State, x: int, s: _Session) -> tuple[int, int] | None:
    """The cheapest move of learner x, from teacherless work in a block other than session
    s's, into a teacher-led session of s's kind (modality and subject) there: (from, to), or
    None."""
    best: tuple[int, int, int] | None = None
    for b2 in range(st.cp.n_blocks):
        here = st.where.get((x, b2))
        if b2 == s.block or here is None:
            continue
        pool = st.sessions[here]
        if pool.teacher >= 0 or not st.can_leave(pool):
            continue
        for j in st.by_block_other[b2]:
            c = st.sessions[j]
            if c.teacher < 0 or (c.modality, c.subject) != (s.modality, s.subject):
                continue
            if not st.can_join(x, c, pool):
                continue
            d = st.move_delta(x, here, j)
            if best is None or d < best[0]:
                best = (d, here, j)
    return None if best is None else (best[1], best[2])


def _open_pool_for(st: _State, x: int, i: int, opened: list[int]) -> int | None:
    """Open a teacherless pool in the room of session i, at its block, for learner x leaving
    i (appended to ``opened`` whether x may join it or not): the pool, or None."""
    s = st.sessions[i]
    m = _pool_modality(st, s.room)
    if m < 0 or not st.can_open_pool(s.block, m, -1, s.room):
        return None
    p = st.open_pool(s.block, m, -1, s.room)
    opened.append(p)
    return p if st.can_join(x, st.sessions[p], s) else None


def _pool_modality(st: _State, r: int) -> int:
    """The teacherless modality of most seats whose features room r has; -1 if none."""
    cp = st.cp
    fits = [
        int(m)
        for m in np.flatnonzero(~cp.mod_teacher)
        if (int(cp.room_features[r]) & int(cp.mod_features[m])) == int(cp.mod_features[m])
    ]
    return max(fits, key=lambda m: int(cp.mod_max[m]), default=-1)


def _over_cap(st: _State, s: _Session) -> bool:
    """Whether a member of ``s`` has more sessions of its subject on its day than the cap."""
    day = int(st.cp.block_day[s.block])
    return any(st.day_subject[(x, day, s.subject)] > st.cap for x in s.members)


def _try_reblock(st: _State, i: int, b2: int, slack: dict[int, int] | None = None) -> int | None:
    """Move teacher-led session i, whole, to block b2 (see :func:`_reblock`): the change of
    the scaled objective, or None (nothing changed) unless it falls. With ``slack`` (what
    reseating each block's pools alone would gain, :func:`_pool_slack`, filled in as needed),
    the teacherless pools of both blocks are then reseated at their least
    (:func:`_rebalance`), and the move is kept when it and the reseating together fall below
    what reseating alone would reach."""
    cp = st.cp
    s = st.sessions[i]
    t, r, b1 = s.teacher, s.room, s.block
    day1, day2 = int(cp.block_day[b1]), int(cp.block_day[b2])
    if not cp.teacher_available[t, b2] or t in st.led[b2]:
        return None
    if day2 != day1 and st.day_led[(t, day2)] >= cp.teacher_max_day[t]:
        return None
    members = sorted(s.members)
    pools = [st.where.get((x, b2)) for x in members]
    if any(p is None or st.sessions[p].teacher >= 0 for p in pools):
        return None
    if (
        not cp.room_available[r, b2]
        or st.zones_used[(r, b2)] >= cp.room_zones[r]
        or st.room_load[(r, b2)] + len(members) > cp.room_capacity[r]
    ):
        # another room with what the session needs, one made free if need be (rooms enter no
        # term of the objective, so a session moved out of it changes nothing)
        need = _needs(st, s)
        free = _rooms_with_space(st, b2, need, len(members))
        r = free[0] if free else _free_a_room(st, b2, need, len(members))
        if r < 0 or st.room_load[(r, b2)] + len(members) > cp.room_capacity[r]:
            return None
    # the new session starts empty and the old one ends empty: their |0 − target| cancel
    total = 0
    if slack is not None:
        # what reseating the pools of both blocks would gain without the move
        for b in (b1, b2):
            if b not in slack:
                slack[b] = _pool_slack(st, b)
        alone = slack[b1] + slack[b2]
    j = st.open_session(b2, s.modality, s.subject, s.skill, t, r)
    done = _Compound(st)  # its pools are opened in the old block
    ok = True
    for x in members:
        src = st.where[(x, b2)]
        here = st.sessions[src]
        if not st.can_leave(here) or not st.can_join(x, st.sessions[j], here):
            ok = False
            break
        total += done.move(x, src, j)
    if ok:
        for x, left in zip(members, pools, strict=True):
            back = [
                p
                for p in st.by_block_other[b1]
                if st.sessions[p].teacher < 0 and st.can_join(x, st.sessions[p], s)
            ]
            was = st.sessions[left] if left is not None else None
            if (
                not back
                and was is not None
                and st.can_open_pool(b1, was.modality, was.subject, was.room)
            ):
                # no teacherless work in the old block yet: the kind x left in the new one
                back = [st.open_pool(b1, was.modality, was.subject, was.room)]
                done.opened.append(back[0])
                if not st.can_join(x, st.sessions[back[0]], s):
                    back = []
            if not back:
                ok = False
                break
            p = min(back, key=lambda p: st.move_delta(x, i, p))
            total += done.move(x, i, p)
    if ok and slack is not None:
        d = _retire_into_pools(st, (i,), (b1, b2), total, alone)
        if d is not None:
            slack[b1] = slack[b2] = 0  # reseated at their least
            return d
    elif ok and total < 0:
        st.retire(i)
        return total
    done.undo()
    st.close_session(j)
    return None


def _retire_into_pools(
    st: _State, ids: Sequence[int], blocks: Sequence[int], total: int, alone: int
) -> int | None:
    """Retire the teacher-led sessions ``ids``, emptied by moves that changed the scaled
    objective by ``total``, when those moves and the teacherless pools of ``blocks`` reseated
    at their least, with the sessions' zones free, fall below what reseating them alone would
    reach (``alone``, :func:`_pool_slack`): the change of the scaled objective, or None
    (nothing changed)."""
    shut = [st.sessions[i] for i in ids]
    for s in shut:
        st.zones_used[(s.room, s.block)] -= 1
    after = sum(_pool_slack(st, b) for b in blocks)
    for s in shut:
        st.zones_used[(s.room, s.block)] += 1
    w = st.w["group_size"]
    if total + w * (after - alone) >= 0:
        return None
    for i in ids:
        st.retire(i)
    for b in blocks:
        for (m, subject), kind in _pool_classes(st, b).items():
            total += w * _rebalance(st, b, m, subject, kind)
    return total


def _pool_slack(st: _State, b: int) -> int:
    """What reseating block b's teacherless pools at their least would change of their
    Σ|N − n·target| (0 or less)."""
    return sum(
        floor - now
        for floor, now, _ in (
            _pool_floor(st, b, m, subject, pools)
            for (m, subject), pools in _pool_classes(st, b).items()
        )
    )


def _decrowd(st: _State, stats: PolishStats) -> int:
    """A teacher-led session moves, whole, out of a block whose rooms are too few for the
    learners working alone there (pools above their target size, every zone taken), to a
    block where its teacher and members are free and the pools have room to spare: the
    session's zone goes to a pool of the crowded block and its members' places to the pools
    there (:func:`_try_reblock` with the pools reseated). Priced exactly, undone unless the
    objective falls."""
    cp = st.cp
    if not st.w["group_size"]:
        return 0
    gained = 0
    slack: dict[int, int] = {}
    over = {b: _pools_over(st, b) for b in st.by_block}
    roomy = sorted((b for b in over if over[b] == 0), key=lambda b: -_free_zones(st, b))
    for b1 in sorted((b for b in over if over[b] > 0), key=lambda b: -over[b]):
        for i in sorted(st.by_block[b1], key=lambda i: len(st.sessions[i].members)):
            s = st.sessions[i]
            if time.monotonic() >= st.deadline:
                return gained
            if s.teacher < 0 or not s.count or not s.members or not over[b1]:
                continue
            # the first blocks, by free zones, where the teacher and every member are free
            fits = (
                b2
                for b2 in roomy
                if st.minutes[b2] >= st.minutes[b1]
                and cp.teacher_available[s.teacher, b2]
                and s.teacher not in st.led[b2]
                and all(_works_alone(st, x, b2) for x in s.members)
            )
            for b2 in itertools.islice(fits, DECROWD_TRIES):
                d = _try_reblock(st, i, b2, slack)
                if d is not None:
                    gained -= d
                    stats.decrowded += 1
                    over[b1], over[b2] = _pools_over(st, b1), _pools_over(st, b2)
                    break
    return gained


def _works_alone(st: _State, x: int, b: int) -> bool:
    """Whether learner x is at block b, in teacherless work."""
    i = st.where.get((x, b))
    return i is not None and st.sessions[i].teacher < 0


def _pools_over(st: _State, b: int) -> int:
    """Learners above the target size in block b's teacherless pools (non-diverse)."""
    target = st.mod_target
    return sum(
        max(0, len(s.members) - target[s.modality] * s.count)
        for s in (st.sessions[i] for i in st.by_block[b])
        if s.teacher < 0 and st.cp.mod_mix[s.modality] != MIX_DIVERSE
    )


def _free_zones(st: _State, b: int) -> int:
    """Zones of the rooms open at block b that no session takes."""
    cp = st.cp
    open_ = np.flatnonzero(cp.room_available[:, b])
    return int(sum(int(cp.room_zones[r]) - st.zones_used[(int(r), b)] for r in open_))


def _recount_pools(st: _State, stats: PolishStats) -> int:
    """One session more or fewer in a teacherless pool when sizes get closer to the target."""
    cp = st.cp
    gained = 0
    for i, s in enumerate(st.sessions):
        if s.teacher >= 0 or not s.members:
            continue
        n = len(s.members)
        lo, hi = int(cp.mod_min[s.modality]), int(cp.mod_max[s.modality])
        now = st.size_cost(s, n, s.count)
        for c in (s.count - 1, s.count + 1):
            if c < 1 or not lo * c <= n <= hi * c:
                continue
            if c > s.count and st.zones_used[(s.room, s.block)] >= cp.room_zones[s.room]:
                continue
            if c == 1 and st.holds_avoid_pair(s):
                continue
            d = st.size_cost(s, n, c) - now
            if d < 0:
                st.set_count(i, c)
                stats.recounted += 1
                gained -= d
                break
    return gained


def _drain_groups(st: _State, stats: PolishStats) -> int:
    """One teacherless session more, filled from teacher-led groups above their target.

    Where every learner working alone already sits at the target size, a learner who sits in
    a group above target beyond its goal cannot move out alone (the pool it joins goes above
    target by what the group comes down). A target's worth of them moving together into a
    pool that opens one more session in a free zone can: the learners are moved one by one,
    cheapest first (each move's delta is exact), the pool's session count goes up by one, and
    it is all undone unless the objective went down. One try per block and pool room."""
    cp = st.cp
    gained = 0
    for b, idxs in st.by_block.items():
        if time.monotonic() >= st.deadline:
            break
        over = [
            i
            for i in idxs
            if st.sessions[i].teacher >= 0
            and len(st.sessions[i].members) > int(cp.mod_target[st.sessions[i].modality])
        ]
        pools = [
            i
            for i in idxs
            if st.sessions[i].teacher < 0
            and st.sessions[i].members
            and cp.mod_mix[st.sessions[i].modality] != MIX_DIVERSE
            and st.zones_used[(st.sessions[i].room, b)] < cp.room_zones[st.sessions[i].room]
        ]
        for p in pools:
            pool = st.sessions[p]
            target = int(cp.mod_target[pool.modality])
            surplus = sum(
                len(st.sessions[i].members) - int(cp.mod_target[st.sessions[i].modality])
                for i in over
            )
            if surplus < target:
                break
            ranked = sorted(
                (st.move_delta(x, i, p), x, i)
                for i in over
                for x in st.sessions[i].members
                if st.can_leave(st.sessions[i]) and st.can_join(x, pool, st.sessions[i])
            )
            moved: list[tuple[int, int]] = []
            total = 0
            for _, x, i in ranked:
                if len(moved) == target:
                    break
                g = st.sessions[i]
                if len(g.members) <= int(cp.mod_target[g.modality]) or not st.can_leave(g):
                    continue
                if not st.can_join(x, pool, g):
                    continue
                total += st.move_delta(x, i, p)
                st.apply_move(x, i, p)
                moved.append((x, i))
            n, more = len(pool.members), pool.count + 1
            lo, hi = int(cp.mod_min[pool.modality]), int(cp.mod_max[pool.modality])
            if (
                len(moved) == target
                and lo * more <= n <= hi * more
                and st.zones_used[(pool.room, b)] < cp.room_zones[pool.room]
            ):
                recount = st.size_cost(pool, n, more) - st.size_cost(pool, n, pool.count)
                if total + recount < 0:
                    st.set_count(p, more)
                    stats.drained += 1
                    gained -= total + recount
                    continue
            for x, i in reversed(moved):
                st.apply_move(x, p, i)
    return gained


def _regroup(st: _State, stats: PolishStats) -> int:
    """A learner's off-focus sittings of a subject move, all together, to a group on one of its
    focus skills.

    A group is the sessions of one (modality, subject, skill, teacher) in the week. A learner
    sitting off focus with teacher A cannot join the group of teacher B on its focus skill one
    sitting at a time: the first move adds a teacher (``continuity``), which costs more than the
    sitting's off-focus minutes save. Here the learner joins as many sessions of the group as
    it has off-focus sittings (straight from an off-focus sitting of the block first, then from
    teacherless work), then leaves as many of its other off-focus sittings for teacherless
    work; each move is priced exactly and it is all undone unless the objective went down."""
    cp = st.cp
    groups: dict[Key, list[int]] = defaultdict(list)
    for i, s in enumerate(st.sessions):
        if s.teacher >= 0 and s.skill >= 0 and st.led_skill[s.modality] and s.members:
            groups[s.key].append(i)
    on_skill: dict[tuple[int, int, int], list[Key]] = defaultdict(list)  # (m, subject, skill)
    for key in groups:
        on_skill[(key[0], key[1], key[2])].append(key)
    focus_of: dict[int, list[int]] = defaultdict(list)
    for l, k in st.focus:
        focus_of[l].append(k)
    # a learner's sittings move only with its own regrouping: listed once, up front
    sittings: dict[int, list[tuple[int, int, list[int]]]] = defaultdict(list)
    for (l, m, subject), off in _off_focus_sittings(st).items():
        sittings[l].append((m, subject, off))
    gained = 0
    for l in range(cp.n_learners):
        if l not in focus_of:
            continue
        if l % 64 == 0 and time.monotonic() >= st.deadline:
            break
        for m, subject, off in sittings[l]:
            for k in sorted(focus_of[l]):
                if int(cp.skill_subject[k]) != subject:
                    continue
                done = False
                for key in on_skill.get((m, subject, k), ()):
                    d = _try_regroup(st, l, off, groups[key])
                    if d < 0:
                        gained -= d
                        stats.regrouped += 1
                        done = True
                        break
                if done:
                    break
    return gained


def _off_focus_sittings(st: _State) -> defaultdict[tuple[int, int, int], list[int]]:
    """(learner, modality, subject) -> the learner's off-focus sessions of them, by block."""
    off: defaultdict[tuple[int, int, int], list[int]] = defaultdict(list)
    for (l, _), i in sorted(st.where.items()):
        s = st.sessions[i]
        if st.sits_off_focus(l, s):
            off[(l, s.modality, s.subject)].append(i)
    return off


def _try_regroup(st: _State, l: int, off: list[int], group: list[int]) -> int:
    """Move learner l into sessions of ``group`` and out of as many of its ``off`` sittings (see
    :func:`_regroup`); the change of the objective when kept, 0 when undone."""
    total, done = _regroup_moves(st, l, off, group)
    if total < 0:
        return total
    done.undo()
    return 0


def _regroup_moves(st: _State, l: int, off: list[int], group: list[int]) -> tuple[int, _Compound]:
    """Learner l joins up to len(off) sessions of ``group`` (straight from an off-focus sitting
    of the block first, then from teacherless work), then leaves as many off-focus sittings for
    teacherless work as it took from there, the cheapest first. Returns the change of the
    objective and the moves made, to undo them; no moves when they would leave the goal
    shorter (blocks differ in length): goal minutes are not traded for other terms here."""
    done = _Compound(st)
    total = 0
    if not group:
        return total, done
    first = st.sessions[group[0]]
    key = (l, first.subject, first.modality)
    short = st.short_of(key)
    left = set(off)
    options = []
    for j in group:
        dst = st.sessions[j]
        here = st.where.get((l, dst.block))
        if here is None or l in dst.members:
            continue
        if here in left:
            options.append((0, 0, j))
        elif st.sessions[here].teacher < 0 and st.can_leave(st.sessions[here]):
            options.append((1, st.move_delta(l, here, j), j))
    joined = 0
    for direct, _, j in sorted(options):
        if joined == len(off):
            break
        dst = st.sessions[j]
        here = st.where[(l, dst.block)]
        src = st.sessions[here]
        if direct == 0 and here not in left:
            continue
        if not st.can_leave(src) or not st.can_join(l, dst, src):
            continue
        total += done.move(l, here, j)
        left.discard(here)
        joined += 1
    for _ in range(joined - (len(off) - len(left)) if done.moved else 0):
        best: tuple[int, int, int] | None = None
        for i in sorted(left):
            src = st.sessions[i]
            if not st.can_leave(src):
                continue
            for j in st.by_block_other[src.block]:
                if st.sessions[j].teacher < 0 and st.can_join(l, st.sessions[j], src):
                    d = st.move_delta(l, i, j)
                    if best is None or d < best[0]:
                        best = (d, i, j)
        if best is None:
            break
        total += done.move(l, best[1], best[2])
        left.discard(best[1])
    if st.short_of(key) > short:
        done.undo()
        return 0, _Compound(st)
    return total, done


def _open_groups(st: _State, stats: PolishStats) -> int:
    """A new group on a focus skill that learners sitting off focus share, but no group of
    theirs meets on.

    For each teacher-led skill-focus (modality, subject) and skill k, the learners with k in
    focus and off-focus sittings are gathered; a free qualified teacher, a room and the blocks
    (one a day) where most of them can come (from teacherless work or an off-focus sitting of
    the block) are chosen, the sessions are opened, and each learner moves there as in
    :func:`_regroup`. Each move is priced exactly; the empty sessions' own distance to the
    target is taken out, their load is added, and it is all undone unless the objective went
    down with every new session at its minimum size at least."""
    cp = st.cp
    gained = 0
    off_of = _off_focus_sittings(st)
    wanting: dict[tuple[int, int, int], list[int]] = defaultdict(list)  # (m, subject, k)
    for l, k in sorted(st.focus):
        subject = int(cp.skill_subject[k])
        for m in range(len(cp.modality_ids)):
            if (l, m, subject) in off_of:
                wanting[(m, subject, k)].append(l)
    for (m, subject, k), learners in sorted(wanting.items()):
        if time.monotonic() >= st.deadline:
            break
        lo = int(cp.mod_min[m])
        learners = [x for x in learners if off_of.get((x, m, subject))]
        if len(learners) < lo:
            continue
        d = _open_group(st, m, subject, k, learners, off_of)
        if d < 0:
            gained -= d
            stats.groups += 1
    return gained


def _open_group(
    st: _State,
    m: int,
    subject: int,
    k: int,
    learners: list[int],
    off_of: dict[tuple[int, int, int], list[int]],
) -> int:
    """Open one group on skill k for ``learners`` (see :func:`_open_groups`) with the first
    teacher, by load below fair, who has the blocks for it; the change of the objective, 0
    when undone. It meets as often as the median learner sits off focus."""
    cp = st.cp
    lo = int(cp.mod_min[m])
    meetings = sorted(len(off_of[(x, m, subject)]) for x in learners)[len(learners) // 2]
    feats = cp.session_features(m, subject)

    def comes(x: int, b: int) -> bool:
        i = st.where.get((x, b))
        if i is None:
            return False
        s = st.sessions[i]
        return s.teacher < 0 or i in off_of[(x, m, subject)]

    come = {b: [x for x in learners if comes(x, b)] for b in range(cp.n_blocks)}
    teachers = np.flatnonzero(
        cp.teacher_can_skill[:, k] & cp.teacher_modalities[:, m] & cp.teacher_subject[:, subject]
    )
    for t in sorted(map(int, teachers), key=lambda t: st.week[t] - int(cp.teacher_fair[t])):
        if st.week[t] + meetings > cp.teacher_max_week[t]:
            continue
        picks: list[tuple[int, int]] = []  # (block, room)
        days: set[int] = set()
        for b in sorted(range(cp.n_blocks), key=lambda b: -len(come[b])):
            day = int(cp.block_day[b])
            if len(picks) == meetings or len(come[b]) < lo:
                break
            if day in days or not st.can_lead(t, b):
                continue
            rooms = _rooms_with_space(st, b, feats, lo)
            if not rooms:
                continue
            room = _roomiest(st, rooms, b)
            picks.append((b, room))
            days.add(day)
        if len(picks) < meetings:
            continue
        target = int(cp.mod_target[m])
        total = st.load_delta(t, meetings) + st.w["group_size"] * target * meetings
        group = [st.open_session(b, m, subject, k, t, r) for b, r in sorted(picks)]
        done: list[tuple[int, _Compound]] = []
        for x in learners:
            d, moves = _regroup_moves(st, x, off_of[(x, m, subject)], group)
            if moves.moved:
                total += d
                done.append((x, moves))
        if total < 0 and all(len(st.sessions[j].members) >= lo for j in group):
            for x, _ in done:
                off_of[(x, m, subject)] = [
                    i for i in off_of[(x, m, subject)] if x in st.sessions[i].members
                ]
            return total
        for _, moves in reversed(done):
            moves.undo()
        for j in reversed(group):
            st.close_session(j)
        return 0
    return 0


def _split_courses(st: _State, stats: PolishStats) -> int:
    """Courses — the teacher-led same-skill sessions of one modality, subject, skill and
    teacher — spread their seats more evenly over their sessions.

    A course whose sessions sit above target meets once more: its teacher opens a session at
    another block (handing a session of its own to a free colleague below its fair load first
    when it is at its own), and members move one sitting each from the course's fullest
    sessions to it: out of the course's session into teacherless work at that block, out of
    teacherless work into the new one. A group of 8 meeting twice becomes three sessions of
    5, 5 and 6 with the same teacher: every member keeps its minutes, its skill and its one
    teacher. A course whose sessions differ by two or more moves sittings from the fullest to
    the emptiest the same way. :func:`_spread` prices the moves."""
    courses: dict[Key, list[int]] = defaultdict(list)
    for i, s in _led_sessions(st):
        if s.skill >= 0 and st.same_skill[s.modality] and st.led_skill[s.modality]:
            courses[s.key].append(i)
    gained = 0
    for key, group in sorted(courses.items()):
        if time.monotonic() >= st.deadline:
            break
        m = key[0]
        target = st.mod_target[m]
        sizes = [len(st.sessions[i].members) for i in group]
        if sum(max(0, n - target) for n in sizes) >= st.mod_min[m]:
            kept, d = _split_course(st, key, group)
            if kept:
                gained -= d
                stats.split += 1
                continue
        if len(group) > 1 and max(sizes) > target and max(sizes) - min(sizes) >= 2:
            dst = min(group, key=lambda i: len(st.sessions[i].members))
            kept, d = _spread(st, [i for i in group if i != dst], dst, 0)
            if kept:
                gained -= d
                stats.split += 1
    return gained


def _split_course(st: _State, key: Key, group: list[int]) -> tuple[bool, int]:
    """Open one more session of course ``key`` (see :func:`_split_courses`) at the block where
    most members work alone; whether it was kept, and the change of the objective."""
    cp = st.cp
    m, subject, k, t = key
    lo = st.mod_min[m]
    # a teacher at its fair load first hands a session over to one below its own
    lent = _lend(st, t) if st.load_delta(t, +1) > 0 else None
    if st.week[t] >= cp.teacher_max_week[t]:
        return _give_back(st, t, lent)
    members = set().union(*(st.sessions[i].members for i in group))
    feats = cp.session_features(m, subject)
    busy = {st.sessions[i].block for i in group}
    # a member moves a sitting of the course to the new meeting: a shorter block would leave
    # its goal short (campus: every member works alone in Monday's 45-minute blocks, which
    # were the only ones tried)
    shortest = min(st.minutes[st.sessions[i].block] for i in group)
    blocks = []
    for b in range(cp.n_blocks):
        if b in busy or st.minutes[b] < shortest or not st.can_lead(t, b):
            continue
        # members free there, and under the daily cap of the subject that day (a sitting
        # moved there would be a block over it: campus, with a cap of 1)
        day = st.day_of[b]
        come = sum(
            1
            for x in members
            if _pooled_at(st, x, b) and st.day_subject[(x, day, subject)] < st.cap
        )
        if come >= lo:
            blocks.append((-come, b))
    for _, b in sorted(blocks)[:2]:
        rooms = _rooms_with_space(st, b, feats, lo)
        if not rooms:
            continue
        room = _roomiest(st, rooms, b)
        # the moves count the empty session |0 − target| off target; it costs nothing
        spent = (lent[1] if lent else 0) + st.load_delta(t, +1)
        spent += st.w["group_size"] * st.mod_target[m]
        new = st.open_session(b, m, subject, k, t, room)
        kept, d = _spread(st, group, new, spent)
        if kept:
            return True, d
        st.close_session(new)
    return _give_back(st, t, lent)


def _lend(st: _State, t: int) -> tuple[int, int] | None:
    """Hand the session of teacher t that costs least to hand over (those of no subject
    cost no continuity) to a free teacher below its fair load; (session, change of the
    objective), or None (nothing changed)."""
    cp = st.cp
    below = [u for u in range(cp.n_teachers) if st.week[u] < int(cp.teacher_fair[u])]
    best: tuple[int, int, int] | None = None
    for b in range(cp.n_blocks):
        if t not in st.led[b]:
            continue
        for i in st.by_block[b]:
            s = st.sessions[i]
            if s.teacher != t or s.count == 0:
                continue
            for u in below:
                d = st.hand_over_delta(i, u)
                if d is not None and (best is None or d < best[0]):
                    best = (d, i, u)
    if best is None:
        return None
    d, i, u = best
    st.apply_hand_over(i, u)
    return i, d


def _give_back(st: _State, t: int, lent: tuple[int, int] | None) -> tuple[bool, int]:
    """Undo :func:`_lend` (the session goes back to teacher t); nothing kept."""
    if lent is not None:
        st.apply_hand_over(lent[0], t)
    return False, 0


def _spread(st: _State, group: list[int], dst: int, spent: int) -> tuple[bool, int]:
    """Move sittings of the members of a course's sessions ``group`` to its session ``dst``
    (see :func:`_split_courses`), from the fullest session first, after changes that cost
    ``spent``. Each member moved leaves a session of ``group`` for teacherless work at its
    block and teacherless work at dst's block for dst; each move is priced exactly. The
    pools' group_size is left out of the choice: a pool at its target size pays for one
    learner more or less, but over many moves a block's teacherless learners fall on or off a
    multiple of the target alike, and the pool moves of the pass mend their sizes (60-s
    solves at seeds 0-2, splits only: `large` 5,712 on average this way, 5,798 when the pools'
    change is counted; `campus` 6,428 and 6,493).
    The best prefix of the moves, with dst at its minimum size at least, is kept when it pays
    so; else all is undone. Whether moves were kept, and the change of the objective
    (``spent`` included)."""
    ses = st.sessions[dst]
    b = ses.block
    lo, hi = st.mod_min[ses.modality], st.mod_max[ses.modality]
    total, pools = spent, 0.0  # pools: the part of total that is the pools' group_size
    done: list[tuple[int, int, int, int, int]] = []  # (learner, from, to, their counts)
    best, best_at, best_total = 0.0, 0, 0

    def move(x: int, i: int, j: int) -> None:
        nonlocal total, pools
        for y, step in ((i, -1), (j, 1)):
            if st.sessions[y].teacher < 0:
                pools += _pool_growth(st, y, step)  # finite: the move is allowed
        total += st.move_delta(x, i, j)
        done.append((x, i, j, st.sessions[i].count, st.sessions[j].count))
        st.apply_move(x, i, j)

    while len(ses.members) < hi:
        # the course's fullest session that can give a member up, and its members who work
        # alone at b and may join dst
        src_i, who = -1, []
        for i in sorted(group, key=lambda i: -len(st.sessions[i].members)):
            a = st.sessions[i]
            if len(a.members) <= max(lo, len(ses.members) + 1) or not st.can_leave(a):
                continue
            who = [
                x
                for x in a.members
                if x not in ses.members
                and _pooled_at(st, x, b)
                and st.can_leave(st.sessions[st.where[(x, b)]])
                and st.can_join(x, ses, st.sessions[st.where[(x, b)]])
            ]
            if who:
                src_i = i
                break
        if src_i < 0:
            break
        a = st.sessions[src_i]
        # teacherless work at a's block, the pool that grows at least cost first
        backs = sorted(
            (_pool_growth(st, j, 1), j)
            for j in st.by_block_other[a.block]
            if st.sessions[j].teacher < 0
        )
        choice: tuple[int, int, int] | None = None
        for x in who:
            j = next((j for _, j in backs if st.can_join(x, st.sessions[j], a)), -1)
            if j >= 0:
                d = st.move_delta(x, src_i, j) + st.move_delta(x, st.where[(x, b)], dst)
                if choice is None or d < choice[0]:
                    choice = (d, x, j)
        if choice is None:
            break
        _, x, j = choice
        move(x, src_i, j)
        move(x, st.where[(x, b)], dst)
        if len(ses.members) >= lo and total - pools < best:
            best, best_at, best_total = total - pools, len(done), total
    for x, i, j, ci, cj in reversed(done[best_at:]):
        st.apply_move(x, j, i)
        st.set_count(i, ci)
        st.set_count(j, cj)
    return best_at > 0, best_total


def _pool_growth(st: _State, j: int, step: int) -> float:
    """The change of pool j's group_size when ``step`` (±1) learners more work there (inf
    when its sessions could not hold them)."""
    p = st.sessions[j]
    n = len(p.members)
    c = st.count_for(p, n + step)
    return float("inf") if c is None else st.size_cost(p, n + step, c) - st.size_cost(p, n, p.count)


def _pooled_at(st: _State, x: int, b: int) -> bool:
    """Whether learner x works alone (a teacherless pool) at block b."""
    i = st.where.get((x, b))
    return i is not None and st.sessions[i].teacher < 0


@functools.lru_cache(maxsize=4096)
def _pool_costs(seats: int, zones: int, lo: int, hi: int, target: int) -> np.ndarray:
    """(seats + 1,) the least Σ|size − target| of a room's pool holding a learners, a = 0..seats
    (inf where no count of sessions fits within the room's zones and the size bounds); the
    same few rooms ask again and again, so the answers are kept."""
    a = np.arange(seats + 1)
    best = np.full(seats + 1, np.inf)
    best[0] = 0.0
    for n in range(1, zones + 1):
        ok = (a >= lo * n) & (a <= hi * n)
        best = np.where(ok, np.minimum(best, np.abs(a - target * n)), best)
    best.setflags(write=False)  # cached: shared by every caller
    return best


def _rebalance_pools(st: _State, stats: PolishStats) -> int:
    """Spread each block's teacherless learners over the rooms so that Σ|N − n·target| is
    least: an exact dynamic programme over rooms (sizes and session counts per room), then
    learners move, fewest moves first. Only the group_size term changes: a pool's key has no
    room, so goals, stability and the rest stay as they are."""
    w = st.w["group_size"]
    gained = 0
    for b in st.by_block:
        for (m, subject), pools in _pool_classes(st, b).items():
            d = _rebalance(st, b, m, subject, pools)
            if d < 0:
                stats.rebalanced += 1
                gained -= d * w
    return gained


def _pool_classes(st: _State, b: int) -> dict[tuple[int, int], list[int]]:
    """Block b's teacherless pools whose modality mixes no ages, by (modality, subject)."""
    classes: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in st.by_block[b]:
        s = st.sessions[i]
        if s.teacher < 0 and st.cp.mod_mix[s.modality] != MIX_DIVERSE:
            classes[(s.modality, s.subject)].append(i)
    return classes


def _rebalance(st: _State, b: int, m: int, subject: int, pools: list[int]) -> int:
    """Reseat the pools of one block, modality and subject at their least Σ|N − n·target|;
    the change of that sum (0 when nothing changed)."""
    best, now, sizes = _pool_floor(st, b, m, subject, pools)
    if best >= now:
        return 0
    return best - now if _reseat(st, b, m, subject, pools, sizes) else 0


def _pool_floor(
    st: _State, b: int, m: int, subject: int, pools: list[int]
) -> tuple[int, int, dict[int, int]]:
    """The least Σ|N − n·target| the pools of one block, modality and subject can reach over
    the rooms (with what other sessions leave of their zones and seats), their sum now, and
    the learners each room holds at the least (empty when none fits: the least is then the
    sum now)."""
    cp = st.cp
    lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
    feats = cp.session_features(m, subject)
    total = sum(len(st.sessions[i].members) for i in pools)
    now = sum(abs(len(st.sessions[i].members) - target * st.sessions[i].count) for i in pools)
    mine = {st.sessions[i].room: i for i in pools}
    # each open room with the features: the zones and seats the other sessions leave it
    free: list[tuple[int, int, int]] = []
    for r in map(
        int, np.flatnonzero(cp.room_available[:, b] & ((cp.room_features & feats) == feats))
    ):
        own = st.sessions[mine[r]] if r in mine else None
        zones = int(cp.room_zones[r]) - st.zones_used[(r, b)] + (own.count if own else 0)
        seats = int(cp.room_capacity[r]) - st.room_load[(r, b)] + (len(own.members) if own else 0)
        if zones > 0 and seats > 0:
            free.append((r, zones, min(seats, total)))
    # after each room, only the learner counts j that the rooms so far can hold and the rooms
    # left can complete to the total matter: the others stay infinite (xl: a third of the
    # polish's time went here when every count was computed)
    left = sum(seats for _, _, seats in free)
    held = 0
    # dp[j] = least cost of seating j learners in the rooms so far, inf before it: a room of
    # k - 1 seats reads dp[j - k + 1 .. j] for count j as one row of a strided view
    wide = max((seats for _, _, seats in free), default=0)
    pad = np.full(wide + total + 1, np.inf)
    dp = pad[wide:]
    dp[0] = 0.0
    choice: list[tuple[int, int, np.ndarray]] = []  # (room, first j, learners in it at j)
    for r, zones, seats in free:
        cost = _pool_costs(seats, zones, lo, hi, target)
        held += seats
        left -= seats
        first, last = max(0, total - left), min(total, held)
        if first > last:
            return now, now, {}
        # both[j - first, a] = dp[j - a] + cost[a], every j from first to last at once
        window = np.lib.stride_tricks.as_strided(
            pad[wide - seats + first :],
            shape=(last - first + 1, seats + 1),
            strides=(pad.strides[0], pad.strides[0]),
            writeable=False,
        )
        both = (window + cost[::-1])[:, ::-1]
        at = both.argmin(axis=1)  # the fewest learners in room r among the least
        best = both[np.arange(at.size), at]
        dp[:] = np.inf
        dp[first : last + 1] = best
        choice.append((r, first, at))
    if not np.isfinite(dp[total]):
        return now, now, {}
    sizes: dict[int, int] = {}
    j = total
    for r, first, at in reversed(choice):
        sizes[r] = int(at[j - first])
        j -= sizes[r]
    return int(dp[total]), now, sizes


def _reseat(
    st: _State, b: int, m: int, subject: int, pools: list[int], sizes: dict[int, int]
) -> bool:
    """Move pooled learners between the rooms' pools of one block, modality and subject so that
    room r holds ``sizes[r]`` of them, with the best session count; False (nothing changed)
    when that would put two learners who avoid each other alone together."""
    cp = st.cp
    lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
    by_room = {st.sessions[i].room: i for i in pools}
    for r, n in sizes.items():
        if n > 0 and r not in by_room:
            by_room[r] = st.open_pool(b, m, subject, r)
    saved = {i: (set(st.sessions[i].members), st.sessions[i].count) for i in by_room.values()}
    spare: list[int] = []
    for r, i in by_room.items():
        s = st.sessions[i]
        extra = len(s.members) - sizes.get(r, 0)
        if extra > 0:
            # learners with avoid partners stay where they are when possible
            out = sorted(s.members, key=lambda x: (bool(st.prep.avoid.get(x)), x))[:extra]
            spare.extend(out)
    for x in spare:
        _shift(st, x, b, by_room[st.sessions[st.where[(x, b)]].room], None)
    for r, i in by_room.items():
        while len(st.sessions[i].members) < sizes.get(r, 0):
            _shift(st, spare.pop(), b, None, i)
    for r, i in by_room.items():
        s = st.sessions[i]
        n = len(s.members)
        free = int(cp.room_zones[r]) - st.zones_used[(r, b)] + s.count
        counts = [c for c in range(1, free + 1) if lo * c <= n <= hi * c]
        st.set_count(i, min(counts, key=lambda c: abs(n - target * c)) if n else 0)
    clash = any(
        s.count == 1 and st.holds_avoid_pair(s) for s in (st.sessions[i] for i in by_room.values())
    )
    if clash:
        for i, (members, count) in saved.items():
            for x in members:
                if st.where[(x, b)] != i:
                    _shift(st, x, b, st.where[(x, b)], i)
            st.set_count(i, count)
    return not clash


def _shift(st: _State, x: int, b: int, src: int | None, dst: int | None) -> None:
    """Move learner x between two pools of one block, modality and subject (half a move when
    ``src`` or ``dst`` is None: the learner is in transit)."""
    if src is not None:
        s = st.sessions[src]
        s.members.discard(x)
        st.room_load[(s.room, b)] -= 1
    if dst is not None:
        s = st.sessions[dst]
        s.members.add(x)
        st.room_load[(s.room, b)] += 1
        st.where[(x, b)] = dst


def _needs(st: _State, s: _Session) -> int:
    """Room features a session needs: its modality's, its subject's, and (teacher-led) its
    members'."""
    cp = st.cp
    feats = cp.session_features(s.modality, s.subject)
    if s.teacher >= 0:
        for x in s.members:
            feats |= int(cp.learner_need_features[x])
    return feats


def _roomiest(st: _State, rooms: list[int], b: int) -> int:
    """Of ``rooms``, the one with the most free seats at block b."""
    return max(rooms, key=lambda r: st.room_capacity[r] - st.room_load[(r, b)])


def _rooms_with_space(st: _State, b: int, feats: int, seats: int) -> list[int]:
    """The rooms open at block b with ``feats``, a free zone and ``seats`` free seats."""
    cp = st.cp
    return [
        int(r)
        for r in np.flatnonzero(cp.room_available[:, b] & ((cp.room_features & feats) == feats))
        if st.zones_used[(int(r), b)] < cp.room_zones[r]
        and st.room_load[(int(r), b)] + seats <= cp.room_capacity[r]
    ]


def _free_a_room(st: _State, b: int, feats: int, size: int) -> int:
    """Make a zone free in a room with ``feats`` at block b by moving a teacher-led session that
    does not need the room elsewhere (rooms enter no term of the objective); the room, or -1."""
    cp = st.cp
    spare = [
        int(r2)
        for r2 in np.flatnonzero(cp.room_available[:, b])
        if st.zones_used[(int(r2), b)] < cp.room_zones[r2]
    ]
    if not spare:
        return -1
    fits = cp.room_available[:, b] & ((cp.room_features & feats) == feats)
    fits &= cp.room_capacity >= size
    for i in st.by_block[b]:
        s = st.sessions[i]
        if s.teacher < 0 or not fits[s.room]:
            continue
        r, need = s.room, _needs(st, s)
        for r2 in spare:
            if _may_move_to(st, s, need, r2, feats):
                _relocate(st, i, r2)
                return r
    return -1


def _may_move_to(st: _State, s: _Session, need: int, r2: int, feats: int) -> bool:
    """Whether teacher-led session s, whose members need the room features ``need``, may
    move to room r2 (a zone there is the caller's care), leaving free the ``feats`` a new
    session needs that s does not."""
    cp = st.cp
    have = int(cp.room_features[r2])
    return (
        r2 != s.room
        and (have & need) == need
        and st.room_load[(r2, s.block)] + len(s.members) <= cp.room_capacity[r2]
        and not have & feats & ~need  # keep features free
    )


def _settled(st: _State, l: int, a: _Session, seen: Counter[int]) -> bool:
    """Whether learner l in session a of a subject sits on focus, with its only teacher of the
    subject and no goal minutes short: a learner swap or block shift has nothing to mend."""
    return (
        a.subject >= 0
        and len(seen) <= 1
        and st.member_cost(l, a) == 0
        and st.short_of((l, a.subject, a.modality)) == 0
    )


def _swap_learners(st: _State, stats: PolishStats, l: int, i: int) -> int:
    """Swap learner l (session i) with a member of another teacher-led session of the block
    that l would rather be in (one of l's teachers of the subject, or a focus skill), when the
    two moves together lower the objective; sizes and room loads do not change."""
    cp = st.cp
    a = st.sessions[i]
    seen = st.teachers.get((l, a.subject), _NO_TEACHERS) if a.subject >= 0 else _NO_TEACHERS
    if _settled(st, l, a, seen):
        return 0  # a swap that pays for the partner is found from the partner's side
    for j in _candidates(st, l, i):
        b = st.sessions[j]
        if b.teacher < 0 or (b.teacher == a.teacher and b.skill == a.skill):
            continue
        if not (seen[b.teacher] > 0 or (b.skill >= 0 and cp.focus[l, b.skill])):
            continue
        if not st.can_take_place(l, b):
            continue
        dl = st.learner_delta(l, a, b)
        for x in sorted(b.members):
            if not st.can_take_place(x, a, instead=l) or not st.can_take_place(l, b, instead=x):
                continue
            d = st.swap_delta(l, i, x, j, dl)
            if d < 0:
                st.apply_move(l, i, j)
                st.apply_move(x, j, i)
                stats.learner_swaps += 1
                return -d
    return 0


def _join_with_help(st: _State, stats: PolishStats, l: int, i: int) -> int:
    """Learner l, working alone (session i) with a teacher-led goal short and a need (a quiet
    room, a teacher tagged ``ell``), joins a session of that goal's kind in the block that it
    could join but for its room or its teacher: the session moves to a free zone of a room
    with the features or trades rooms with a pool or a group whose needs its room meets
    (rooms enter no term), and it trades teachers with a session of the block led by one who
    carries the tags or passes to such a teacher who is free, when the whole pays. Random
    1,100-1,200-learner schools left learners needing a quiet room 30-45 minutes short of a
    150- or 210-minute goal beside sessions on skills they may attend, in other rooms, and
    learners needing an ``ell`` teacher 90 minutes short beside sessions whose teachers a
    colleague of the block with the tag could trade with."""
    want, tags = st.need_features[l], st.need_tags[l]
    for j in _candidates(st, l, i):
        s = st.sessions[j]
        if s.teacher < 0:
            continue
        room_short = bool(want & ~st.room_features[s.room])
        tags_short = bool(tags & ~st.teacher_tags[s.teacher])
        if not (room_short or tags_short) or st.short_of((l, s.subject, s.modality)) == 0:
            continue
        change = _help(st, j, want if room_short else 0, tags if tags_short else 0)
        if change is None:
            continue
        total, undo = change
        if not st.can_join(l, s, st.sessions[i]):  # sizes, seats, pairs, readiness
            undo()
            continue
        done = _Compound(st)
        total += done.move(l, i, j)
        if total < 0:
            stats.rooms_traded += room_short
            stats.teachers_traded += tags_short
            return -total
        done.undo()
        undo()
    return 0


def _take_a_seat(st: _State, stats: PolishStats, l: int, i: int) -> int:
    """Learner l, working alone (session i) with a teacher-led goal short, takes the seat of a
    member of a full session of that goal's kind in the block, who moves to another session
    of the block it may join, when the two moves together lower the objective. A random
    1,100-learner school left a learner who needs a teacher tagged ``sped`` 30 minutes short
    (300) beside four full sessions of such teachers in blocks where it was free; a member of
    one could sit with another group of its skill there."""
    for j in _candidates(st, l, i):
        s = st.sessions[j]
        if s.teacher < 0 or len(s.members) < st.mod_max[s.modality]:
            continue  # working alone, or a seat free: the learner's own moves
        if st.short_of((l, s.subject, s.modality)) == 0:
            continue
        for x in sorted(s.members):
            if not st.can_take_place(l, s, instead=x):
                continue
            for j2 in _candidates(st, x, j):
                if not st.can_join(x, st.sessions[j2], s):
                    continue
                done = _Compound(st)
                total = done.move(x, j, j2)
                total += done.move(l, i, j)
                if total < 0:
                    stats.seats_taken += 1
                    return -total
                done.undo()
    return 0


def _help(st: _State, j: int, want: int, tags: int) -> tuple[int, Callable[[], None]] | None:
    """Session j moved to a room with the features ``want`` (:func:`_room_for`) and led by a
    teacher carrying ``tags`` (the cheapest trade of teachers with a session of its block, or
    hand-over to a free teacher), for a learner to join (:func:`_join_with_help`; 0: nothing
    to change): the change of the objective and how to undo it, or None (nothing changed)
    when it cannot be."""
    s = st.sessions[j]
    undo: list[Callable[[], None]] = []

    def back() -> None:
        for step in reversed(undo):
            step()

    if want:
        trade = _room_for(st, s, _needs(st, s) | want, len(s.members) + 1)
        if trade is None:
            return None
        r2, q = trade
        room = s.room
        _relocate(st, j, r2)
        undo.append(lambda: _relocate(st, j, room))
        if q >= 0:
            _relocate(st, q, room)
            undo.append(lambda: _relocate(st, q, r2))
    if not tags:
        return 0, back
    best: tuple[int, bool, int] | None = None  # (change, a trade, the other session or teacher)
    for q in st.by_block[s.block]:
        o = st.sessions[q]
        if q == j or o.teacher < 0 or tags & ~st.teacher_tags[o.teacher]:
            continue
        d = st.swap_teachers_delta(j, q)
        if d is not None and (best is None or d < best[0]):
            best = (d, True, q)
    for u in map(int, np.flatnonzero((st.cp.teacher_tags & tags) == tags)):
        d = st.hand_over_delta(j, u)
        if d is not None and (best is None or d < best[0]):
            best = (d, False, u)
    if best is None:
        back()
        return None
    change, traded, other = best
    if traded:
        st.apply_swap(j, other)
        undo.append(lambda: st.apply_swap(j, other))
    else:
        teacher = s.teacher
        st.apply_hand_over(j, other)
        undo.append(lambda: st.apply_hand_over(j, teacher))
    return change, back


def _room_for(st: _State, s: _Session, need: int, seats: int) -> tuple[int, int] | None:
    """A room at session s's block with the features ``need`` and ``seats`` seats for s: one
    with a free zone (room, -1), or one whose session q (a pool in one zone, or a teacher-led
    session whose needs s's room meets) trades rooms with s (room, q); None when there is
    none."""
    cp = st.cp
    b, here = s.block, s.room
    fits = cp.room_available[:, b] & ((cp.room_features & need) == need)
    for r in map(int, np.flatnonzero(fits)):
        if r == here:
            continue
        load = st.room_load[(r, b)]
        if st.zones_used[(r, b)] < cp.room_zones[r] and load + seats <= cp.room_capacity[r]:
            return r, -1
    have, load_here = int(cp.room_features[here]), st.room_load[(here, b)]
    for q in st.by_block[b]:
        o = st.sessions[q]
        r = o.room
        if r == here or not fits[r] or (o.teacher < 0 and o.count != 1):
            continue
        if _needs(st, o) & ~have:
            continue
        n = len(o.members)
        if st.room_load[(r, b)] - n + seats > cp.room_capacity[r]:
            continue
        if load_here - len(s.members) + n > cp.room_capacity[here]:
            continue
        return r, q
    return None


def _shift_block(st: _State, stats: PolishStats, l: int, i: int) -> int:
    """Move learner l out of teacher-led session i into teacherless work, and into a session of
    the same subject and modality in another block where l works alone — one of l's teachers
    or a focus skill — when the two moves together pay (goal minutes may move between blocks
    of different lengths; the exact change is computed move by move)."""
    cp = st.cp
    a = st.sessions[i]
    b1 = a.block
    pools = [
        j
        for j in st.by_block_other[b1]
        if st.sessions[j].teacher < 0 and st.can_join(l, st.sessions[j], a)
    ]
    if not pools:
        return 0
    seen = st.teachers.get((l, a.subject), _NO_TEACHERS) if a.subject >= 0 else _NO_TEACHERS
    if _settled(st, l, a, seen):
        return 0
    back = min(pools, key=lambda j: st.move_delta(l, i, j))
    same = st.same_skill[a.modality]
    skills = st.allowed_in.get((l, a.subject), []) if same else [a.skill]
    back_count = st.sessions[back].count
    d1 = st.move_delta(l, i, back)
    st.apply_move(l, i, back)
    best, choice = 0, (-1, -1)
    for b2 in range(cp.n_blocks):
        here = st.where.get((l, b2))
        if b2 == b1 or here is None or st.sessions[here].teacher >= 0:
            continue
        pool = st.sessions[here]
        if not st.can_leave(pool):
            continue
        options = (
            [j for k in skills for j in st.by_skill.get((b2, k), ())]
            if same
            else [j for j in st.by_block_other[b2] if st.sessions[j].teacher >= 0]
        )
        for j in options:
            c = st.sessions[j]
            if (c.modality, c.subject) != (a.modality, a.subject):
                continue
            if not (seen[c.teacher] > 0 and c.teacher != a.teacher) and not (
                c.skill >= 0 and (l, c.skill) in st.focus
            ):
                continue
            if not st.can_join(l, c, pool):
                continue
            d = d1 + st.move_delta(l, here, j)
            if d < best:
                best, choice = d, (here, j)
    if best < 0:
        st.apply_move(l, *choice)
        stats.shifts += 1
        return -best
    st.apply_move(l, back, i)
    st.set_count(back, back_count)
    return 0
