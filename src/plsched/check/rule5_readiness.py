"""Rule 5: in a ``same_skill`` session every learner is ready for its skill; the policy may
allow review of a mastered skill (``allow_review``) or a one-step stretch (``allow_stretch``)."""

from __future__ import annotations

from plsched.check.index import PlanIndex, Readiness
from plsched.check.report import Violation, violation

__all__ = ["violations"]

_WHY = {
    Readiness.MASTERED: "they have already mastered it",
    Readiness.STRETCH: "it is a stretch, with a prerequisite ready but not mastered",
    Readiness.BEYOND: "it is beyond a stretch, with a prerequisite neither mastered nor ready",
}


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    policy = index.instance.policy
    allowed = {Readiness.READY}
    if policy.allow_review:
        allowed.add(Readiness.MASTERED)
    if policy.allow_stretch:
        allowed.add(Readiness.STRETCH)
    for s in index.sessions:
        modality = index.modalities.get(s.modality)
        skill = index.skill(s)
        if modality is None or modality.mix != "same_skill" or skill is None:
            continue
        assert s.subject is not None  # index.skill() found the skill in this subject's model
        for lid in index.members(s):
            learner = index.learners.get(lid)
            if learner is None:
                continue
            state = index.readiness(learner, s.subject, skill)
            if state not in allowed:
                found.append(
                    violation(
                        5,
                        f"learner {lid!r} is not ready for skill {skill.id!r} of session "
                        f"{s.id!r}: {_WHY[state]}.",
                    )
                )
    return found
