"""Rule 7: teacher-required modalities have a teacher, others none; skill-focus sessions
name a skill of their subject, others none.

Enforced by construction: candidates (teacher-led) come from teachers' modalities and carry a
skill exactly when the modality is skill_focus; pools (teacherless) carry neither teacher nor
skill. :func:`consistent` states the rule for tests.
"""

from __future__ import annotations

from plsched.compiled import CompiledProblem
from plsched.solvers.cpsat.variables import Candidate, Pool


def consistent(cp: CompiledProblem, item: Candidate | Pool) -> bool:
    if isinstance(item, Pool):
        return not cp.mod_teacher[item.modality] and not cp.mod_skill[item.modality]
    has_skill = item.skill >= 0 and int(cp.skill_subject[item.skill]) == item.subject
    return bool(cp.mod_teacher[item.modality]) and has_skill == bool(cp.mod_skill[item.modality])
