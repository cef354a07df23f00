"""Competency models prepared for drawing realistic, prerequisite-closed mastery."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from plsched.errors import InputError
from plsched.io import default_model_dirs, load_competency_model
from plsched.schema.instance import CompetencyModel

__all__ = ["Curriculum", "load_curriculum"]


@dataclass
class Curriculum:
    """One subject's model with a canonical topological order and mastery per level.

    A learner at level ``L`` masters every skill below ``L`` whose prerequisites are mastered,
    then a prefix of ``steps(L)``: the skills of level ``[L, L + 1)`` in canonical order whose
    prerequisites are all met by what comes before. Any such prefix is prerequisite-closed.
    """

    subject: str
    model: CompetencyModel
    order: list[str] = field(init=False)
    level: dict[str, float] = field(init=False)
    prereqs: dict[str, tuple[str, ...]] = field(init=False)
    _base: dict[int, list[str]] = field(init=False, default_factory=dict)
    _steps: dict[int, list[str]] = field(init=False, default_factory=dict)
    _frontier: dict[tuple[int, int], list[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        skills = self.model.skills
        position = {s.id: j for j, s in enumerate(skills)}
        self.level = {s.id: s.level for s in skills}
        self.prereqs = {s.id: s.prerequisites for s in skills}
        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from(s.id for s in skills)
        graph.add_edges_from((p, s.id) for s in skills for p in s.prerequisites)
        self.order = list(
            nx.lexicographical_topological_sort(graph, key=lambda k: (self.level[k], position[k]))
        )

    @property
    def min_level(self) -> int:
        return math.floor(min(self.level.values()))

    @property
    def max_level(self) -> int:
        return math.floor(max(self.level.values()))

    def _prepare(self, lvl: int) -> None:
        base: list[str] = []
        have: set[str] = set()
        steps: list[str] = []
        for k in self.order:
            if not all(p in have for p in self.prereqs[k]):
                continue
            if self.level[k] < lvl:
                base.append(k)
                have.add(k)
            elif self.level[k] < lvl + 1:
                steps.append(k)
                have.add(k)
        self._base[lvl] = base
        self._steps[lvl] = steps

    def steps(self, lvl: int) -> list[str]:
        if lvl not in self._steps:
            self._prepare(lvl)
        return self._steps[lvl]

    def mastered(self, lvl: int, done: int) -> list[str]:
        """Skills mastered by a learner at level ``lvl`` who has done ``done`` of its steps."""
        if lvl not in self._base:
            self._prepare(lvl)
        return self._base[lvl] + self._steps[lvl][:done]

    def frontier(self, lvl: int, done: int) -> list[str]:
        """The ready skills of that learner: lowest level first, then canonical order."""
        key = (lvl, done)
        if key not in self._frontier:
            have = set(self.mastered(lvl, done))
            ready = [
                k for k in self.order if k not in have and all(p in have for p in self.prereqs[k])
            ]
            self._frontier[key] = sorted(ready, key=lambda k: self.level[k])  # stable
        return self._frontier[key]


def load_curriculum(subject: str, model_id: str) -> Curriculum:
    """Load a model by id from the usual model folders."""
    model = load_competency_model(model_id, default_model_dirs())
    if model is None:
        raise InputError(f"competency model {model_id!r} is not in any models/ folder.")
    return Curriculum(subject, model)
