"""A valid lower bound on the objective, from a per-learner relaxation, and the reasons why a
goal cannot be met.

Why it is a bound. Drop every constraint that couples learners except the existence of a
session a learner could join: for learner l and goal g = (subject, modality), a block b can
deliver g only if l is available at b and some session of g could meet there with l in it —
a free teacher who leads the modality, carries l's needed tags and (for a skill-focus session)
is qualified for a skill l may attend, with at least ``min_size`` learners available at b who
may attend that skill. Let D_g be the minutes of such blocks, D^F_g those where the skill can
be one of l's focus skills, and A_l the minutes l is available. Any plan delivers x_g ≤
min(goal_g, D_g) to each goal, Σ_g x_g ≤ A_l, and pays W_goal per minute short and W_focus
per teacher-led minute off focus (at least x_g − D^F_g of them). The cheapest such x per
learner, found greedily (cheapest minutes first), is a lower bound of that learner's
shortfall and off-focus cost in every plan; the other terms are non-negative. Summing over
learners bounds the objective from below. `tests/solvers/test_bound.py` checks it against
proven optima.

The same argument holds for any subset of the goals (drop the others' x_g): its result bounds
the shortfall of those goals plus the off-focus minutes of the sessions that count for them.

:func:`lower_bound` returns the largest of this bound, the session bound
(:mod:`plsched.solvers.session_bound`: whole sessions counted per subject, for the goals of
teacher-led skill-focus modalities, plus this bound for the other goals, whose sessions pay no
off_focus), either of these two plus the group_size that too few room zones force on sessions
neither counts (:func:`~plsched.solvers.session_bound.crowding_floor`), and the LP
relaxation's (:mod:`plsched.solvers.lp_bound`, which couples learners through teachers, rooms
and group sizes and reuses the masks behind D_g and D^F_g), each a bound, for the scaled
objective; for raw goal_shortfall, the larger of this one and the LP's.
A part that fails or runs out of time is left out.

:func:`joint_bound` is a fourth, usually the strongest on whole schools and the slowest (the
subjects' models and the sessions of every teacher-led goal in one LP, with the teachers'
loads over their fair loads, :func:`~plsched.solvers.session_bound.joint_lower_bound`);
:func:`plsched.solve` runs it beside the search and keeps the larger bound.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from plsched.compiled import MIX_SAME_SKILL, CompiledProblem
from plsched.solvers.cpsat.candidates import Prepared
from plsched.solvers.lp_bound import DEFAULT_TIME_LIMIT, lp_lower_bound
from plsched.solvers.session_bound import (
    MAX_LENGTH_CLASSES,
    SESSION_SHARE,
    crowding_floor,
    joint_lower_bound,
    session_goals,
    session_lower_bounds,
)

__all__ = ["GoalReach", "LowerBound", "goal_reach", "joint_bound", "lower_bound"]

log = logging.getLogger(__name__)

#: Seconds of the joint bound's time limit (a quarter at most) kept for its LP with one block
#: length class, when the LP with the lengths apart does not finish (see joint_bound). None:
#: with 8 s kept, the large preset's LP with the lengths apart missed its shorter limit in one
#: 60-s solve of two (bound 1,671 for 1,965), and with the one-class LP solved first, or 8 s
#: kept, the campus preset planned at 4,568-4,658 in most 60-s runs, against 4,322-4,355 with
#: neither. So the one-class LP runs only when the other stops with time left.
ONE_CLASS_RESERVE = 0.0


@dataclass(frozen=True)
class GoalReach:
    """What one learner's goal can get at best, and why not more."""

    learner: int
    subject: int
    modality: int
    goal: int
    reachable: int  # D_g
    focus_reachable: int  # D^F_g
    reason: str


@dataclass(frozen=True)
class LowerBound:
    scaled: int  # bound on the scaled objective
    shortfall_minutes: int  # bound on raw goal_shortfall
    reaches: tuple[GoalReach, ...]


def _skill_blocks(cp: CompiledProblem, prep: Prepared) -> np.ndarray:
    """(K, B) learners available at b who may attend skill k in a same_skill session."""
    allowed = prep.allowed.astype(np.float32)
    avail = cp.learner_available.astype(np.float32)
    counts: np.ndarray = allowed.T @ avail
    return counts


