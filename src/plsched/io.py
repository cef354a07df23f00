"""Reading instances and plans with clear errors, finding competency models, atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plsched.errors import InputError
from plsched.schema.instance import INSTANCE_FORMAT, CompetencyModel, Instance
from plsched.schema.schedule import SCHEDULE_FORMAT, Schedule
from plsched.schema.semantic import check_model_dag, validate_instance

__all__ = [
    "default_model_dirs",
    "dump_json",
    "load_competency_model",
    "load_instance",
    "load_schedule",
    "parse_instance",
    "read_json",
    "write_json_atomic",
]

M = TypeVar("M", bound=BaseModel)


def default_model_dirs(near: Path | None = None) -> list[Path]:
    """Where competency models named by id are looked for, in order.

    ``$PLSCHED_MODELS`` (os.pathsep-separated), then ``models/`` beside the instance file and
    one level up, then the ``models/`` folder of this source tree.
    """
    dirs: list[Path] = []
    env = os.environ.get("PLSCHED_MODELS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    if near is not None:
        dirs += [near / "models", near.parent / "models"]
    dirs.append(Path(__file__).resolve().parents[2] / "models")
    return dirs


def read_json(path: str | Path, what: str) -> Any:
    """Read one JSON document; every failure is an :class:`InputError` sentence."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} file {str(p)!r} does not exist.")
    if p.is_dir():
        raise InputError(f"{what} path {str(p)!r} is a folder, not a file.")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} file {str(p)!r} is not UTF-8 text.") from None
    except OSError as exc:
        raise InputError(f"{what} file {str(p)!r} cannot be read: {exc.strerror}.") from None
    if not text.strip():
        raise InputError(f"{what} file {str(p)!r} is empty.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} file {str(p)!r} is not JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None


def _locate(data: Any, loc: Sequence[int | str]) -> str:
    """A readable path for a pydantic error location, with the id of the enclosing object."""
    parts: list[str] = []
    node = data
    owner: str | None = None
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            parts.append(("." if parts else "") + key)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            owner = node["id"]
    path = "".join(parts) or "(top level)"
    return f"{path} ({owner!r})" if owner else path


def _validation_sentence(exc: ValidationError, data: Any, what: str) -> str:
    err = exc.errors()[0]
    loc = [k for k in err["loc"] if not (isinstance(k, str) and k.startswith("function-"))]
    where = _locate(data, loc)
    kind = err["type"]
    if kind == "missing":
        return f"{what}: {where} is missing."
    if kind == "extra_forbidden":
        return f"{what}: {where} is not a known field."
    msg = err["msg"].rstrip(".")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return f"{what}: {where}: {msg}."


def _parse(model: type[M], data: Any, what: str, fmt: str) -> M:
    if not isinstance(data, Mapping):
        kind = "a JSON array" if isinstance(data, list) else f"a JSON {type(data).__name__}"
        raise InputError(f"{what} holds {kind}; a {fmt} object was expected.")
    tag = data.get("format")
    if tag != fmt:
        raise InputError(f"{what} has format {tag!r}; expected {fmt!r}.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(_validation_sentence(exc, data, what)) from None


def load_competency_model(model_id: str, dirs: Sequence[Path]) -> CompetencyModel | None:
    """Find ``<model_id>.json`` in the first folder that has it; None when none has."""
    for d in dirs:
        p = d / f"{model_id}.json"
        if p.is_file():
            data = read_json(p, "competency model")
            try:
                model = CompetencyModel.model_validate(data)
            except ValidationError as exc:
                raise InputError(_validation_sentence(exc, data, f"model {str(p)!r}")) from None
            check_model_dag(model, f"model file {str(p)!r}")
            return model
    return None


def parse_instance(data: Any, *, what: str = "instance", near: Path | None = None) -> Instance:
    """Validate a JSON-like document as an instance; models named by id are loaded from disk."""
    instance = _parse(Instance, data, what, INSTANCE_FORMAT)
    embedded = {m.id for m in instance.competency_models}
    missing = [s.model for s in instance.subjects if s.model not in embedded]
    if missing:
        found = list(instance.competency_models)
        dirs = default_model_dirs(near)
        for model_id in dict.fromkeys(missing):
            model = load_competency_model(model_id, dirs)
            if model is not None:
                found.append(model)
        instance = instance.model_copy(update={"competency_models": tuple(found)})
    try:
        validate_instance(instance)
    except InputError as exc:
        raise InputError(f"{what}: {exc}") from None
    return instance


def load_instance(path: str | Path) -> Instance:
    """Load and validate an instance file."""
    p = Path(path)
    data = read_json(p, "instance")
    return parse_instance(data, what=f"instance {str(p)!r}", near=p.resolve().parent)


def load_schedule(path: str | Path) -> Schedule:
    """Load a plan file (format checks only; rules are the checker's business)."""
    p = Path(path)
    data = read_json(p, "plan")
    return _parse(Schedule, data, f"plan {str(p)!r}", SCHEDULE_FORMAT)


def dump_json(model: BaseModel) -> str:
    return model.model_dump_json(indent=2) + "\n"


def write_json_atomic(path: str | Path, text: str) -> None:
    """Write text to a temporary file beside ``path`` and rename it into place."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
