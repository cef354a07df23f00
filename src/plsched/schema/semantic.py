"""Semantic checks of a parsed instance, one function per concern.

pydantic has already checked shapes, types and single-field ranges; these checks look across
fields and objects. Each raises :class:`plsched.errors.InputError` with one sentence naming the
path and the id; :func:`validate_instance` runs them all and stops at the first problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import networkx as nx

from plsched.errors import InputError
from plsched.schema.instance import CompetencyModel, Instance

__all__ = [
    "check_blocks",
    "check_capacities",
    "check_competency_models",
    "check_model_dag",
    "check_ranges",
    "check_references",
    "check_unique_ids",
    "validate_instance",
]

_DAY_MINUTES = 24 * 60


def validate_instance(instance: Instance) -> None:
    """Run every semantic check; the first problem found is raised."""
    check_unique_ids(instance)
    check_competency_models(instance)
    check_blocks(instance)
    check_ranges(instance)
    check_references(instance)
    check_capacities(instance)


def _unique(kind: str, ids: Iterable[str]) -> set[str]:
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value in first:
            raise InputError(
                f"{kind}[{i}]: id {value!r} is already used by {kind}[{first[value]}]."
            )
        first[value] = i
    return set(first)


def check_unique_ids(instance: Instance) -> None:
    """Ids are unique within each kind."""
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
    for j, (pre, post) in enumerate(model.added_edges):
        for end in (pre, post):
            if end not in ids:
                raise InputError(
                    f"{where}.added_edges[{j}] ({model.id!r}): {end!r} is not a skill of the model."
                )
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    skills = [edge[0] for edge in cycle] + [cycle[0][0]]
    raise InputError(f"{where} ({model.id!r}): prerequisites form a cycle: {' -> '.join(skills)}.")


def check_competency_models(instance: Instance) -> None:
    """Every embedded competency model is a DAG over its own skills."""
    for i, model in enumerate(instance.competency_models):
        check_model_dag(model, f"competency_models[{i}]")


def _minutes_of_day(start: str) -> int:
    hours, minutes = start.split(":")
    return int(hours) * 60 + int(minutes)


def check_blocks(instance: Instance) -> None:
    """Blocks end by midnight and blocks of one day do not overlap (a learner is in one session
    per block, so two blocks at once would put them in two places)."""
    by_day: dict[str, list[tuple[int, int, int]]] = {}
    for i, b in enumerate(instance.blocks):
        begin = _minutes_of_day(b.start)
        end = begin + b.minutes
        if end > _DAY_MINUTES:
            raise InputError(
                f"blocks[{i}] ({b.id!r}): starting at {b.start}, {b.minutes} minutes run past "
                "midnight."
            )
        by_day.setdefault(b.day, []).append((begin, end, i))
    for spans in by_day.values():
        spans.sort()
        for (_, end, i), (begin, _, j) in pairwise(spans):
            if begin < end:
                first, second = instance.blocks[i], instance.blocks[j]
                raise InputError(
                    f"blocks[{j}] ({second.id!r}) starts at {second.start}, before blocks[{i}] "
                    f"({first.id!r}) ends on day {first.day!r}."
                )


def check_ranges(instance: Instance) -> None:
    """Numbers that must be ordered, and entries that make no sense twice."""
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
                    f"teachers[{i}].qualifications[{j}] ({t.id!r}): min_level {q.min_level:g} "
                    f"is above max_level {q.max_level:g}."
                )
    for i, learner in enumerate(instance.learners):
        if learner.id in learner.avoid:
            raise InputError(
                f"learners[{i}].avoid ({learner.id!r}): a learner cannot avoid itself."
            )
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
    """Every id that names another object resolves."""
    blocks = {b.id for b in instance.blocks}
    models = {m.id: m for m in instance.competency_models}
    subjects = {s.id for s in instance.subjects}
    modalities = {m.id: m for m in instance.modalities}
    learners = {learner.id for learner in instance.learners}
    skills_of: dict[str, set[str]] = {}
    for i, s in enumerate(instance.subjects):
        if s.model not in models:
            raise InputError(
                f"subjects[{i}].model ({s.id!r}): competency model {s.model!r} is neither in the "
                "instance nor in a models/ folder."
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
                    f"teachers[{i}].qualifications[{j}].subject ({t.id!r}): unknown subject "
                    f"{q.subject!r}."
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
                        f"{path}.mastery.{subject} ({learner.id!r}): {skill!r} is not a skill of "
                        f"subject {subject!r}."
                    )
        for j, g in enumerate(learner.goals):
            gpath = f"{path}.goals[{j}]"
            if g.modality not in modalities:
                raise InputError(
                    f"{gpath}.modality ({learner.id!r}): unknown modality {g.modality!r}."
                )
            if g.subject is not None and g.subject not in subjects:
                raise InputError(
                    f"{gpath}.subject ({learner.id!r}): unknown subject {g.subject!r}."
                )
            if g.subject is None and modalities[g.modality].skill_focus:
                raise InputError(
                    f"{gpath}.subject ({learner.id!r}): modality {g.modality!r} works on a skill, "
                    "so the goal needs a subject."
                )
            for skill in g.focus:
                if g.subject is None or skill not in skills_of[g.subject]:
                    raise InputError(
                        f"{gpath}.focus ({learner.id!r}): {skill!r} is not a skill of subject "
                        f"{g.subject!r}."
                    )


def check_capacities(instance: Instance) -> None:
    """Impossible capacities: a kind of session that learners have goals for and that can never
    meet, because no room holds its minimum size with the features it needs, or no teacher
    leads it."""
    subjects = {s.id: s for s in instance.subjects}
    modalities = {m.id: (i, m) for i, m in enumerate(instance.modalities)}
    wanted = {(g.subject, g.modality) for learner in instance.learners for g in learner.goals}
    for subject_id, modality_id in sorted(wanted, key=lambda k: (k[1], k[0] or "")):
        i, m = modalities[modality_id]
        features = set(m.room_features)
        if subject_id is not None:
            features |= set(subjects[subject_id].room_features)
        if not any(
            r.capacity >= m.min_size and features <= set(r.features) for r in instance.rooms
        ):
            with_features = f" with features {sorted(features)}" if features else ""
            of_subject = f" of subject {subject_id!r}" if subject_id is not None else ""
            raise InputError(
                f"modalities[{i}] ({m.id!r}): no room holds its min_size of {m.min_size} learners"
                f"{with_features}, so no {m.id!r} session{of_subject} can meet."
            )
        if m.teacher_required and not any(m.id in t.modalities for t in instance.teachers):
            raise InputError(
                f"modalities[{i}] ({m.id!r}) needs a teacher, and no teacher leads it, "
                "yet learners have goals for it."
            )