@dataclass(frozen=True)
class ReachMasks:
    """Where each goal (row g of the compiled goals) can be delivered, for the LP bound.

    ``ok[g, b]``: block b can deliver goal g to its learner (D_g's blocks); ``focus_ok[g, b]``:
    it can do so on one of the learner's focus skills (D^F_g's blocks; equal to ``ok`` when
    no off-focus cost can arise); ``teachers[g, t]``: teacher t could lead a session of g with
    the learner in it, availability aside (leads the modality, carries the learner's tags, is
    qualified in the subject and, for skill focus, for a skill the learner may attend).
    """

    ok: np.ndarray  # (G, B) bool
    focus_ok: np.ndarray  # (G, B) bool
    teachers: np.ndarray  # (G, T) bool


def goal_reach(cp: CompiledProblem, prep: Prepared) -> list[GoalReach]:
    """Per goal, the minutes the per-learner relaxation can deliver and why not more."""
    return goal_reach_masks(cp, prep)[0]


def goal_reach_masks(cp: CompiledProblem, prep: Prepared) -> tuple[list[GoalReach], ReachMasks]:
    """:func:`goal_reach` and the block and teacher masks behind it (one pass, one logic)."""
    out: list[GoalReach] = []
    n_goals = cp.goal_learner.size
    ok_all = np.zeros((n_goals, cp.n_blocks), dtype=bool)
    okf_all = np.zeros((n_goals, cp.n_blocks), dtype=bool)
    teachers_all = np.zeros((n_goals, cp.n_teachers), dtype=bool)
    counts = _skill_blocks(cp, prep)
    minutes = cp.block_minutes
    # (K, B) "some teacher who leads m, has these tags and is qualified for k is in at b",
    # cached per (modality, tag needs): learners share few distinct needs
    taught_cache: dict[tuple[int, int], np.ndarray] = {}

    def taught_all(m: int, need: int) -> np.ndarray:
        key = (m, need)
        if key not in taught_cache:
            leads = cp.teacher_modalities[:, m] & ((cp.teacher_tags & need) == need)
            can = cp.teacher_can_skill[leads].astype(np.float32)
            taught_cache[key] = (can.T @ cp.teacher_available[leads].astype(np.float32)) > 0
        return taught_cache[key]

    for g in range(cp.goal_learner.size):
        l = int(cp.goal_learner[g])
        s, m = int(cp.goal_subject[g]), int(cp.goal_modality[g])
        goal = int(cp.goal_minutes[g])
        avail = cp.learner_available[l]
        name = cp.modality_ids[m]
        lo = int(cp.mod_min[m])
        if not avail.any():
            out.append(GoalReach(l, s, m, goal, 0, 0, "the learner is unavailable all week"))
            continue
        if not cp.mod_teacher[m]:
            ok_all[g] = okf_all[g] = avail
            reach = int(minutes[avail].sum())
            out.append(GoalReach(l, s, m, goal, reach, reach, "not enough available blocks"))
            continue
        if int(cp.learner_max_group[l]) < lo:
            out.append(
                GoalReach(
                    l,
                    s,
                    m,
                    goal,
                    0,
                    0,
                    f"{name} needs at least {lo} learners, more than the learner's max_group_size",
                )
            )
            continue
        leads = cp.teacher_modalities[:, m] & (
            (cp.teacher_tags & cp.learner_need_tags[l]) == cp.learner_need_tags[l]
        )
        if s >= 0:
            leads &= cp.teacher_subject[:, s]
        if not leads.any():
            need = "" if not cp.learner_need_tags[l] else " with the tags the learner needs"
            out.append(GoalReach(l, s, m, goal, 0, 0, f"no teacher{need} leads {name} here"))
            continue
        teacher_blocks = cp.teacher_available[leads]  # (T', B)
        if not cp.mod_skill[m]:
            ok = avail & teacher_blocks.any(axis=0)
            ok_all[g] = okf_all[g] = ok
            teachers_all[g] = leads
            reach = int(minutes[ok].sum())
            out.append(GoalReach(l, s, m, goal, reach, reach, "qualified teachers are away"))
            continue
        skills = np.flatnonzero(cp.skill_subject == s)
        if cp.mod_mix[m] == MIX_SAME_SKILL:
            skills = skills[prep.allowed[l, skills]]
        if skills.size == 0:
            out.append(GoalReach(l, s, m, goal, 0, 0, "the learner is ready for no skill"))
            continue
        taught = taught_all(m, int(cp.learner_need_tags[l]))[skills]  # (K', B)
        if not taught.any():
            out.append(
                GoalReach(
                    l,
                    s,
                    m,
                    goal,
                    0,
                    0,
                    f"no teacher who leads {name} is qualified for a skill the learner "
                    "is ready for",
                )
            )
            continue
        if cp.mod_mix[m] == MIX_SAME_SKILL:
            peers = counts[skills] >= lo  # (K', B) includes the learner
        else:
            peers = np.broadcast_to(
                cp.learner_available.sum(axis=0) >= lo, (skills.size, cp.n_blocks)
            )
        ok_k = taught & peers & avail
        ok = ok_k.any(axis=0)
        focus_k = cp.focus[l, skills]
        if cp.has_focus[l, s]:
            ok_f = ok_k[focus_k].any(axis=0) if focus_k.any() else np.zeros_like(ok)
        else:
            ok_f = ok
        ok_all[g], okf_all[g] = ok, ok_f
        teachers_all[g] = leads & cp.teacher_can_skill[:, skills].any(axis=1)
        reach, reach_f = int(minutes[ok].sum()), int(minutes[ok_f].sum())
        if reach == 0:
            lonely = [
                cp.skill_ids[k].split("/", 1)[1] for k in skills[(taught & avail).any(axis=1)]
            ]
            if lonely:
                reason = (
                    f"no other learner is ready for {', '.join(lonely[:3])} when a teacher "
                    f"is free, and {name} needs at least {lo}"
                )
            else:
                reason = "no qualified teacher is free when the learner is"
        else:
            reason = "teachers and peers were needed by other groups in the blocks available"
        out.append(GoalReach(l, s, m, goal, reach, reach_f, reason))
    return out, ReachMasks(ok_all, okf_all, teachers_all)


