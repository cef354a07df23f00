"""``plsched validate``: the verdict, the summary, warnings, ``--strict`` and exit codes."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import plsched
from plsched.cli import main


class FakeSummary:
    """Stands in for plsched.summary's InstanceSummary: fixed lines and problems."""

    def __init__(self, lines: list[str], problems: list[str]) -> None:
        self._lines, self._problems = lines, problems

    def lines(self) -> list[str]:
        return self._lines

    def problems(self) -> list[str]:
        return self._problems


@pytest.fixture
def summary_with(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], None]:
    """Replace plsched.summary by one whose summary has the given problems."""

    def install(problems: list[str]) -> None:
        module = types.ModuleType("plsched.summary")

        def summarize(instance: plsched.Instance) -> FakeSummary:
            return FakeSummary([f"{len(instance.learners)} learners"], problems)

        module.summarize = summarize  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "plsched.summary", module)

    return install


def test_valid_instance(
    tiny_path: Path,
    summary_with: Callable[[list[str]], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary_with([])
    assert main(["validate", str(tiny_path)]) == 0
    out, err = capsys.readouterr()
    assert out == (f"ok: {tiny_path} is a valid plsched/instance@1 instance\n  12 learners\n")
    assert err == ""


def test_warnings_do_not_fail(
    tiny_path: Path,
    summary_with: Callable[[list[str]], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary_with(["room 'nook' is small", "teacher 't-okafor' is busy"])
    assert main(["validate", str(tiny_path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("ok: ")
    assert err.splitlines() == [
        "plsched: warning: room 'nook' is small",
        "plsched: warning: teacher 't-okafor' is busy",
    ]


def test_strict_turns_warnings_into_exit_1(
    tiny_path: Path,
    summary_with: Callable[[list[str]], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary_with(["room 'nook' is small"])
    assert main(["validate", "--strict", str(tiny_path)]) == 1
    err = capsys.readouterr().err
    assert "plsched: warning: room 'nook' is small" in err
    assert "1 warning with --strict" in err


def test_strict_without_warnings_passes(
    tiny_path: Path, summary_with: Callable[[list[str]], None]
) -> None:
    summary_with([])
    assert main(["validate", "--strict", str(tiny_path)]) == 0


def test_quiet_prints_only_the_verdict(
    tiny_path: Path,
    summary_with: Callable[[list[str]], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary_with([])
    assert main(["validate", "-q", str(tiny_path)]) == 0
    assert capsys.readouterr().out.count("\n") == 1


def test_real_summary_of_tiny(tiny_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With the real plsched.summary: a verdict, some summary lines, exit 0 (warnings allowed)."""
    pytest.importorskip("plsched.summary")
    assert main(["validate", str(tiny_path)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"ok: {tiny_path} is a valid plsched/instance@1 instance"
    assert len(lines) > 1
    assert all(line.startswith("plsched: warning: ") for line in err.splitlines())
    assert "Traceback" not in err


def test_invalid_instance_exits_2(
    tiny_data: dict[str, Any],
    write_json: Callable[[Any], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    tiny_data["rooms"][0]["capacity"] = 0
    path = write_json(tiny_data)
    assert main(["validate", "--strict", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"plsched: error: instance {str(path)!r}: rooms[0].capacity ('studio'): "
        "must be at least 1, not 0.\n"
    )


def test_a_plan_is_not_an_instance(
    write_json: Callable[[Any], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json({"format": "plsched/schedule@1", "instance": "x", "status": "unknown"})
    assert main(["validate", str(path)]) == 2
    assert "this is a plan, not an instance" in capsys.readouterr().err


def test_file_argument_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
