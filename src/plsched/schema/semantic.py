"""Semantic checks of a parsed instance, one function per concern.

Each raises :class:`plsched.errors.InputError` with one sentence naming the path and the id.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from plsched.errors import InputError
from plsched.schema.instance import CompetencyModel, Instance


def validate_instance(instance: Instance) -> None:
    """Run every semantic check; the first problem found is raised."""
    check_unique_ids(instance)
    check_competency_models(instance)
    check_ranges(instance)
    check_references(instance)
    check_capacities(instance)


def _unique(kind: str, ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise InputError(f"{kind}[{i}]: id {value!r} is used twice.")
        seen.add(value)
    return seen


def check_unique_ids(instance: Instance) -> None:
    _unique("blocks", (b.id for b in instance.blocks))
    _unique("competency_models", (m.id for m in instance.competency_models))
    _unique("subjects", (s.id for s in instance.subjects))
    _unique("modalities", (m.id for m in instance.modalities))
    _unique("rooms", (r.id for r in instance.rooms))
    _unique("teachers", (t.id for t in instance.teachers))
    _unique("learners", (learner.id for learner in instance.learners))


def check_model_dag(model: CompetencyModel, where: str) -> None:
    """A model's skills are unique, its prerequisites resolve, and the graph is acyclic."""
    ids = _unique(f"{where}.skills", (s.id for s in model.skills))
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(ids)
    for j, skill in enumerate(model.skills):
        for pre in skill.prerequisites:
            if pre not in ids:
                raise InputError(
                    f"{where}.skills[{j}] ({skill.id!r}): prerequisite {pre!r} is not a skill "
                    f"of model {model.id!r}."
                )
            if pre == skill.id:
                raise InputError(f"{where}.skills[{j}] ({skill.id!r}) is its own prerequisite.")
            graph.add_edge(pre, skill.id)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    skills = [edge[0] for edge in cycle] + [cycle[0][0]]
    raise InputError(
        f"{where} ({model.id!r}): prerequisites form a cycle: {' -> '.join(skills)}."
    )


def check_competency_models(instance: Instance) -> None:
    for i, model in enumerate(instance.competency_models):
        check_model_dag(model, f"competency_models[{i}]")


def check_ranges(instance: Instance) -> None:
    for i, m in enumerate(instance.modalities):
        if not m.min_size <= m.target_size <= m.max_size:
            raise InputError(
                f"modalities[{i}] ({m.id!r}): sizes must satisfy min_size <= target_size <= "
                f"max_size, got {m.min_size}, {m.target_size}, {m.max_size}."
            )
    for i, t in enumerate(instance.teachers):
        for j, q in enumerate(t.qualifications):
            if q.min_level > q.max_level:
                raise InputError(
                    f"teachers[{i}].qualifications[{j}] ({t.id!r}): min_level {q.min_level} is "
                    f"above max_level {q.max_level}."
                )
    for i, learner in enumerate(instance.learners):
        if learner.id in learner.avoid:
            raise InputError(f"learners[{i}] ({learner.id!r}) avoids itself.")
        seen: set[tuple[str | None, str]] = set()
        for j, g in enumerate(learner.goals):
            key = (g.subject, g.modality)
            if key in seen:
                raise InputError(
                    f"learners[{i}].goals[{j}] ({learner.id!r}): a second goal for subject "
                    f"{g.subject!r} and modality {g.modality!r}."
                )
            seen.add(key)


def check_references(instance: Instance) -> None:
    blocks = {b.id for b in instance.blocks}
    models = {m.id: m for m in instance.competency_models}
    subjects = {s.id: s for s in instance.subjects}
    modalities = {m.id: m for m in instance.modalities}
    learners = {learner.id for learner in instance.learners}
    skills_of: dict[str, set[str]] = {}
    for i, s in enumerate(instance.subjects):
        if s.model not in models:
            raise InputError(
                f"subjects[{i}] ({s.id!r}): competency model {s.model!r} is neither in the "
                "instance nor in models/."
            )
        skills_of[s.id] = {k.id for k in models[s.model].skills}

    def _blocks(path: str, owner: str, ids: Iterable[str]) -> None:
        for b in ids:
            if b not in blocks:
                raise InputError(f"{path} ({owner!r}): unknown block {b!r}.")

    for i, r in enumerate(instance.rooms):
        _blocks(f"rooms[{i}].unavailable", r.id, r.unavailable)
    for i, t in enumerate(instance.teachers):
        _blocks(f"teachers[{i}].unavailable", t.id, t.unavailable)
        for j, q in enumerate(t.qualifications):
            if q.subject not in subjects:
                raise InputError(
                    f"teachers[{i}].qualifications[{j}] ({t.id!r}): unknown subject {q.subject!r}."
                )
        for m in t.modalities:
            if m not in modalities:
                raise InputError(f"teachers[{i}].modalities ({t.id!r}): unknown modality {m!r}.")
    for i, learner in enumerate(instance.learners):
        path = f"learners[{i}]"
        _blocks(f"{path}.unavailable", learner.id, learner.unavailable)
        for other in learner.avoid:
            if other not in learners:
                raise InputError(f"{path}.avoid ({learner.id!r}): unknown learner {other!r}.")
        for subject, mastered in learner.mastery.items():
            if subject not in subjects:
                raise InputError(f"{path}.mastery ({learner.id!r}): unknown subject {subject!r}.")
            for skill in mastered:
                if skill not in skills_of[subject]:
                    raise InputError(
                        f"{path}.mastery.{subject} ({learner.id!r}): unknown skill {skill!r}."
                    )
        for j, g in enumerate(learner.goals):
            gpath = f"{path}.goals[{j}]"
            if g.modality not in modalities:
                raise InputError(f"{gpath} ({learner.id!r}): unknown modality {g.modality!r}.")
            if g.subject is not None and g.subject not in subjects:
                raise InputError(f"{gpath} ({learner.id!r}): unknown subject {g.subject!r}.")
            if g.subject is None and modalities[g.modality].skill_focus:
                raise InputError(
                    f"{gpath} ({learner.id!r}): modality {g.modality!r} works on a skill, so the "
                    "goal needs a subject."
                )
            for skill in g.focus:
                if g.subject is None or skill not in skills_of[g.subject]:
                    raise InputError(
                        f"{gpath}.focus ({learner.id!r}): {skill!r} is not a skill of subject "
                        f"{g.subject!r}."
                    )


def check_capacities(instance: Instance) -> None:
    """Impossible capacities: a modality that no room can host at its minimum size."""
    used = {g.modality for learner in instance.learners for g in learner.goals}
    for i, m in enumerate(instance.modalities):
        if m.id not in used:
            continue
        fits = [
            r
            for r in instance.rooms
            if r.capacity >= m.min_size and set(m.room_features) <= set(r.features)
        ]
        if not fits:
            raise InputError(
                f"modalities[{i}] ({m.id!r}): no room holds {m.min_size} learners with features "
                f"{sorted(m.room_features)}, so no such session can meet."
            )
        if m.teacher_required and not any(m.id in t.modalities for t in instance.teachers):
            raise InputError(
                f"modalities[{i}] ({m.id!r}) needs a teacher, and no teacher leads it, "
                "yet learners have goals for it."
            )