def lower_bound(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    *,
    lp: bool = True,
    time_limit: float = DEFAULT_TIME_LIMIT,
    reach: tuple[list[GoalReach], ReachMasks] | None = None,
) -> LowerBound:
    """The largest of three bounds on the scaled objective, each valid alone: the per-learner
    bound; with ``lp``, the session bound (:mod:`plsched.solvers.session_bound`: per subject,
    whole sessions counted, plus the per-learner bound of the goals it leaves out), each of these
    two plus the group_size of crowded teacherless sessions (its ``crowding_floor``), and the LP
    relaxation's (:mod:`plsched.solvers.lp_bound`). For raw goal_shortfall, the larger of the
    per-learner and LP bounds. The session bound has ``SESSION_SHARE`` of ``time_limit``, the
    LP the rest; a part that fails or runs out of time is left out (the per-learner bound of
    a subject's goals stands in for its session bound). ``reach``: :func:`goal_reach_masks`
    when the caller has it."""
    t0 = time.monotonic()
    reaches, masks = goal_reach_masks(cp, prep) if reach is None else reach
    per_learner = _per_learner_bound(cp, reaches, weights)
    log.info("per-learner bound %d: %.2f s", per_learner.scaled, time.monotonic() - t0)
    if not lp:
        return per_learner
    t = time.monotonic()
    sessions = _session_total(cp, prep, weights, reaches, SESSION_SHARE * time_limit)
    # group_size of sessions neither the subjects' models nor the per-learner bound count
    crowding = int(weights.get("group_size", 0)) * int(crowding_floor(cp).sum())
    log.info("session bound %d + crowding %d: %.2f s", sessions, crowding, time.monotonic() - t)
    t = time.monotonic()
    found = lp_lower_bound(
        cp,
        masks,
        weights,
        known_shortfall=per_learner.shortfall_minutes,
        time_limit=max(0.5, time_limit - (t - t0)),  # the rest, half a second at least
    )
    log.info("LP bound %s: %.2f s", None if found is None else found.scaled, time.monotonic() - t)
    return LowerBound(
        scaled=max(
            per_learner.scaled + crowding,
            sessions + crowding,
            0 if found is None else found.scaled,
        ),
        shortfall_minutes=max(
            per_learner.shortfall_minutes, 0 if found is None else found.shortfall_minutes
        ),
        reaches=per_learner.reaches,
    )


