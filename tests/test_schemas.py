"""The checked-in JSON Schemas in schemas/ are exactly what the pydantic models generate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plsched.cli import main
from plsched.cli.schema import MODELS, schema_text

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_checked_in_schema_matches_the_models(kind: str) -> None:
    path = SCHEMAS / f"{kind}.schema.json"
    regenerate = f"plsched schema {kind} -o schemas/{kind}.schema.json"
    assert path.is_file(), f"{path} is missing; create it with `{regenerate}`."
    assert path.read_text(encoding="utf-8") == schema_text(kind), (
        f"{path.name} has drifted from the pydantic models; regenerate it with `{regenerate}` "
        "and note the format change in CHANGELOG.md."
    )


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_cli_prints_the_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", kind]) == 0
    out = capsys.readouterr().out
    schema = json.loads(out)
    assert out == json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["format"]["const"] == f"plsched/{kind}@1"


def test_cli_writes_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "instance.schema.json"
    assert main(["schema", "instance", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == schema_text("instance")


def test_cli_refuses_an_unknown_kind(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["schema", "plan"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def _schema(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    return data


def test_tiny_conforms_to_the_published_schema(tiny_data: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.validate(tiny_data, _schema("instance"))


def test_published_schema_refuses_what_the_loader_refuses(tiny_data: dict[str, Any]) -> None:
    """Strict typing: a string where a number is due fails both the schema and the loader."""
    import jsonschema

    tiny_data["blocks"][0]["minutes"] = "60"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tiny_data, _schema("instance"))


def test_minimal_plan_conforms_to_the_published_schema() -> None:
    import jsonschema

    plan = {"format": "plsched/schedule@1", "instance": "example-tiny", "status": "unknown"}
    jsonschema.validate(plan, _schema("schedule"))
