"""``plsched score`` through plsched.cli.main, with files in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plsched.cli import main

TINY = Path(__file__).resolve().parents[3] / "shared" / "examples" / "tiny.json"


def write_plan(path: Path, objective: float | None, **extra: Any) -> Path:
    plan = {
        "format": "plsched/schedule@1",
        "instance": "example-tiny",
        "status": "feasible",
        "objective": objective,
        "sessions": [
            {
                "id": "s1",
                "block": "mon-1",
                "subject": "math",
                "skill": "K.OA.A.2",
                "modality": "small_group",
                "teacher": "t-rivera",
                "room": "studio",
                "learners": ["l01", "l02", "l06"],
            }
        ],
        **extra,
    }
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


# goal_shortfall: 12 learners × (120 + 60) = 2160 minutes, minus 60 for l01, l02, l06 = 1980
# → 1980 × 10 = 19,800. group_size: |3 − 4| = 1 → 2. Every other term is 0. Total 19,802.
OBJECTIVE = 19802.0


def test_cli_table_and_matching_objective(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_plan(tmp_path / "plan.json", OBJECTIVE)
    assert main(["score", str(TINY), str(plan)]) == 0
    out = capsys.readouterr().out
    assert "goal_shortfall" in out and "1980" in out
    assert "19802.00" in out
    assert "matches" in out and "NOT" not in out


def test_cli_objective_mismatch_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "plan.json", OBJECTIVE + 0.5)
    assert main(["score", str(TINY), str(plan)]) == 1
    assert "does NOT match" in capsys.readouterr().out


def test_cli_json_with_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "plan.json", None)
    prev_data = json.loads(plan.read_text(encoding="utf-8"))
    prev_data["sessions"][0]["teacher"] = "t-okafor"
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(prev_data), encoding="utf-8")
    assert main(["score", str(TINY), str(plan), "--previous", str(previous), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # The teacher changed for 3 learner-blocks: stability 3 → 3 × 5 = 15 more.
    assert out["terms"]["stability"] == {"raw": 3, "weight": 5.0, "weighted": 15.0}
    assert out["objective"] == OBJECTIVE + 15
    assert out["matches"] is None


def test_cli_unknown_id_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "plan.json", None)
    data = json.loads(plan.read_text(encoding="utf-8"))
    data["sessions"][0]["teacher"] = "t-nobody"
    plan.write_text(json.dumps(data), encoding="utf-8")
    assert main(["score", str(TINY), str(plan)]) == 2
    assert "unknown teacher 't-nobody'" in capsys.readouterr().err
