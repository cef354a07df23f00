"""``plsched solve`` through plsched.cli.main: a plan that ``check`` and ``score`` accept, exit
codes, and atomic writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from plsched import load_schedule
from plsched.cli import main

from .conftest import TINY_PATH, tiny_document


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """tiny.json in its own folder (the instance embeds its model)."""
    path = tmp_path / "in" / "tiny.json"
    path.parent.mkdir()
    shutil.copyfile(TINY_PATH, path)
    return path


def test_solve_writes_a_plan_that_check_and_score_accept(
    tiny_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    plan_path = out_dir / "plan.json"
    code = main(
        ["solve", str(tiny_copy), "-o", str(plan_path), "--time-limit", "5", "--seed", "0", "-q"]
    )
    said = capsys.readouterr().out
    assert code == 0, said
    assert "objective" in said and str(plan_path) in said
    plan = load_schedule(plan_path)
    assert plan.status in ("optimal", "feasible")
    assert plan.seed == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["plan.json"]  # no temporary file

    assert main(["check", str(tiny_copy), str(plan_path)]) == 0
    assert "verdict: valid" in capsys.readouterr().out

    assert main(["score", str(tiny_copy), str(plan_path), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert scored["matches"] is True
    assert scored["objective"] == plan.objective


def test_a_bad_instance_exits_2_and_leaves_the_old_plan_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = dict(tiny_document())
    bad["blocks"] = []
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad), encoding="utf-8")
    plan_path = tmp_path / "plan.json"
    old = b'{"an": "older plan"}\n'
    plan_path.write_bytes(old)
    before = sorted(p.name for p in tmp_path.iterdir())

    code = main(["solve", str(bad_path), "-o", str(plan_path), "--time-limit", "5", "-q"])
    assert code == 2
    assert "blocks" in capsys.readouterr().err
    assert plan_path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("flag", [["--time-limit", "0"], ["--workers", "0"], ["--seed", "-1"]])
def test_bad_parameters_exit_2_without_writing(
    tiny_copy: Path, tmp_path: Path, flag: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    plan_path = tmp_path / "plan.json"
    assert main(["solve", str(tiny_copy), "-o", str(plan_path), "-q", *flag]) == 2
    assert "plsched: error:" in capsys.readouterr().err
    assert not plan_path.exists()


def test_an_infeasible_school_exits_1_with_an_infeasible_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = dict(tiny_document())
    strict["policy"] = {"strict_goals": True}
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(strict), encoding="utf-8")
    plan_path = tmp_path / "plan.json"
    assert main(["solve", str(path), "-o", str(plan_path), "--time-limit", "10", "-q"]) == 1
    assert "infeasible" in capsys.readouterr().out
    assert load_schedule(plan_path).status == "infeasible"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "strict.json"]
