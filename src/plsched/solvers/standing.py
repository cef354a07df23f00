"""A second construction, for whole schools: standing groups first, then their timetable.

What a school does by hand: for each teacher-led goal (subject and modality) it forms the
week's groups — learners who share a focus skill together, at sizes near the target — gives each
group one qualified teacher for the week, and only then finds blocks where the group, its
teacher and a room are all free. Continuity comes for free (one teacher per group), focus is
decided where it is cheapest (when the groups are formed, over the whole week), and the
group meetings are spread over the week so that every block keeps rooms for the learners
working on their own.

The block-by-block greedy (:mod:`plsched.solvers.construction`) decides each block with no
view of the rest of the week; :func:`plsched.solve` builds both plans and keeps the better.
Learners a group cannot take (a focus skill nobody else is ready for and no group to join,
needs no teacher or room meets) are left to the local search, which opens sessions for short
goals.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from plsched.compiled import MIX_DIVERSE, MIX_SAME_SKILL, CompiledProblem
from plsched.solvers.clustering import CLUSTER_TIME, focus_clusters, group_count
from plsched.solvers.cpsat.candidates import Prepared
from plsched.solvers.seating import (
    even_pools,
    seat_teacherless,
    seats_for_rest,
    squeeze_in,
)
from plsched.solvers.state import Sess

__all__ = ["construct_standing", "room_pressure", "rooms_short", "session_shares"]

log = logging.getLogger(__name__)

MISSING = 1000.0  # score of a block per member who cannot attend it
SCARCE = 0.75  # teachers with a tag are short when learners needing it would fill this share
SAME_DAY = 200.0  # per meeting of the group already on that day
EXTRA_MEETING = 400.0  # a block too short to keep the group's meetings at the fewest
OVER_CAP = 400.0  # per member past the daily subject cap (with a cap of 1, at 60, groups met
# twice a day rather than miss a member: campus with the cap at 1, 865 blocks over it
# built, 360 left after the local search; at 400, 396 built, 153 left)
ALTERNATIVES = 5  # other qualified teachers tried when a group's own has no time


@dataclass
class _Group:
    modality: int
    subject: int
    skill: int
    members: list[int]
    need: dict[int, int] = field(default_factory=dict)  # learner -> goal minutes
    teacher: int = -1
    can: np.ndarray | None = None  # (T,) teachers who could lead it

    def meetings(self, sitting: int) -> int:
        most = max((self.need.get(x, 0) for x in self.members), default=0)
        return max(1, -(-most // max(1, sitting)))


def sitting_minutes(cp: CompiledProblem) -> int:
    """The block length groups are planned in: the longest such that at least half the week's
    blocks are as long. Planned in its longest block, a week of twelve 60-minute blocks, three
    of 90 and ten of 40 or 45 had its groups of 150-180 minutes meet twice where they met three
    times or more, and their teachers' time ran out: second teachers (continuity 3,200) and
    loads over fair (1,650)."""
    if cp.n_blocks == 0:
        return 0
    lengths = np.sort(cp.block_minutes)[::-1]
    return int(lengths[(lengths.size - 1) // 2])


def _leaders(cp: CompiledProblem, g: _Group) -> np.ndarray:
    """(T,) teachers who lead the group's modality and are qualified for its skill (or, with
    no skill, in its subject)."""
    ok = cp.teacher_modalities[:, g.modality]
    if g.skill >= 0:
        return ok & cp.teacher_can_skill[:, g.skill]
    return ok & cp.teacher_subject[:, g.subject] if g.subject >= 0 else ok


class _Former:
    """Forms the groups of one (subject, modality) goal."""

    def __init__(
        self,
        cp: CompiledProblem,
        prep: Prepared,
        rng: np.random.Generator,
        per_group: float,
        off_focus: float,
        memo: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] | None = None,
        cluster_per_group: float | None = None,
        cluster_time: float = CLUSTER_TIME,
    ) -> None:
        self.cp, self.prep, self.rng = cp, prep, rng
        self.memo = {} if memo is None else memo  # (subject, modality) -> split, fillers
        self.cluster_time = cluster_time  # CP-SAT's deterministic seconds per goal's split
        # per_group when learners are split over their focus skills
        self.cluster_per_group = per_group if cluster_per_group is None else cluster_per_group
        self.per_group = per_group  # a session more, in learners away from a target
        self.need: Mapping[int, int] = {}  # learner -> goal minutes, of the goal being formed
        self.sitting = max(1, sitting_minutes(cp))  # minutes of a sitting
        self.off_focus = off_focus  # a learner off focus at a meeting, in the same unit

    def sittings(self, x: int) -> int:
        """The fewest sittings of the planned length (:func:`sitting_minutes`) that meet
        learner x's goal being formed."""
        return -(-self.need.get(x, 0) // self.sitting)

    def fits(self, g: _Group, x: int) -> bool:
        cp = self.cp
        size = len(g.members) + 1
        if size > cp.mod_max[g.modality]:
            return False
        if min(int(cp.learner_max_group[y]) for y in (*g.members, x)) < size:
            return False
        if self.prep.avoid.get(x, set()) & set(g.members):
            return False
        tags = int(cp.learner_need_tags[x])
        if tags:
            for y in g.members:
                tags |= int(cp.learner_need_tags[y])
            if not (_leaders(cp, g) & ((cp.teacher_tags & tags) == tags)).any():
                return False
        return not (
            g.skill >= 0
            and cp.mod_mix[g.modality] == MIX_SAME_SKILL
            and not self.prep.allowed[x, g.skill]
        )

    def split(self, s: int, m: int, k: int, members: list[int]) -> list[_Group]:
        """Even groups of members (all on skill k, or none), apart from avoid pairs."""
        cp = self.cp
        lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
        count = group_count(len(members), lo, hi, target, self.per_group)
        if count == 0:
            return []
        groups = [_Group(m, s, k, []) for _ in range(count)]
        order = list(members)
        left: list[int] = []
        if cp.mod_mix[m] == MIX_DIVERSE:
            # dealt in turn by age, so every group mixes ages
            order.sort(key=lambda x: int(cp.learner_age[x]))
            for i, x in enumerate(order):
                ring = [groups[(i + j) % count] for j in range(count)]
                fit = [g for g in ring if self.fits(g, x)]
                if fit:
                    min(fit, key=lambda g: len(g.members)).members.append(x)
                else:
                    left.append(x)
        else:
            # learners with the same room and teacher needs side by side, so that few groups
            # need the rare rooms (a quiet room, say) and teachers; then learners of like
            # goals together, as a group meets as often as its most demanding member needs
            # and the others sit the extra meetings (campus, goals of 90 to 180 minutes:
            # 7,029 / 7,491 -> 6,686 / 6,540 at seeds 0 / 1)
            order.sort(
                key=lambda x: (
                    -int(cp.learner_need_features[x]),
                    -int(cp.learner_need_tags[x]),
                    -self.sittings(x),
                )
            )
            # count > 0 above: some sizes of lo..hi add up, so chunks finds them
            sizes = self.chunks([self.sittings(x) for x in order], lo, hi, target)
            groups = [_Group(m, s, k, []) for _ in sizes]
            for x in order:
                fit = [
                    g
                    for g, n in zip(groups, sizes, strict=True)
                    if len(g.members) < n and self.fits(g, x)
                ]
                fit = fit or [g for g in groups if self.fits(g, x)]
                if fit:
                    fit[0].members.append(x)
                else:
                    left.append(x)
        kept = [g for g in groups if len(g.members) >= lo]
        for g in groups:
            if len(g.members) < lo:
                left.extend(g.members)
        self.left.extend(left)
        return kept

    def chunks(self, sittings: list[int], lo: int, hi: int, target: int) -> list[int]:
        """Sizes of consecutive groups of learners (in order, needing ``sittings`` each) at the
        least cost: per group, ``per_group`` a meeting and its learners away from the target
        when its seats are spread evenly over its meetings (as many as its most demanding
        member needs; members whose goal is met sit a later meeting to fill it up to the
        target). A group of learners who need different numbers of sittings takes more members
        than the target; [] when no sizes of lo..hi add up."""
        n = len(sittings)
        best = [math.inf] * (n + 1)
        step = [0] * (n + 1)
        best[0] = 0.0
        for i in range(lo, n + 1):
            for size in range(lo, min(hi, i) + 1):
                if best[i - size] == math.inf:
                    continue
                part = sittings[i - size : i]
                meets = max(1, *part)
                seats = sum(max(1, d) for d in part)
                if seats <= meets * target:
                    away = meets * max(0, target - size)
                else:
                    away = seats - meets * target
                cost = best[i - size] + self.per_group * meets + away
                if cost < best[i]:
                    best[i], step[i] = cost, size
        if best[n] == math.inf:
            return []
        sizes: list[int] = []
        while n:
            sizes.append(step[n])
            n -= step[n]
        return sizes[::-1]

    def scarce(self, s: int, m: int, needy: np.ndarray, tags: int) -> bool:
        """Whether the teachers who carry ``tags`` and lead goal (s, m) are short for the needy
        learners each in a group of its own: their meetings pass ``SCARCE`` of those
        teachers' sessions a week."""
        cp = self.cp
        leads = cp.teacher_modalities[:, m] & cp.teacher_subject[:, s]
        carry = leads & ((cp.teacher_tags & tags) == tags)
        per_week = np.minimum(cp.teacher_max_week, cp.teacher_available.sum(axis=1))
        goals = (cp.goal_subject == s) & (cp.goal_modality == m) & np.isin(cp.goal_learner, needy)
        meetings = int((-(-cp.goal_minutes[goals] // self.sitting)).sum())
        return bool(meetings > SCARCE * per_week[carry].sum())

    def rare_rooms(
        self,
        s: int,
        m: int,
        learners: np.ndarray,
        skills: np.ndarray,
        focus: np.ndarray,
        ok: np.ndarray,
        todo: np.ndarray,
        groups: list[_Group],
    ) -> None:
        """Groups for the learners who need a room feature, first and as few as can be: every
        group with one of them must meet in such a room, and a school has few (four quiet
        rooms for a thousand learners). The same for learners who need a teacher tag when the
        teachers who carry it are short (:meth:`scarce`: on the xl preset, 73 learners need
        an ELL teacher in literacy and such teachers lead 195 sessions a week). Each group
        works on the skill where they score best, each of them with it in focus counting as
        target + 1 of them who may only attend it, and takes them, those on focus first, up
        to the target size, then learners whose focus is that skill up to the target size
        (off-focus fillers only up to the minimum). On the skill the most may attend, the
        large preset's 24 learners who need a quiet room sat 44 math sittings off focus (528
        of its 2,406 off_focus); 60-s solves at seeds 0-2: large 5,170 / 5,095 / 5,101 →
        4,918 / 4,946 / 4,888, campus 5,310 / 5,295 / 5,230 → 5,178 / 5,201 / 5,281."""
        cp = self.cp
        lo, target = int(cp.mod_min[m]), int(cp.mod_target[m])
        tags = cp.learner_need_tags[learners].astype(np.int64)
        for tag in np.unique(tags[tags != 0]).tolist():
            if not self.scarce(s, m, learners[tags == tag], tag):
                tags[tags == tag] = 0
        needs = cp.learner_need_features[learners].astype(np.int64) | (tags << 32)
        for feature in sorted(set(needs[needs != 0].tolist())):
            while True:
                needy = np.flatnonzero(todo & (needs == feature))
                if needy.size == 0:
                    break
                counts = focus[needy].sum(axis=0) * (target + 1) + ok[needy].sum(axis=0)
                j = int(np.argmax(counts))
                if not ok[needy, j].any():
                    break
                g = _Group(m, s, int(skills[j]), [])
                taken: list[int] = []
                ranked = sorted(needy[ok[needy, j]], key=lambda r: -int(focus[r, j]))
                for r in ranked:
                    if len(g.members) < target and self.fits(g, int(learners[r])):
                        g.members.append(int(learners[r]))
                        taken.append(int(r))
                plain = todo & (needs == 0)
                for rows, upto in (
                    (np.flatnonzero(plain & focus[:, j]), target),
                    (np.flatnonzero(plain & ok[:, j] & ~focus[:, j]), lo),
                ):
                    for r in rows:
                        if len(g.members) >= upto:
                            break
                        if self.fits(g, int(learners[r])):
                            g.members.append(int(learners[r]))
                            taken.append(int(r))
                if len(g.members) < lo or not taken:
                    break
                todo[taken] = False
                groups.append(g)

    def form(
        self, s: int, m: int, learners: np.ndarray, need: Mapping[int, int]
    ) -> tuple[list[_Group], list[int]]:
        cp, prep = self.cp, self.prep
        self.left: list[int] = []
        self.need = need
        lo = int(cp.mod_min[m])
        if not cp.mod_skill[m]:
            return self.split(s, m, -1, [int(x) for x in learners]), self.left
        leads = cp.teacher_modalities[:, m]
        skills = np.flatnonzero((cp.skill_subject == s) & cp.teacher_can_skill[leads].any(axis=0))
        if skills.size == 0:
            return [], [int(x) for x in learners]
        same = cp.mod_mix[m] == MIX_SAME_SKILL
        focus = cp.focus[np.ix_(learners, skills)]
        ok = prep.allowed[np.ix_(learners, skills)] if same else np.ones_like(focus)
        focus &= ok
        groups: list[_Group] = []
        todo = np.ones(learners.size, dtype=bool)
        self.rare_rooms(s, m, learners, skills, focus, ok, todo, groups)
        assign, fill = self.clusters(s, m, focus, ok, todo, learners, need)
        sizes = np.bincount(assign[assign >= 0], minlength=skills.size)
        for few in np.flatnonzero((sizes > 0) & (sizes < lo)).tolist():
            # too few on focus: the learners planned off focus in its groups fill it
            rows = np.flatnonzero(assign == few)
            g = _Group(m, s, int(skills[few]), [int(x) for x in learners[rows]])
            pool = np.flatnonzero(todo & ok[:, few])
            for r in pool[np.argsort(ok[pool].sum(axis=1), kind="stable")]:
                if len(g.members) >= max(lo, int(sizes[few] + fill[few])):
                    break
                if self.fits(g, int(learners[r])):
                    g.members.append(int(learners[r]))
            if len(g.members) >= lo:
                groups.append(g)
                todo[np.isin(learners, g.members)] = False
            else:
                todo[rows] = True
        for big in np.flatnonzero(sizes >= lo):
            rows = np.flatnonzero(assign == big)
            groups.extend(self.split(s, m, int(skills[big]), [int(x) for x in learners[rows]]))
        # the rest join a group they may attend: one on a focus skill of theirs if there is
        # one with room (its cluster went mostly to other focus skills), else the smallest
        rest = [int(x) for x in learners[todo]] + self.left
        self.left = []
        self.rng.shuffle(rest)
        homeless: list[int] = []
        for x in rest:
            fit = [g for g in groups if self.fits(g, x)]
            if fit:
                min(fit, key=lambda g: (not cp.focus[x, g.skill], len(g.members))).members.append(x)
            else:
                homeless.append(x)
        # then groups of whoever is left, on the skill most of them may attend
        pos = {int(x): i for i, x in enumerate(learners)}
        while len(homeless) >= lo:
            rows = np.array([pos[x] for x in homeless])
            counts = ok[rows].sum(axis=0) + 0.5 * focus[rows].sum(axis=0)
            j = int(np.argmax(counts))
            takers = [x for x, r in zip(homeless, rows, strict=True) if ok[r, j]]
            if len(takers) < lo:
                break
            made = self.split(s, m, int(skills[j]), takers)
            if not made:
                break
            placed = {x for g in made for x in g.members}
            groups.extend(made)
            homeless = [x for x in homeless if x not in placed]
            self.left = []
        if homeless:
            homeless = self.with_fillers(s, m, skills, homeless, learners, groups)
        return groups, homeless

    def clusters(
        self,
        s: int,
        m: int,
        focus: np.ndarray,
        ok: np.ndarray,
        todo: np.ndarray,
        learners: np.ndarray,
        need: Mapping[int, int],
    ) -> tuple[np.ndarray, np.ndarray]:
        """(R,) the focus skill (column of ``focus``) whose groups each learner still to
        place joins, -1 for none, and (J,) how many learners off focus are planned to fill
        each skill's groups: the learners' best split over their focus skills
        (:func:`~plsched.solvers.clustering.focus_clusters`, from the greedy split). Learners
        given a column are no longer ``todo``."""
        key = (s, m)
        if key not in self.memo:
            cp = self.cp
            lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
            rows = np.flatnonzero(todo)
            meetings = np.array([self.sittings(int(x)) for x in learners[rows]])
            greedy = self.greedy_clusters(m, focus, todo)
            assign = np.full(focus.shape[0], -1, dtype=np.int64)
            assign[rows], fill = focus_clusters(
                focus[rows],
                ok[rows],
                meetings,
                lo=lo,
                hi=hi,
                target=target,
                per_group=self.cluster_per_group,
                off_focus=self.off_focus,
                hint=greedy[rows],
                time_limit=self.cluster_time,
            )
            self.memo[key] = (assign, fill)
        assign, fill = (a.copy() for a in self.memo[key])
        todo &= assign < 0
        return assign, fill

    def greedy_clusters(self, m: int, focus: np.ndarray, todo: np.ndarray) -> np.ndarray:
        """Each learner to the focus skill shared by the most learners still unassigned; a
        skill with too few for a group borrows learners who share its focus from skills that
        can spare them, so they are not all off focus."""
        cp = self.cp
        lo = int(cp.mod_min[m])
        todo = todo.copy()
        assign = np.full(focus.shape[0], -1)
        while True:
            counts = focus[todo].sum(axis=0)
            j = int(np.argmax(counts)) if counts.size else 0
            if counts.size == 0 or counts[j] == 0:
                break
            rows = np.flatnonzero(todo & focus[:, j])
            assign[rows] = j
            todo[rows] = False
        sizes = np.bincount(assign[assign >= 0], minlength=focus.shape[1])
        target = int(cp.mod_target[m])
        for small in sorted(np.flatnonzero((sizes > 0) & (sizes < lo)), key=lambda j: -sizes[j]):
            j = int(small)
            # worth it when the learners it keeps on focus outweigh the new group's size,
            # its session and the borrowed learners' groups moving off their sizes
            cost = abs(lo - target) + self.per_group + (lo - sizes[j])
            if sizes[j] * self.off_focus <= cost:
                continue
            donors = [r for r in np.flatnonzero(focus[:, j] & (assign >= 0)) if assign[r] != j]
            donors.sort(key=lambda r: -sizes[assign[r]])
            donors = [r for r in donors if sizes[assign[r]] > lo]
            if sizes[j] + len(donors) < lo:
                continue
            for r in donors:
                if sizes[j] >= lo or sizes[assign[r]] <= lo:
                    continue
                sizes[assign[r]] -= 1
                assign[r] = j
                sizes[j] += 1
        assign[(assign >= 0) & (sizes[np.maximum(assign, 0)] < lo)] = -1
        return assign

    def with_fillers(
        self,
        s: int,
        m: int,
        skills: np.ndarray,
        homeless: list[int],
        learners: np.ndarray,
        groups: list[_Group],
    ) -> list[int]:
        """Groups for learners no group of their goal could take (too few learners with the
        goal are ready for what they are), filled up to the minimum size with learners of the
        school who have no such goal but may attend the skill — focus on it, or no focus in
        the subject, first. A filler costs a little off focus; a missed goal costs far more.
        Returns who is still without a group."""
        cp, prep = self.cp, self.prep
        lo, target = int(cp.mod_min[m]), int(cp.mod_target[m])
        same = cp.mod_mix[m] == MIX_SAME_SKILL
        outside = np.ones(cp.n_learners, dtype=bool)
        outside[learners] = False
        outside &= cp.learner_available.any(axis=1) & (cp.learner_need_features == 0)
        left: list[int] = []
        todo = list(homeless)
        while todo:
            x = todo.pop(0)
            ks = skills[prep.allowed[x, skills]] if same else skills
            if ks.size == 0:
                left.append(x)
                continue
            mine = ks[cp.focus[x, ks]]
            if mine.size or not same:
                k = int((mine if mine.size else ks)[0])
            else:  # the skill the most learners outside the goal may attend
                k = int(ks[np.argmax((prep.allowed[:, ks] & outside[:, None]).sum(axis=0))])
            g = _Group(m, s, k, [x])
            for y in list(todo):
                if (not same or prep.allowed[y, k]) and self.fits(g, y):
                    g.members.append(y)
                    todo.remove(y)
            can = outside & (prep.allowed[:, k] if same else True)
            free = ~cp.has_focus[:, s] | cp.focus[:, k]
            for rows, upto in (
                (np.flatnonzero(can & free), target),
                (np.flatnonzero(can & ~free), lo),
            ):
                for y in self.rng.permutation(rows):
                    if len(g.members) >= upto:
                        break
                    if self.fits(g, int(y)):
                        g.members.append(int(y))
            if len(g.members) >= lo:
                groups.append(g)
                outside[g.members] = False
            else:
                left.extend(z for z in g.members if not outside[z])
        return left


#: How much of the load weight a group more is charged (see :func:`construct_standing`):
#: plain schools did best at ½, schools short of rooms or teacher time at 1.2 (measured on
#: the large and campus presets); :func:`plsched.solve` builds both and keeps the better.
SESSION_SHARES = (0.5, 1.2)

#: Room pressure (:func:`room_pressure`) from which the larger session share is built and
#: polished first. A school short of zones pays for every group more twice: its session, and
#: the zone the learners working alone then lack. The built plans do not show it (their
#: learners working alone are seated crudely, and the local search reseats them), so the
#: share with the better built score is not the one that polishes better. On the xl preset
#: (pressure 1.007), 40,052 built at ½ and 43,494 at 1.2, and its construction leaves no time
#: to polish both: 60-s solves at seeds 0 / 1 gave 13,226 / 11,048 from the better built and
#: 11,174 / 9,718 from 1.2 first; a 1,093-learner school of another shape (pressure 1.153)
#: 11,888 / 12,002 and 12,832 / 10,444.
ROOMS_SHORT = 1.0


def room_pressure(cp: CompiledProblem) -> float:
    """The zones an average block needs over those it has open: the sessions of the
    teacher-led goals at their target sizes (goal minutes over the mean block length), and the
    learners present who are not in them, working alone at the largest target size of a
    teacherless modality. Above 1, a group more takes a zone the learners working alone need."""
    if cp.n_blocks == 0 or cp.goal_minutes.size == 0:
        return 0.0
    led = cp.mod_teacher[cp.goal_modality]
    sittings = cp.goal_minutes[led] / float(cp.block_minutes.mean())
    sessions = float((sittings / cp.mod_target[cp.goal_modality[led]]).sum())
    alone = float(cp.learner_available.sum()) - float(sittings.sum())
    pools = cp.mod_target[~cp.mod_teacher]
    need = sessions + (max(0.0, alone) / float(pools.max()) if pools.size else 0.0)
    zones = float((cp.room_zones[:, None] * cp.room_available).sum())
    return need / zones if zones else math.inf


def rooms_short(cp: CompiledProblem) -> bool:
    """Whether the school is short of rooms: its :func:`room_pressure` reaches
    :data:`ROOMS_SHORT`, and the larger session share is built and polished first."""
    return room_pressure(cp) >= ROOMS_SHORT


def session_shares(cp: CompiledProblem) -> tuple[float, ...]:
    """:data:`SESSION_SHARES` in the order :func:`plsched.solve` builds them and, when rooms
    are short (:func:`rooms_short`), polishes them."""
    if rooms_short(cp):
        return tuple(sorted(SESSION_SHARES, reverse=True))
    return SESSION_SHARES


#: The least price of a session more, in learners away from a group's target (the default
#: weights' ratio, load_balance 10 to group_size 2). With load_balance weighted 0, groups
#: priced at nothing were formed one per focus skill and sent 6,700 goal minutes short for
#: want of teachers on the campus preset.
SESSION_FLOOR = 5

#: The session share at which learners are split over their focus skills, whatever share
#: the groups are then formed at: one split serves both (measured on the large preset: the
#: split at ½ polished to 6,800–7,100 at either share; split at each share's own, 7,650 and
#: 8,200), and it is the costly part of the construction. 60-s solves at seeds 0-2 (commit
#: caaf57f): at 0.5, large 4,975 / 4,875 / 4,941, campus 4,918 / 4,938 / 4,999, xl 9,490 /
#: 9,756 / 9,808; at 0.3, 4,869 / 4,820 / 4,844, 4,984 / 4,876 / 4,988, 9,592 / 9,866 /
#: 9,618; at 1.0 large went to 5,145-5,176 and at 0.15 to 4,972-5,011.
CLUSTER_SHARE = 0.3


def construct_standing(
    cp: CompiledProblem,
    prep: Prepared,
    rng: np.random.Generator,
    weights: Mapping[str, int] | None = None,
    session_share: float = SESSION_SHARES[0],
    memo: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] | None = None,
    cluster_time: float = CLUSTER_TIME,
) -> list[Sess] | None:
    """A plan from standing groups, or None when some learner found no seat.

    ``memo`` keeps each goal's split of learners over focus skills (which depends on neither
    ``rng`` nor ``session_share``) for the next call: pass the same dict to build again with
    another seed or share. ``cluster_time``: CP-SAT's deterministic seconds for each goal's
    split (:func:`~plsched.solvers.clustering.focus_clusters`).

    ``weights`` (scaled, by term) set how many learners away from a group's target one more
    group is worth: a school's teacher-led sessions at their target sizes already fill the
    teachers' fair loads, so a group more often costs a session over a fair load, counted at
    ``session_share`` of the load weight. Where rooms or teachers are short, a group more
    also crowds the learners working alone and sends groups to second teachers, which a
    larger share stands for.
    """
    w = weights or {}
    prep = _free_skills_only(cp, prep, w)
    unit = max(1, w.get("group_size", 0))
    # teacher time is short whatever the weights: a group more is priced at least as the
    # default weights price it (a session over a fair load, 5 learners away from a target)
    session = max(w.get("load_balance", 0), SESSION_FLOOR * w.get("group_size", 0))
    per_group = session_share * session / unit
    cluster_per_group = CLUSTER_SHARE * session / unit
    off_focus = w.get("off_focus", 0) * int(cp.block_minutes.max(initial=0)) / unit
    sitting = sitting_minutes(cp)
    former = _Former(cp, prep, rng, per_group, off_focus, memo, cluster_per_group, cluster_time)
    groups: list[_Group] = []
    need: dict[tuple[int, int], dict[int, int]] = {}
    for l, goals in prep.goals_of.items():
        for s, m, minutes in goals:
            if cp.mod_teacher[m]:
                per = need.setdefault((s, m), {})
                per[l] = per.get(l, 0) + minutes
    for (s, m), per in sorted(need.items()):
        learners = np.array(sorted(x for x in per if cp.learner_available[x].any()), dtype=np.int64)
        made, homeless = former.form(s, m, learners, per)
        for g in made:
            g.need = {x: per.get(x, 0) for x in g.members}
        groups.extend(made)
        if homeless:
            log.debug("%d learners without a standing group", len(homeless))
    _assign_teachers(cp, groups, sitting, rng)
    return _timetable(cp, prep, groups, sitting)


def _free_skills_only(cp: CompiledProblem, prep: Prepared, w: Mapping[str, int]) -> Prepared:
    """``prep`` with the skills a learner may attend narrowed to those that cost nothing: the
    groups are formed on ready skills, and on mastered (review) or stretch skills only when
    the policy allows them at no cost. Groups formed with the costly ones priced at nothing
    paid for them all week (campus with review and stretch allowed: 6,720 + 1,000 of them
    built, 11,882 after a minute, against 7,324 for the same school without them, whose plan
    is still a plan of this one); the local search, which prices them, adds them where
    they pay."""
    allowed = cp.allowed_skills(review=not w.get("review", 0), stretch=not w.get("stretch", 0))
    if np.array_equal(allowed, prep.allowed):
        return prep
    return replace(prep, allowed=allowed)


def _assign_teachers(
    cp: CompiledProblem, groups: list[_Group], sitting: int, rng: np.random.Generator
) -> None:
    per_day = np.zeros((cp.n_teachers, len(cp.day_ids)), dtype=np.int64)
    for d in range(len(cp.day_ids)):
        per_day[:, d] = cp.teacher_available[:, cp.block_day == d].sum(axis=1)
    cap = np.minimum(cp.teacher_max_week, np.minimum(per_day, cp.teacher_max_day[:, None]).sum(1))
    load = np.zeros(cp.n_teachers, dtype=np.int64)
    fair = np.maximum(cp.teacher_fair, 1).astype(np.float64)

    def candidates(g: _Group) -> np.ndarray:
        tags = 0
        for x in g.members:
            tags |= int(cp.learner_need_tags[x])
        return _leaders(cp, g) & ((cp.teacher_tags & tags) == tags)

    cands = [candidates(g) for g in groups]
    needs = [any(cp.learner_need_tags[x] for x in g.members) for g in groups]
    for g, c in zip(groups, cands, strict=True):
        g.can = c
    # the groups that need a teacher tag (sped, say) first, so that its carriers are theirs;
    # then every group to the qualified teacher least loaded for its fair load, tags or not.
    # Kept for the groups needing their tags, the campus preset's sped and ELL literacy
    # teachers led 3 of their 15 fair sessions while the others ran groups of 8 over theirs
    # and the timetable sent meetings to second teachers (60-s solves at seeds 0-2: 5,178 /
    # 5,201 / 5,281 -> 4,918 / 4,938 / 4,999; large 4,918 / 4,946 / 4,888 -> 4,975 / 4,875 /
    # 4,941)
    order = sorted(
        range(len(groups)), key=lambda i: (not needs[i], int(cands[i].sum()), rng.random())
    )
    for i in order:
        g = groups[i]
        r = g.meetings(sitting)
        ok = cands[i] & (load + r <= cap)
        if not ok.any():
            ok = cands[i] & (load < cap)
        if not ok.any():
            continue
        t = int(np.flatnonzero(ok)[np.argmin(((load + r) / fair)[ok])])
        g.teacher = t
        load[t] += r


def _timetable(
    cp: CompiledProblem, prep: Prepared, groups: list[_Group], sitting: int
) -> list[Sess] | None:
    n_b, n_d = cp.n_blocks, len(cp.day_ids)
    busy = ~cp.learner_available.copy()  # (L, B): away or already in a session
    t_busy = ~cp.teacher_available.copy()
    day_led = np.zeros((cp.n_teachers, n_d), dtype=np.int64)
    week = np.zeros(cp.n_teachers, dtype=np.int64)
    n_s = max(1, len(cp.subject_ids))
    day_subject = np.zeros((cp.n_learners, n_d, n_s), dtype=np.int64)
    zones = np.where(cp.room_available, cp.room_zones[:, None], 0).T.astype(np.int64)  # (B, R)
    seats = np.repeat(cp.room_capacity[None, :].astype(np.int64), n_b, axis=0)  # (B, R)
    waiting = cp.learner_available.sum(axis=0).astype(np.int64)  # learners not yet seated
    led = np.zeros(n_b, dtype=np.int64)
    minutes = cp.block_minutes
    cap = cp.instance.policy.daily_subject_cap
    sessions: list[Sess] = []
    got: list[dict[int, int]] = [dict.fromkeys(g.members, 0) for g in groups]
    days_used: list[np.ndarray] = [np.zeros(n_d, dtype=np.int64) for _ in groups]
    total = sum(g.meetings(sitting) for g in groups)
    per_block = total / max(1, n_b)
    extra: dict[int, np.ndarray] = {}  # features -> (R,) room features beyond them
    kinds: dict[tuple[int, int, int], list[int]] = {}  # (modality, subject, skill) -> sessions

    def place(i: int) -> bool:
        """One more meeting of group i: with its own teacher if they have time, else with
        the qualified teacher who has the most (a second teacher costs continuity, a missed
        meeting costs goal minutes). A later meeting that only a few members still need is
        not held when they can join meetings already placed (:func:`absorb`)."""
        g = groups[i]
        short = [x for x in g.members if got[i][x] < g.need.get(x, 0)]
        if not short:
            return False
        if len(short) < len(g.members) and absorb(i, short):
            return True
        if g.teacher >= 0 and meet(i, g.teacher):
            return True
        assert g.can is not None
        spare = cp.teacher_max_week - week
        others = [int(t) for t in np.flatnonzero(g.can & (spare > 0)) if t != g.teacher]
        others.sort(key=lambda t: -int(spare[t]))
        return any(meet(i, t) for t in others[:ALTERNATIVES])

    def absorb(i: int, short: list[int]) -> bool:
        """Seat each of group i's members still short in a meeting already placed of the same
        kind (modality, subject and, for a subject, the group's skill and teacher: another
        teacher costs continuity) at a block where it is free, one sitting enough for what it
        misses, all or none. A group meeting once more for a few members holds a teacher and
        a zone for learners whose goals are met, who sit it only to keep it near its target
        (large: 90 community meetings built where 61 seat every goal; 71 with this)."""
        g = groups[i]
        m, s = g.modality, g.subject
        if len(short) > max(2, int(cp.mod_min[m]) - 1):
            return False
        target, hi = int(cp.mod_target[m]), int(cp.mod_max[m])
        half = (target + 1) // 2
        added: dict[int, list[int]] = {}
        for x in short:
            still = g.need.get(x, 0) - got[i][x]
            need_t = int(cp.learner_need_tags[x])
            need_f = int(cp.learner_need_features[x])
            best: tuple[int, int] | None = None
            for j in kinds.get((m, s, g.skill if s >= 0 else -1), ()):
                o = sessions[j]
                b = o.block
                if busy[x, b] or minutes[b] < still or seats[b, o.room] <= len(added.get(j, ())):
                    continue
                if s >= 0 and (o.teacher != g.teacher or day_subject[x, cp.block_day[b], s] >= cap):
                    continue
                members = (*o.members, *added.get(j, ()))
                size = len(members) + 1
                if size > hi or min(int(cp.learner_max_group[y]) for y in (*members, x)) < size:
                    continue
                if (int(cp.teacher_tags[o.teacher]) & need_t) != need_t:
                    continue
                if (int(cp.room_features[o.room]) & need_f) != need_f:
                    continue
                if prep.avoid.get(x, set()).intersection(members):
                    continue
                if cp.mod_mix[m] == MIX_DIVERSE and (
                    sum(cp.learner_age[y] == cp.learner_age[x] for y in members) >= half
                ):
                    continue
                cost = abs(size - target) - abs(size - 1 - target)
                if best is None or cost < best[0]:
                    best = (cost, j)
            if best is None or (best[0] > 0 and len(short) > 1):
                return False
            added.setdefault(best[1], []).append(x)
        for j, xs in added.items():
            o = sessions[j]
            b, d = o.block, int(cp.block_day[o.block])
            sessions[j] = replace(o, members=tuple(sorted((*o.members, *xs))))
            busy[xs, b] = True
            seats[b, o.room] -= len(xs)
            waiting[b] -= len(xs)
            for x in xs:
                got[i][x] += int(minutes[b])
                if s >= 0:
                    day_subject[x, d, s] += 1
        return True

    def meet(i: int, t: int) -> bool:
        g = groups[i]
        m, s = g.modality, g.subject
        short = [x for x in g.members if got[i][x] < g.need.get(x, 0)]
        members = np.array(g.members)
        ok = ~t_busy[t] & (day_led[t, cp.block_day] < cp.teacher_max_day[t])
        if week[t] >= cp.teacher_max_week[t] or not ok.any():
            return False
        free = ~busy[members]  # (n, B)
        n_free = free.sum(axis=0)
        still = max(g.need.get(x, 0) - got[i][x] for x in short)
        score = MISSING * (members.size - n_free) + SAME_DAY * days_used[i][cp.block_day]
        # a short block that leaves more meetings to hold than a long one would
        fewest = -(-still // sitting)
        after = 1 + np.maximum(-(-(still - minutes) // sitting), 0)
        score += np.where(after > fewest, EXTRA_MEETING, 0.0)
        score += np.maximum(led - per_block, 0.0) * 5.0 + led * 0.1
        if s >= 0:
            over = (day_subject[members][:, cp.block_day, s] >= cap) & free
            score += OVER_CAP * over.sum(axis=0)
        ok &= n_free >= int(cp.mod_min[m])
        base = cp.session_features(m, s)
        ok &= zones.sum(axis=1) > 0
        cands = [int(b) for b in np.argsort(np.where(ok, score, np.inf), kind="stable")]
        cands = [b for b in cands if ok[b]]
        # every free member first (a block with a room for their needs); then, failing that,
        # without the learners whose room needs no free room meets (when there are such)
        needy = any(int(cp.learner_need_features[x]) & ~base for x in g.members)
        second = [(b, False) for b in cands] if needy else []
        for b, strict in [(b, True) for b in cands] + second:
            att = [int(x) for x in members[free[:, b]]]
            # members whose goal is met sit the meeting only to keep it at its target size
            # (campus: 6,686 / 6,540 -> 6,613 / 6,505 at seeds 0 / 1; large: 6,382 / 6,219 ->
            # 6,133 / 6,159)
            keep = [x for x in att if got[i][x] < g.need.get(x, 0)]
            if len(keep) < len(att):
                done = [x for x in att if got[i][x] >= g.need.get(x, 0)]
                att = keep + done[: max(0, int(cp.mod_target[m]) - len(keep))]
            if not strict:
                att = [x for x in att if not int(cp.learner_need_features[x]) & ~base]
                if len(att) < int(cp.mod_min[m]):
                    continue
            feats = base
            for x in att:
                feats |= int(cp.learner_need_features[x])
            if feats not in extra:
                extra[feats] = np.array(
                    [bin(int(f) & ~feats).count("1") for f in cp.room_features], dtype=np.int64
                )
            room = _room(cp, b, len(att), feats, zones[b], seats[b], extra[feats])
            if room < 0:
                continue
            zones[b, room] -= 1
            seats[b, room] -= len(att)
            if seats_for_rest(cp, b, zones[b], seats[b]) < waiting[b] - len(att):
                zones[b, room] += 1
                seats[b, room] += len(att)
                continue
            d = int(cp.block_day[b])
            kinds.setdefault((m, s, g.skill if s >= 0 else -1), []).append(len(sessions))
            sessions.append(Sess(b, m, s, g.skill, t, room, tuple(sorted(att))))
            busy[att, b] = True
            t_busy[t, b] = True
            day_led[t, d] += 1
            week[t] += 1
            waiting[b] -= len(att)
            led[b] += 1
            days_used[i][d] += 1
            if s >= 0:
                day_subject[att, d, s] += 1
            for x in att:
                got[i][x] += int(minutes[b])
            return True
        return False

    # the groups whose teachers have the fewest free blocks first; groups no teacher had
    # time for at the start last (they take whoever has time left)
    order = sorted(
        range(len(groups)),
        key=lambda i: (
            groups[i].teacher < 0,
            int(cp.teacher_available[groups[i].teacher].sum()),
            -len(groups[i].members),
        ),
    )
    rounds = max((groups[i].meetings(sitting) for i in order), default=0) + 2
    for _ in range(rounds):
        placed = [i for i in order if place(i)]
        if not placed:
            break
    filler = [int(m) for m in np.flatnonzero(~cp.mod_teacher)]
    if not filler:
        return None
    fm = max(filler, key=lambda m: int(cp.mod_max[m]))
    alone, left = _teacherless_sittings(cp, prep, busy, day_subject, cap)
    # minutes each learner is free after each block, to seat a goal that could not wait
    free_minutes = np.where(busy, 0, cp.block_minutes[None, :])
    later = np.cumsum(free_minutes[:, ::-1], axis=1)[:, ::-1] - free_minutes
    for b in range(n_b):
        rest = [int(x) for x in np.flatnonzero(~busy[:, b])]
        if not rest:
            continue
        # learners with a goal of teacherless work (a studio, independent work in a subject)
        # first, in its modality and subject: at the blocks chosen for it, or now if the
        # blocks after this one cannot meet it any more; others short of it fill up to the
        # minimum size
        free_here = set(rest)
        due: dict[tuple[int, int], list[int]] = defaultdict(list)
        for key, who in alone.get(b, {}).items():
            due[key].extend(x for x in who if left[key][x] > 0)
        for key, per in left.items():
            for x, still in per.items():
                late = still > 0 and x in free_here and later[x, b] < still
                if late and x not in due.get(key, ()):
                    due[key].append(x)
        seated: set[int] = set()
        for (m, s), who in sorted(due.items()):
            who = [x for x in who if x not in seated]
            lo = int(cp.mod_min[m])
            if who and len(who) < lo:
                who += [
                    x
                    for x, still in left[(m, s)].items()
                    if still > 0 and x in free_here and x not in seated and x not in who
                ][: lo - len(who)]
            made, _ = seat_teacherless(cp, prep, b, m, who, zones[b], seats[b], subject=s)
            sessions.extend(made)
            for x in (x for p in made for x in p.members):
                seated.add(x)
                left[(m, s)][x] -= int(cp.block_minutes[b])
        rest = [x for x in rest if x not in seated]
        pools, unseated = seat_teacherless(cp, prep, b, fm, rest, zones[b], seats[b])
        sessions.extend(pools)
        if unseated:
            before = len(unseated)
            squeeze_in(cp, prep, b, unseated, sessions, seats[b])
            seated = {x for s in sessions if s.block == b for x in s.members}
            if any(x not in seated for x in unseated[:before]):
                return None
    return even_pools(cp, prep, sessions)


def _teacherless_sittings(
    cp: CompiledProblem, prep: Prepared, busy: np.ndarray, day_subject: np.ndarray, cap: int
) -> tuple[dict[int, dict[tuple[int, int], list[int]]], dict[tuple[int, int], dict[int, int]]]:
    """Per block, per teacherless (modality, subject) goal, the learners to seat in it there:
    for each such goal, blocks where its learner is free (``busy`` False), spread over the
    week from an offset of its own (so that the goal's learners spread over the blocks) until
    the goal's minutes are met, on days where the learner's sessions of the subject
    (``day_subject``, by learner, day and subject; the chosen blocks are counted in it) are
    under the daily cap first. Also each goal's minutes, by (modality, subject) and learner."""
    out: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    minutes_of: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for x, goals in prep.goals_of.items():
        mine = [(s, m, minutes) for s, m, minutes in goals if not cp.mod_teacher[m]]
        if not mine:
            continue
        for s, m, minutes in mine:
            minutes_of[(m, s)][x] += minutes
        free = np.flatnonzero(~busy[x]).tolist()
        for n, (s, m, minutes) in enumerate(mine):
            if not free:
                break
            longest = int(cp.block_minutes[free].max())
            step = max(1, len(free) // max(1, -(-minutes // longest)))
            start = (x * 7 + n * 3) % len(free)
            spread = list(
                dict.fromkeys(
                    [free[(start + i * step) % len(free)] for i in range(len(free))] + free
                )
            )
            got = 0
            while got < minutes and spread:
                # the next block in spread order on a day under the cap, else the next
                under = [b for b in spread if s < 0 or day_subject[x, cp.block_day[b], s] < cap]
                b = (under or spread)[0]
                spread.remove(b)
                out[b][(m, s)].append(x)
                free.remove(b)
                got += int(cp.block_minutes[b])
                if s >= 0:
                    day_subject[x, cp.block_day[b], s] += 1
    return out, minutes_of


def _room(
    cp: CompiledProblem,
    b: int,
    size: int,
    features: int,
    zones: np.ndarray,
    seats: np.ndarray,
    extra: np.ndarray,
) -> int:
    """The room of block b for a session of ``size`` that costs the learners still to seat
    the fewest places at their target size, then the one with the fewest features the session
    does not need (``extra``, per room), then the fewest seats; -1 if none can host it."""
    ok = (
        cp.room_available[:, b]
        & (zones > 0)
        & (seats >= size)
        & ((cp.room_features & features) == features)
    )
    if not ok.any():
        return -1
    rooms = np.flatnonzero(ok)
    # places at the target size of teacherless sessions (where they cost nothing)
    free = ~cp.mod_teacher
    n = int(cp.mod_target[free].max()) if free.any() else 0
    before = np.minimum(seats[rooms], zones[rooms] * n)
    after = np.minimum(seats[rooms] - size, (zones[rooms] - 1) * n)
    return int(rooms[np.lexsort((seats[rooms], extra[rooms], before - after))[0]])
