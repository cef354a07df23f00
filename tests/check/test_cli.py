"""``plsched check`` through the CLI frame: exit 0 valid, 1 broken, 2 unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plsched.cli import main
from plsched.schema.schedule import Schedule

from .builders import (
    build_five_learners_two_teachers,
    edited_week,
    five_learners_two_teachers_dict,
    session,
    valid_week,
)


def _files(tmp_path: Path, plan: Schedule) -> tuple[str, str]:
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(five_learners_two_teachers_dict()), encoding="utf-8")
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(plan.model_dump_json(), encoding="utf-8")
    return str(instance), str(plan_path)


def test_valid_plan_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *_files(tmp_path, valid_week())]) == 0
    out = capsys.readouterr().out
    assert "goal_minutes_met_share" in out
    assert out.strip().splitlines()[-1].startswith("verdict: valid")


def test_broken_plan_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = edited_week(session("s4", "mon-2", ["l1"]))
    assert main(["check", *_files(tmp_path, plan)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("rule 1: learner 'l2'")
    assert lines[-1].startswith("verdict: INVALID")


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = edited_week(session("s4", "mon-2", ["l1"]))
    assert main(["check", *_files(tmp_path, plan), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["rules_broken"] == [1]
    assert report["violations"][0]["rule"] == 1
    assert set(report["kpis"]) >= {"mean_group_size", "teacher_utilisation"}


def test_long_violation_lists_are_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = Schedule(instance="five-learners-two-teachers", status="feasible")
    # 5 learners x 4 blocks in no session = 20 violations: all shown.
    assert main(["check", *_files(tmp_path, empty)]) == 1
    assert "more." not in capsys.readouterr().out
    many = edited_week(*(session(f"x{i}", "wed", ["l1"]) for i in range(60)))
    assert main(["check", *_files(tmp_path, many)]) == 1
    out = capsys.readouterr().out
    assert "... and 10 more." in out


def test_malformed_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    instance, plan = _files(tmp_path, valid_week())
    Path(plan).write_text("{ not json", encoding="utf-8")
    assert main(["check", instance, plan]) == 2
    err = capsys.readouterr().err
    assert err.startswith("plsched: error:") and "JSON" in err
    assert len(err.strip().splitlines()) == 1


def test_plan_with_a_bad_field_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    instance, plan = _files(tmp_path, valid_week())
    data = json.loads(Path(plan).read_text(encoding="utf-8"))
    data["sessions"][0]["learners"] = []  # a session needs at least one learner
    Path(plan).write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", instance, plan]) == 2
    assert "sessions[0]" in capsys.readouterr().err


def test_missing_instance_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, plan = _files(tmp_path, valid_week())
    assert main(["check", str(tmp_path / "nope.json"), plan]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_builder_and_dict_agree() -> None:
    assert build_five_learners_two_teachers().name == "five-learners-two-teachers"
