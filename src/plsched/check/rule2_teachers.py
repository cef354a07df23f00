"""Rule 2: a teacher leads at most one session per block, only when available, only modalities
they lead, within their daily and weekly maxima, and only subjects and skill levels they are
qualified for."""

from __future__ import annotations

from collections import Counter, defaultdict

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation
from plsched.schema.instance import Teacher
from plsched.schema.schedule import Session

__all__ = ["violations"]


def _qualification(index: PlanIndex, teacher: Teacher, s: Session) -> Violation | None:
    """A sentence when ``teacher`` may not lead the subject or skill of ``s``."""
    if s.subject is None or s.subject not in index.subjects:
        return None
    ranges = [q for q in teacher.qualifications if q.subject == s.subject]
    if not ranges:
        return violation(
            2,
            f"teacher {teacher.id!r} has no qualification in subject {s.subject!r} but leads "
            f"session {s.id!r}.",
        )
    modality = index.modalities.get(s.modality)
    skill = index.skill(s)
    if modality is None or not modality.skill_focus or skill is None:
        return None
    if any(q.min_level <= skill.level <= q.max_level for q in ranges):
        return None
    spans = ", ".join(f"{q.min_level:g}-{q.max_level:g}" for q in ranges)
    return violation(
        2,
        f"teacher {teacher.id!r} is qualified in subject {s.subject!r} for levels {spans} but "
        f"leads session {s.id!r} on skill {skill.id!r} of level {skill.level:g}.",
    )


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    led: dict[tuple[str, str], list[str]] = defaultdict(list)  # (teacher, block) -> sessions
    per_day: Counter[tuple[str, str]] = Counter()
    per_week: Counter[str] = Counter()
    for s in index.sessions:
        teacher = index.teachers.get(s.teacher) if s.teacher is not None else None
        if teacher is None:
            continue
        per_week[teacher.id] += 1
        block = index.blocks.get(s.block)
        if block is not None:
            led[teacher.id, block.id].append(s.id)
            per_day[teacher.id, block.day] += 1
            if block.id in teacher.unavailable:
                found.append(
                    violation(
                        2,
                        f"teacher {teacher.id!r} is unavailable in block {block.id!r} but leads "
                        f"session {s.id!r}.",
                    )
                )
        if s.modality in index.modalities and s.modality not in teacher.modalities:
            found.append(
                violation(
                    2,
                    f"teacher {teacher.id!r} does not lead modality {s.modality!r} but leads "
                    f"session {s.id!r}.",
                )
            )
        unqualified = _qualification(index, teacher, s)
        if unqualified is not None:
            found.append(unqualified)
    for (tid, block_id), sids in led.items():
        if len(sids) > 1:
            names = ", ".join(repr(sid) for sid in sids)
            found.append(
                violation(
                    2,
                    f"teacher {tid!r} leads {len(sids)} sessions ({names}) in block {block_id!r}.",
                )
            )
    for (tid, day), n in per_day.items():
        cap = index.teachers[tid].max_sessions_per_day
        if n > cap:
            found.append(
                violation(
                    2,
                    f"teacher {tid!r} leads {n} sessions on day {day!r}, over their daily "
                    f"maximum of {cap}.",
                )
            )
    for tid, n in per_week.items():
        cap = index.teachers[tid].max_sessions_per_week
        if n > cap:
            found.append(
                violation(
                    2,
                    f"teacher {tid!r} leads {n} sessions in the plan, over their weekly maximum "
                    f"of {cap}.",
                )
            )
    return found
