"""Fair teacher loads (docs/objective.md, "Fair load"), in exact rational arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

from plsched.schema.instance import Instance, Teacher

__all__ = ["fair_loads", "teacher_capacity"]


def teacher_capacity(instance: Instance, teacher: Teacher) -> int:
    """cap(t): the week cap, or the sum over days of the day cap and the available blocks."""
    away = set(teacher.unavailable)
    free_per_day: dict[str, int] = {}
    for block in instance.blocks:
        free_per_day.setdefault(block.day, 0)
        if block.id not in away:
            free_per_day[block.day] += 1
    per_days = sum(min(teacher.max_sessions_per_day, n) for n in free_per_day.values())
    return min(teacher.max_sessions_per_week, per_days)


def teacher_demand(instance: Instance) -> Fraction:
    """D: teacher-led goal minutes in sessions of target size and mean block length."""
    mean_minutes = Fraction(sum(b.minutes for b in instance.blocks), len(instance.blocks))
    minutes_per_modality = dict.fromkeys((m.id for m in instance.modalities), 0)
    for learner in instance.learners:
        for goal in learner.goals:
            minutes_per_modality[goal.modality] += goal.minutes_per_week
    # Σ over goals of minutes / (target × mean) = Σ over modalities of Σ minutes / (target × mean).
    return sum(
        (
            Fraction(minutes_per_modality[m.id]) / (m.target_size * mean_minutes)
            for m in instance.modalities
            if m.teacher_required
        ),
        Fraction(0),
    )


def fair_loads(instance: Instance) -> dict[str, int]:
    """fair(t) = ceil(cap(t) × min(1, D / C)) per teacher id, 0 for all when C = 0."""
    caps = {t.id: teacher_capacity(instance, t) for t in instance.teachers}
    total = sum(caps.values())
    if total == 0:
        return dict.fromkeys(caps, 0)
    share = min(Fraction(1), teacher_demand(instance) / total)
    return {tid: math.ceil(cap * share) for tid, cap in caps.items()}
