"""Reading JSON, finding competency models on disk, writing atomically."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import plsched
from plsched.io import (
    default_model_dirs,
    dump_json,
    load_competency_model,
    load_schedule,
    read_json,
    write_json_atomic,
)

SKILLS = [
    {"id": "a", "level": 0, "prerequisites": []},
    {"id": "b", "level": 1, "prerequisites": ["a"]},
]


def test_tiny_loads_as_it_is(tiny_path: Path) -> None:
    instance = plsched.load_instance(tiny_path)
    assert instance.name == "example-tiny"
    assert [len(instance.blocks), len(instance.learners)] == [6, 12]


def test_parse_instance_accepts_a_dict(tiny_data: dict[str, Any]) -> None:
    assert plsched.parse_instance(tiny_data) == plsched.load_instance(
        Path(__file__).resolve().parents[2] / "shared" / "examples" / "tiny.json"
    )


def test_read_json_reads_a_document(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"a": [1, 2.5, null]}', encoding="utf-8")
    assert read_json(path, "thing") == {"a": [1, 2.5, None]}


def test_read_json_names_what_it_reads(tmp_path: Path) -> None:
    with pytest.raises(plsched.InputError, match=r"^thing file .* does not exist\.$"):
        read_json(tmp_path / "nope.json", "thing")


def test_model_dirs_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLSCHED_MODELS", str(tmp_path / "env"))
    dirs = default_model_dirs(tmp_path / "school")
    assert dirs[:3] == [tmp_path / "env", tmp_path / "school" / "models", tmp_path / "models"]
    assert dirs[-1].name == "models"


def _model(model_id: str, skills: list[dict[str, Any]] = SKILLS) -> dict[str, Any]:
    return {"id": model_id, "subject": "art", "skills": skills}


def test_model_found_on_disk(tmp_path: Path) -> None:
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "art-k.json").write_text(json.dumps(_model("art-k")), "utf-8")
    model = load_competency_model("art-k", [tmp_path / "first", tmp_path / "second"])
    assert model is not None
    assert [s.id for s in model.skills] == ["a", "b"]
    assert load_competency_model("music-k", [tmp_path / "second"]) is None


def test_bad_model_file_names_the_file(tmp_path: Path) -> None:
    cyclic = [{"id": "a", "level": 0, "prerequisites": ["b"]}, *SKILLS[1:]]
    (tmp_path / "art-k.json").write_text(json.dumps(_model("art-k", cyclic)), "utf-8")
    with pytest.raises(plsched.InputError, match=r"art-k\.json.*cycle: (a -> b -> a|b -> a -> b)"):
        load_competency_model("art-k", [tmp_path])
    (tmp_path / "art-k.json").write_text(json.dumps({**_model("art-k"), "skils": []}), "utf-8")
    with pytest.raises(plsched.InputError, match=r"art-k\.json.*'skils' \(did you mean 'skills'"):
        load_competency_model("art-k", [tmp_path])


def test_instance_uses_a_model_beside_it(
    tiny_data: dict[str, Any], write_json: Callable[..., Path]
) -> None:
    """A subject whose model is not embedded finds it in models/ next to the instance."""
    tiny_data["subjects"].append({"id": "art", "model": "art-k"})
    path = write_json(tiny_data)
    (path.parent / "models").mkdir()
    (path.parent / "models" / "art-k.json").write_text(json.dumps(_model("art-k")), "utf-8")
    instance = plsched.load_instance(path)
    assert {m.id for m in instance.competency_models} == {"math-k1-mini", "art-k"}


def test_load_schedule(write_json: Callable[..., Path]) -> None:
    plan = {"format": "plsched/schedule@1", "instance": "example-tiny", "status": "unknown"}
    assert load_schedule(write_json(plan, "plan")).status == "unknown"
    plan["status"] = "great"
    with pytest.raises(plsched.InputError, match=r"^plan '.*': status: must be 'optimal'"):
        load_schedule(write_json(plan, "plan"))


def test_dump_json_round_trips(tiny_instance: plsched.Instance) -> None:
    text = dump_json(tiny_instance)
    assert text.endswith("}\n")
    assert plsched.parse_instance(json.loads(text)) == tiny_instance


def test_write_json_atomic(tmp_path: Path) -> None:
    path = tmp_path / "out" / "plan.json"
    write_json_atomic(path, "{}\n")
    write_json_atomic(path, '{"a": 1}\n')
    assert path.read_text(encoding="utf-8") == '{"a": 1}\n'
    assert sorted(p.name for p in path.parent.iterdir()) == ["plan.json"]
