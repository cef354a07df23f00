"""Domain KPIs of a plan, computed from the instance and the plan alone.

- ``goal_minutes_met_share``: Σ min(goal, delivered) / Σ goal over every learner's goals, where
  a goal's delivered minutes are the block minutes of the sessions holding the learner with
  the goal's modality and subject (a null subject matches a null subject); 1.0 without goals.
- ``unmet_goal_minutes``: Σ goal − Σ min(goal, delivered).
- ``teacher_led_ready_share``: of the learner-minutes in teacher-led sessions on a skill, the
  share whose skill the learner is ready for; 0.0 when there are none.
- ``teacher_led_focus_share``: of the same minutes, the share on a skill among the learner's
  focus skills (all goals) of the session's subject; 0.0 when there are none.
- ``mean_group_size``: mean number of learners of the teacher-led sessions; 0.0 when none.
- ``teacher_utilisation``: teacher-led sessions / Σ ``max_sessions_per_week``; 0.0 when that
  sum is 0.

A session is teacher-led when it names a teacher. Ids the instance lacks are skipped.
"""

from __future__ import annotations

from collections import Counter

from plsched.check.index import PlanIndex, Readiness

__all__ = ["KPI_NAMES", "compute_kpis"]

KPI_NAMES = (
    "goal_minutes_met_share",
    "unmet_goal_minutes",
    "teacher_led_ready_share",
    "teacher_led_focus_share",
    "mean_group_size",
    "teacher_utilisation",
)


def _share(part: float, whole: float, empty: float) -> float:
    return part / whole if whole > 0 else empty


def compute_kpis(index: PlanIndex) -> dict[str, float]:
    """The KPIs named in :data:`KPI_NAMES`, as floats."""
    # minutes delivered per (learner, modality, subject)
    delivered: Counter[tuple[str, str, str | None]] = Counter()
    ready = focus = skill_minutes = 0
    led_sizes: list[int] = []
    for s in index.sessions:
        block = index.blocks.get(s.block)
        minutes = 0 if block is None else block.minutes
        members = index.members(s)
        for lid in members:
            delivered[lid, s.modality, s.subject] += minutes
        if s.teacher is None:
            continue
        led_sizes.append(len(members))
        skill = index.skill(s)
        if skill is None or s.subject is None:
            continue
        for lid in members:
            learner = index.learners.get(lid)
            if learner is None:
                continue
            skill_minutes += minutes
            if index.readiness(learner, s.subject, skill) is Readiness.READY:
                ready += minutes
            if skill.id in index.focus(learner, s.subject):
                focus += minutes
    wanted = met = 0
    for learner in index.learners.values():
        for g in learner.goals:
            wanted += g.minutes_per_week
            met += min(g.minutes_per_week, delivered[learner.id, g.modality, g.subject])
    capacity = sum(t.max_sessions_per_week for t in index.teachers.values())
    return {
        "goal_minutes_met_share": _share(met, wanted, 1.0),
        "unmet_goal_minutes": float(wanted - met),
        "teacher_led_ready_share": _share(ready, skill_minutes, 0.0),
        "teacher_led_focus_share": _share(focus, skill_minutes, 0.0),
        "mean_group_size": _share(sum(led_sizes), len(led_sizes), 0.0),
        "teacher_utilisation": _share(len(led_sizes), capacity, 0.0),
    }