def joint_bound(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    reaches: Sequence[GoalReach],
    *,
    time_limit: float,
) -> int | None:
    """The joint relaxation (:func:`~plsched.solvers.session_bound.joint_lower_bound`: every
    teacher-led goal in one LP, teachers' loads over their fair loads, zones and seats shared
    with the sessions of learners working alone) plus the per-learner bound of the goals it
    leaves out; None when HiGHS solved none of its LPs within ``time_limit``. Slower than
    :func:`lower_bound` (seconds on whole schools), so :func:`plsched.solve` runs it beside
    the search. ``reaches``: :func:`goal_reach` of every goal, in goal order.

    Where the week has blocks of several lengths and HiGHS stops on that LP with time left
    (``ONE_CLASS_RESERVE`` kept for it, none by default), the LP with every length in one class
    follows: weaker (a sitting delivers the longest block's minutes), but its HiGHS takes
    seconds where the other may take the whole limit. With blocks of 45 and 60 minutes, alone
    on this machine: 2.3 s for 1,671 against 54 s for 1,965 on the large preset; 7.0 s for
    2,669 against 49 s for 2,855 on a random 1,196-learner school, whose solve at 60 s states
    the session bound, 1,156, as the LP does not finish beside the search."""
    t0 = time.monotonic()
    deadline = t0 + time_limit
    several = np.unique(cp.block_minutes).size > 1
    reserve = min(ONE_CLASS_RESERVE, 0.25 * time_limit) if several else 0.0
    found = joint_lower_bound(
        cp, prep, weights, time_limit=time_limit - reserve, length_classes=MAX_LENGTH_CLASSES
    )
    left = deadline - time.monotonic()
    if found.scaled is None and several and left > 0:
        found = joint_lower_bound(cp, prep, weights, time_limit=left, length_classes=1)
    if found.scaled is None:
        log.info("joint bound: none in %.2f s", time.monotonic() - t0)
        return None
    rest = [r for r, inside in zip(reaches, found.covered, strict=True) if not inside]
    total = found.scaled + _per_learner_bound(cp, rest, weights).scaled
    log.info("joint bound %d: %.2f s", total, time.monotonic() - t0)
    return total


def _session_total(
    cp: CompiledProblem,
    prep: Prepared,
    weights: dict[str, int],
    reaches: list[GoalReach],
    time_limit: float,
) -> int:
    """The subjects' session bounds plus the per-learner bound of the goals they leave out."""
    subjects = session_lower_bounds(cp, prep, weights, time_limit=time_limit)
    counted = session_goals(cp)
    for part in subjects:
        if part.scaled is None:
            counted &= cp.goal_subject != part.subject
    rest = [r for r, inside in zip(reaches, counted, strict=True) if not inside]
    return sum(p.scaled or 0 for p in subjects) + _per_learner_bound(cp, rest, weights).scaled


def _per_learner_bound(
    cp: CompiledProblem, reaches: list[GoalReach], weights: dict[str, int]
) -> LowerBound:
    """The greedy per-learner bound of the module docstring."""
    w_goal = weights.get("goal_shortfall", 0)
    w_focus = weights.get("off_focus", 0)
    avail_minutes = (cp.learner_available * cp.block_minutes).sum(axis=1)
    per: dict[int, list[GoalReach]] = {}
    for r in reaches:
        per.setdefault(r.learner, []).append(r)
    scaled = 0
    short_total = 0
    for l, goals in per.items():
        total = sum(r.goal for r in goals)
        good = sum(min(r.goal, r.focus_reachable) for r in goals)
        off = sum(min(r.goal, r.reachable) - min(r.goal, r.focus_reachable) for r in goals)
        budget = int(avail_minutes[l])
        x1 = min(good, budget)
        x2 = min(off, budget - x1) if w_focus < w_goal else 0
        short = total - x1 - x2
        short_total += short
        scaled += w_goal * short + w_focus * x2
    return LowerBound(scaled=scaled, shortfall_minutes=short_total, reaches=tuple(reaches))
