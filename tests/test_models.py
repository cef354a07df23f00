"""The competency models of ``models/``: source fidelity, provenance, DAG shape, readiness."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from plsched.schema.instance import CompetencyModel
from plsched.schema.semantic import check_model_dag

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MODELS = REPO / "models"
SCRIPT = REPO / "scripts" / "build_models.py"
MODEL_FILES = ["ccss-math-k8.json", "literacy-k8.json", "science-k8.json"]


def load(name: str) -> CompetencyModel:
    return CompetencyModel.model_validate_json((MODELS / name).read_text(encoding="utf-8"))


def edges(model: CompetencyModel) -> set[tuple[str, str]]:
    return {(p, s.id) for s in model.skills for p in s.prerequisites}


def math_source() -> tuple[list[str], list[tuple[str, str]]]:
    folder = DATA / "ccss-math-k8"
    if not (folder / "standards.csv").exists():
        pytest.fail(
            f"shared data not found at {folder}: the repository must sit beside ../shared "
            "(see ../shared/data/README.md)."
        )
    with (folder / "standards.csv").open(newline="", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    with (folder / "prerequisites.csv").open(newline="", encoding="utf-8") as f:
        pairs = [(row["prerequisite"], row["standard"]) for row in csv.DictReader(f)]
    return codes, pairs


def test_math_model_holds_every_standard_and_source_edge() -> None:
    codes, source = math_source()
    model = load("ccss-math-k8.json")
    assert (model.id, model.subject) == ("ccss-math-k8", "math")
    assert len(codes) == 317 and len(source) == 454
    assert sorted(s.id for s in model.skills) == sorted(codes)
    assert set(source) <= edges(model)


def test_math_edges_are_source_or_listed_as_added() -> None:
    _, source = math_source()
    model = load("ccss-math-k8.json")
    added = set(model.added_edges)
    assert len(added) == len(model.added_edges), "added_edges has duplicates"
    assert not added & set(source), "a source edge is listed as added"
    assert edges(model) == set(source) | added


def test_original_models_add_no_edges() -> None:
    for name in MODEL_FILES[1:]:
        model = load(name)
        assert model.added_edges == ()
        assert model.source == "plsched (original)"
        assert 60 <= len(model.skills) <= 110


@pytest.mark.parametrize("name", MODEL_FILES)
def test_model_validates_and_is_acyclic(name: str) -> None:
    model = load(name)
    check_model_dag(model, name)
    graph = nx.DiGraph(list(edges(model)))
    graph.add_nodes_from(s.id for s in model.skills)
    assert nx.is_directed_acyclic_graph(graph)
    assert {s.level for s in model.skills} == set(range(9))


@pytest.mark.parametrize("name", MODEL_FILES)
def test_no_prerequisite_above_its_skill(name: str) -> None:
    model = load(name)
    level = {s.id: s.level for s in model.skills}
    high = [(p, s.id) for s in model.skills for p in s.prerequisites if level[p] > s.level]
    assert high == []


@pytest.mark.parametrize("name", MODEL_FILES)
@pytest.mark.parametrize("grade", range(1, 9))
def test_learner_through_previous_grades_is_ready_for_this_grade_only(
    name: str, grade: int
) -> None:
    model = load(name)
    mastered = {s.id for s in model.skills if s.level < grade}
    ready = [s for s in model.skills if s.id not in mastered and set(s.prerequisites) <= mastered]
    assert ready, f"nothing of grade {grade} is ready"
    assert {s.level for s in ready} == {grade}
    assert len(ready) <= 20


def test_build_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    math_source()  # fails with a clear message when the shared data is missing
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        subprocess.run(
            [sys.executable, str(SCRIPT), "--data", str(DATA), "--out", str(out)],
            check=True,
            capture_output=True,
        )
    for name in MODEL_FILES:
        first = (outs[0] / name).read_bytes()
        assert first == (outs[1] / name).read_bytes()
        assert first == (MODELS / name).read_bytes(), f"{name} is stale: rerun the script"
