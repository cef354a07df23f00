"""The grade-classes baseline: what a school does today.

Learners are grouped by age band (or by age, i.e. grade) and subject into classes; each class
has one teacher and one room and meets, all together, for its subject's weekly goal minutes in
whole blocks, on one skill for the whole class. Everyone not in a class sits in teacherless
(independent) sessions. No search, no randomness: the same instance gives the same plan.

Readings chosen here, where the brief leaves room:

- A class's modality is, per subject, the teacher-led modality holding that subject's goals
  with the largest ``max_size`` (math: ``small_group``; science: ``workshop``; no subject:
  ``community``), so that class minutes count towards the learners' goals. Its members are the
  learners of the band with a goal in that subject and modality.
- Classes hold at most ``class_size`` learners: by default the largest room's capacity, but
  no more than :data:`TYPICAL_CLASS_SIZE` (the largest rooms are open studios of 60-90 seats
  that no school fills with one class). A band with more learners gets several classes of
  balanced size, cut in order of age.
- A class works on the skill most of its members are ready for (ties: the lower level); when
  none is ready for any skill, on the lowest-level skill of the class's median grade
  (age − 5).
- A class meets for the largest weekly goal minutes among its members, at most once a day.
  In each block the classes with the most minutes left go first; a class meets when at least
  half its members are free, a teacher qualified for its skill (or subject) who leads its
  modality is free and under their caps (preferring the class's teacher so far), and a room
  with the modality's features seats the class (the tightest such room). When no teacher or
  room is left, the class does not meet in that block.
- The plan keeps the rules a school keeps: one session per learner and block, teachers'
  availability, caps and qualifications, room seats, zones and features, avoid pairs (a
  learner who avoids a classmate goes to another class of the same band and subject, else
  works independently) and needs (members whose ``max_group_size``, teacher tags or room
  features the class cannot honour work independently during it). What it breaks is what
  grade classes break: group sizes (rule 4) and readiness (rule 5).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from plsched.baselines._plan import finish
from plsched.compiled import CompiledProblem, compile_problem
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule
from plsched.solvers.seating import roomiest_first, tightest_room
from plsched.solvers.state import Sess, split_pool

__all__ = ["TYPICAL_CLASS_SIZE", "grade_classes"]

log = logging.getLogger(__name__)

#: Default ceiling on a class's size: a typical classroom's roll.
TYPICAL_CLASS_SIZE = 28


@dataclass
class _Class:
    """One class: a fixed roll that meets on one subject, modality and skill."""

    subject: int
    modality: int
    skill: int
    members: np.ndarray
    minutes: int
    delivered: int = 0
    teacher: int = -1
    met_days: set[int] = field(default_factory=set)


def grade_classes(
    instance: Instance,
    *,
    by: Literal["band", "age"] = "band",
    class_size: int | None = None,
) -> Schedule:
    """Plan the week as grade-based classes (see the module's docstring for every reading).

    ``by`` groups learners by age band (default) or by age; ``class_size`` caps a class's roll
    (default: the largest room's capacity, at most :data:`TYPICAL_CLASS_SIZE`).
    """
    if by not in ("band", "age"):
        raise ValueError(f"by must be 'band' or 'age', not {by!r}.")
    if class_size is not None and class_size < 1:
        raise ValueError(f"class_size must be at least 1, not {class_size}.")
    t0 = time.perf_counter()
    cp = compile_problem(instance)
    cap = class_size or min(int(cp.room_capacity.max()), TYPICAL_CLASS_SIZE)
    avoid: dict[int, set[int]] = defaultdict(set)
    for a, b in cp.avoid_pairs:
        avoid[int(a)].add(int(b))
        avoid[int(b)].add(int(a))
    classes = _form_classes(cp, by, cap, avoid)
    log.info("grade classes for %s: %d classes of at most %d", instance.name, len(classes), cap)
    sessions = _timetable(cp, classes, avoid)
    seconds = time.perf_counter() - t0
    return finish(cp, sessions, method="grade_classes", seconds=seconds)


# --- classes -----------------------------------------------------------------------------------


def _class_modalities(cp: CompiledProblem) -> dict[int, int]:
    """Per subject (−1: none), the teacher-led modality with goals there and the largest max."""
    held: dict[int, set[int]] = defaultdict(set)
    for s, m in zip(cp.goal_subject, cp.goal_modality, strict=True):
        s, m = int(s), int(m)
        if cp.mod_teacher[m] and not (s < 0 and cp.mod_skill[m]):
            held[s].add(m)
    return {s: max(sorted(ms), key=lambda m: int(cp.mod_max[m])) for s, ms in held.items()}


def _form_classes(
    cp: CompiledProblem, by: str, cap: int, avoid: dict[int, set[int]]
) -> list[_Class]:
    group_of = cp.learner_band if by == "band" else cp.learner_age
    modality_of = _class_modalities(cp)
    wanted: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for l, s, m, minutes in zip(
        cp.goal_learner, cp.goal_subject, cp.goal_modality, cp.goal_minutes, strict=True
    ):
        if modality_of.get(int(s)) == int(m):
            wanted[(int(s), int(group_of[l]))][int(l)] += int(minutes)
    classes: list[_Class] = []
    for (s, _group), minutes_of in sorted(wanted.items()):
        m = modality_of[s]
        roll = sorted(minutes_of, key=lambda l: (int(cp.learner_age[l]), l))
        count = -(-len(roll) // cap)
        rolls = [list(map(int, part)) for part in np.array_split(np.asarray(roll), count)]
        _separate_avoid_pairs(rolls, avoid)
        for members in rolls:
            if not members:
                continue
            arr = np.asarray(sorted(members), dtype=np.int64)
            skill = _class_skill(cp, s, arr) if cp.mod_skill[m] else -1
            minutes = max(minutes_of[l] for l in members)
            classes.append(_Class(s, m, skill, arr, minutes))
    return classes


def _separate_avoid_pairs(rolls: list[list[int]], avoid: dict[int, set[int]]) -> None:
    """Move a learner who avoids a classmate to another class; drop them when none fits."""
    for i, roll in enumerate(rolls):
        for l in list(roll):
            if not avoid.get(l, set()) & (set(roll) - {l}):
                continue
            roll.remove(l)
            for j, other in enumerate(rolls):
                if j != i and not avoid[l] & set(other):
                    other.append(l)
                    break


def _class_skill(cp: CompiledProblem, s: int, members: np.ndarray) -> int:
    """The skill most members are ready for; else the lowest-level skill of their grade."""
    skills = np.flatnonzero(cp.skill_subject == s)
    if skills.size == 0:
        return -1
    counts = cp.ready[np.ix_(members, skills)].sum(axis=0)
    if counts.max() > 0:
        # most ready first, then the lower level, then model order
        order = np.lexsort((skills, cp.skill_level[skills], -counts))
        return int(skills[order[0]])
    grade = max(0.0, float(np.median(cp.learner_age[members])) - 5.0)
    levels = cp.skill_level[skills]
    distance = np.abs(np.floor(levels) - np.floor(grade))
    order = np.lexsort((skills, levels, distance))
    return int(skills[order[0]])


# --- the week ----------------------------------------------------------------------------------


def _timetable(
    cp: CompiledProblem, classes: list[_Class], avoid: dict[int, set[int]]
) -> list[Sess]:
    week = np.zeros(cp.n_teachers, dtype=np.int64)
    day_led = np.zeros((cp.n_teachers, len(cp.day_ids)), dtype=np.int64)
    teacherless = [int(m) for m in np.flatnonzero(~cp.mod_teacher)]
    filler = max(teacherless, key=lambda m: int(cp.mod_max[m])) if teacherless else -1
    sessions: list[Sess] = []
    for b in range(cp.n_blocks):
        d = int(cp.block_day[b])
        free = cp.learner_available[:, b].copy()
        zones_left = np.where(cp.room_available[:, b], cp.room_zones, 0).astype(np.int64)
        seats_left = cp.room_capacity.astype(np.int64).copy()
        busy = np.zeros(cp.n_teachers, dtype=bool)
        order = sorted(
            range(len(classes)), key=lambda i: (classes[i].delivered - classes[i].minutes, i)
        )
        for i in order:
            c = classes[i]
            if c.delivered >= c.minutes or d in c.met_days:
                continue
            here = c.members[free[c.members]]
            if here.size == 0 or 2 * here.size < c.members.size:
                continue
            ok = (
                cp.teacher_available[:, b]
                & ~busy
                & (week < cp.teacher_max_week)
                & (day_led[:, d] < cp.teacher_max_day)
                & cp.teacher_modalities[:, c.modality]
            )
            t = _teacher(cp, c, ok, week, here)
            if t < 0:
                continue
            here = here[(cp.learner_need_tags[here] & ~cp.teacher_tags[t]) == 0]
            features = cp.session_features(c.modality, c.subject)
            r = tightest_room(cp, b, here.size, features, zones_left, seats_left)
            if r < 0:
                continue
            here = here[(cp.learner_need_features[here] & ~cp.room_features[r]) == 0]
            here = here[cp.learner_max_group[here] >= here.size]
            if here.size == 0:
                continue
            sessions.append(
                Sess(b, c.modality, c.subject, c.skill, t, r, tuple(int(x) for x in here))
            )
            free[here] = False
            zones_left[r] -= 1
            seats_left[r] -= here.size
            busy[t] = True
            week[t] += 1
            day_led[t, d] += 1
            c.delivered += int(cp.block_minutes[b])
            c.met_days.add(d)
            c.teacher = t
        rest = [int(x) for x in np.flatnonzero(free)]
        if rest and filler >= 0:
            sessions.extend(_independent(cp, b, filler, rest, zones_left, seats_left, avoid))
        elif rest:
            log.warning("no teacherless modality: %d learners unplaced in block %s", len(rest), b)
    return sessions


def _teacher(
    cp: CompiledProblem, c: _Class, ok: np.ndarray, week: np.ndarray, here: np.ndarray
) -> int:
    """The class's teacher if free, else the one missing fewest needed tags, least loaded."""
    if c.skill >= 0:
        ok = ok & cp.teacher_can_skill[:, c.skill]
    elif c.subject >= 0:
        ok = ok & cp.teacher_subject[:, c.subject]
    candidates = np.flatnonzero(ok)
    if candidates.size == 0:
        return -1
    needed = int(np.bitwise_or.reduce(cp.learner_need_tags[here])) if here.size else 0
    missing = np.array([(needed & ~int(cp.teacher_tags[t])).bit_count() for t in candidates])
    order = np.lexsort((candidates, week[candidates], missing, candidates != c.teacher))
    return int(candidates[order[0]])


def _independent(
    cp: CompiledProblem,
    b: int,
    m: int,
    learners: list[int],
    zones_left: np.ndarray,
    seats_left: np.ndarray,
    avoid: dict[int, set[int]],
) -> list[Sess]:
    """Seat the learners outside classes in teacherless sessions, largest room first.

    Learners who avoid each other share a room only when it has two zones to keep them apart.
    """
    lo, hi, target = int(cp.mod_min[m]), int(cp.mod_max[m]), int(cp.mod_target[m])
    features = int(cp.mod_features[m])
    pairs = {(int(a), int(c)) for a, c in cp.avoid_pairs}
    rooms = roomiest_first(cp, b, lo, features, zones_left, seats_left)
    out: list[Sess] = []
    todo = learners
    for r in rooms:
        if not todo:
            break
        zones = int(zones_left[r])
        room_cap = min(int(seats_left[r]), zones * hi)
        take: list[int] = []
        taken: set[int] = set()
        rest: list[int] = []
        clash = False
        for l in todo:
            apart = avoid.get(l, set()) & taken
            if len(take) < room_cap and not (apart and zones < 2):
                clash = clash or bool(apart)
                take.append(l)
                taken.add(l)
            else:
                rest.append(l)
        least = max(-(-len(take) // hi), 2 if clash else 1)
        counts = [n for n in range(least, zones + 1) if n * lo <= len(take)]
        if not counts:
            continue
        todo = rest
        n = min(counts, key=lambda n: (abs(len(take) - n * target), n))
        for group in split_pool(take, n, lo, hi, target, pairs):
            out.append(Sess(b, m, -1, -1, -1, r, group))
        zones_left[r] -= n
        seats_left[r] -= len(take)
    if todo:
        log.warning("%d learners found no seat in block %s", len(todo), cp.block_ids[b])
    return out
