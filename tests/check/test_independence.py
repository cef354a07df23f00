"""The checker knows nothing of the solver: its source imports none of it."""

from __future__ import annotations

import ast
from pathlib import Path

import plsched.check

FORBIDDEN = (
    "plsched.solvers",
    "plsched.scoring",
    "plsched.compiled",
    "plsched.solving",
    "plsched.solve",
)
ALLOWED_ROOTS = {"plsched", "numpy", "networkx", "pydantic", "__future__"}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _sources() -> list[Path]:
    package = Path(plsched.check.__file__).parent
    cli = package.parent / "cli" / "check.py"
    return [*sorted(package.glob("*.py")), cli]


def test_checker_imports_no_solver_code() -> None:
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for name in _imports(path):
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
        for name in FORBIDDEN:
            assert f"{name}." not in text and f"import {name}" not in text, path.name


def test_checker_imports_only_schema_io_errors_and_stdlib() -> None:
    import sys

    stdlib = set(sys.stdlib_module_names)
    for path in _sources():
        for name in _imports(path):
            root = name.split(".")[0]
            assert root in ALLOWED_ROOTS or root in stdlib, f"{path.name} imports {name}"
            if root == "plsched":
                assert name.split(".")[1] in {"check", "schema", "io", "errors"}, name
