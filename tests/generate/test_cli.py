"""``plsched generate`` writes the same bytes twice and files that load."""

from __future__ import annotations

from pathlib import Path

import pytest

from plsched import load_instance
from plsched.cli import main
from plsched.generate import to_json

from .schools import district


def test_generate_writes_a_loadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tiny.json"
    assert main(["generate", "--preset", "tiny", "--seed", "3", "-o", str(out)]) == 0
    first = out.read_bytes()
    line = capsys.readouterr().out.strip()
    assert line == f"{out}: 20 learners, {len(load_instance(out).teachers)} teachers, " + (
        f"{len(load_instance(out).rooms)} rooms"
    )
    assert main(["generate", "--preset", "tiny", "--seed", "3", "-o", str(out)]) == 0
    assert out.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.json"]  # no temporary file left


def test_district_fills_a_folder_with_schools_only(tmp_path: Path) -> None:
    folder = tmp_path / "district"
    assert main(["generate", "--preset", "district", "--seed", "1", "-o", str(folder)]) == 0
    files = sorted(folder.iterdir())
    # The same bytes as the library's district of seed 1, one file per school.
    expected = {f"{name}.json": to_json(doc) for name, doc in district(1).items()}
    assert {p.name: p.read_text(encoding="utf-8") for p in files} == expected
    assert load_instance(min(files, key=lambda p: p.stat().st_size)).learners


def test_bad_output_paths_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--preset", "tiny", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    file = tmp_path / "x.json"
    file.write_text("{}")
    assert main(["generate", "--preset", "district", "-o", str(file)]) == 2
    assert "needs a folder" in capsys.readouterr().err
