"""Reading instances and plans with clear errors, finding competency models, atomic writes.

Every way a file can be wrong ends in one :class:`~plsched.errors.InputError` sentence that names
the file, the field path and the id of the object holding it. Documents are validated in pydantic's
strict JSON mode, so the loader accepts exactly what the published JSON Schemas describe: ``"60"``
is not a number and ``true`` is not a count.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import os
import tempfile
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin

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

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

Loc = Sequence[int | str]


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


# --- reading JSON -----------------------------------------------------------------------------


class _NotJson(ValueError):
    """Raised from inside ``json.loads`` hooks for text that Python accepts but JSON does not."""


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON number")


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            where = (
                f" (in the object with id {obj['id']!r})" if isinstance(obj.get("id"), str) else ""
            )
            raise _NotJson(f"key {key!r} appears twice in one object{where}")
        obj[key] = value
    return obj


def read_json(path: str | Path, what: str) -> Any:
    """Read one JSON document; every failure is an :class:`InputError` sentence.

    A UTF-8 byte-order mark is accepted; ``NaN``/``Infinity`` and duplicate keys are refused.
    """
    p = Path(path)
    name = repr(str(p))
    if not p.exists():
        raise InputError(f"{what} file {name} does not exist.")
    if p.is_dir():
        raise InputError(f"{what} path {name} is a folder, not a file.")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{what} file {name} cannot be read: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} file {name} is not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})."
        ) from None
    if not text.strip():
        raise InputError(f"{what} file {name} is empty.")
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicate_keys
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} file {name} is not valid JSON: {exc.msg[:1].lower()}{exc.msg[1:]} "
            f"at line {exc.lineno}, column {exc.colno}."
        ) from None
    except _NotJson as exc:
        raise InputError(f"{what} file {name} is not valid JSON: {exc}.") from None


# --- turning pydantic errors into one sentence --------------------------------------------------


def _path(loc: Loc) -> str:
    parts: list[str] = []
    for key in loc:
        parts.append(f"[{key}]" if isinstance(key, int) else ("." if parts else "") + key)
    return "".join(parts)


def _clean_loc(data: Any, loc: Loc) -> list[int | str]:
    """Drop pydantic's internal steps (``function-after[...]``, union member names) from a loc.

    A step is kept when it indexes the document: an int into an array, a key into an object,
    or the last step (a missing or unknown field).
    """
    kept: list[int | str] = []
    node = data
    for n, key in enumerate(loc):
        last = n == len(loc) - 1
        if isinstance(key, int) and isinstance(node, list):
            kept.append(key)
            node = node[key] if 0 <= key < len(node) else None
        elif isinstance(key, str) and isinstance(node, Mapping) and (key in node or last):
            kept.append(key)
            node = node.get(key)
        elif last and isinstance(key, str) and "[" not in key:
            kept.append(key)
    return kept


def _where(data: Any, loc: Loc) -> str:
    """``path ('owner id')``: the readable path with the id of the innermost object holding it."""
    node = data
    owner: str | None = None
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, Mapping) and isinstance(node.get("id"), str) and node["id"]:
            owner = node["id"]
    path = _path(loc)
    if owner is None:
        return path
    return f"{path} ({owner!r})" if path else repr(owner)


def _unwrap(tp: Any) -> Any:
    """The element type an int or a key indexes into, for containers and optionals."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        rest = [a for a in get_args(tp) if a is not type(None)]
        return _unwrap(rest[0]) if len(rest) == 1 else tp
    return tp


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class of the object at ``loc``, when there is one."""
    tp: Any = root
    for key in loc:
        tp = _unwrap(tp)
        origin = get_origin(tp)
        if origin in (tuple, list) and isinstance(key, int):
            tp = get_args(tp)[0]
        elif origin is dict and isinstance(key, str):
            tp = get_args(tp)[1]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(key, str):
            field = tp.model_fields.get(key)
            if field is None:
                return None
            tp = field.annotation
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_KIND = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "an array",
    "list_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def _problem(err: Mapping[str, Any]) -> str:
    kind: str = err["type"]
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    got = _show(err.get("input"))
    if kind in _KIND:
        return f"must be {_KIND[kind]}, not {got}"
    if kind == "literal_error":
        return f"must be {ctx['expected']}, not {got}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {_num(ctx[key])}, not {got}"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        words = "at least" if kind == "too_short" else "at most"
        return f"must hold {words} {n} item{'s' if n != 1 else ''}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"]).rstrip(".")
    msg = str(err["msg"]).rstrip(".")
    return msg[:1].lower() + msg[1:]


def _validation_sentence(
    exc: ValidationError, data: Any, what: str, root: type[BaseModel] | None = None
) -> str:
    """One sentence for the first error of ``exc``, with the count of the others."""
    errors = exc.errors()
    # An array whose items failed also reports itself too short "after validation": not news.
    locs = [tuple(e["loc"]) for e in errors]
    errors = [
        e
        for e in errors
        if not any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == tuple(e["loc"]) for o in locs)
    ] or errors
    err = errors[0]
    loc = _clean_loc(data, err["loc"])
    kind = err["type"]
    if kind in ("missing", "extra_forbidden") and loc and isinstance(loc[-1], str):
        parent, field = loc[:-1], loc[-1]
        parent_where = _where(data, parent)
        head = f"{what}: {parent_where}" if parent_where else what
        if kind == "missing":
            sentence = f"{head}: required field {field!r} is missing"
        else:
            sentence = f"{head}: unknown field {field!r}"
            model = _model_at(root, parent) if root is not None else None
            if model is not None:
                close = difflib.get_close_matches(field, list(model.model_fields), n=1)
                if close:
                    sentence += f" (did you mean {close[0]!r}?)"
    else:
        where = _where(data, loc)
        sentence = f"{what}: {where}: {_problem(err)}" if where else f"{what}: {_problem(err)}"
    more = len(errors) - 1
    if more:
        sentence += f" (and {more} more problem{'s' if more > 1 else ''})"
    return sentence + "."


# --- validating documents ----------------------------------------------------------------------


def _json_kind(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool):
        return "JSON true/false"
    if isinstance(value, int | float):
        return "a JSON number"
    if value is None:
        return "JSON null"
    return f"a Python {type(value).__name__}"


def _normalise(value: Any, loc: list[int | str], data: Any, what: str) -> Any:
    """A plain-JSON copy of ``value``: whole floats become ints (``60.0`` is the integer 60, as in
    JSON Schema), and non-finite numbers or non-JSON Python objects are refused."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(
                    f"{what}: {_where(data, loc) or 'the document'} has a key "
                    f"{key!r} that is not a string."
                )
            out[key] = _normalise(item, [*loc, key], data, what)
        return out
    if isinstance(value, list | tuple):
        return [_normalise(item, [*loc, n], data, what) for n, item in enumerate(value)]
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{what}: {_where(data, loc)}: must be a finite number, not {value}.")
        return int(value) if value.is_integer() else value
    if value is None or isinstance(value, str | int):
        return value
    raise InputError(f"{what}: {_where(data, loc)}: {_json_kind(value)} is not a JSON value.")


def _validate(model: type[M], data: Any, what: str) -> M:
    """Validate JSON-like ``data`` as ``model`` in strict JSON mode, errors as one sentence."""
    plain = _normalise(data, [], data, what)
    try:
        return model.model_validate_json(json.dumps(plain), strict=True)
    except ValidationError as exc:
        raise InputError(_validation_sentence(exc, plain, what, model)) from None


def _parse(model: type[M], data: Any, what: str, fmt: str) -> M:
    if not isinstance(data, Mapping):
        raise InputError(f"{what} holds {_json_kind(data)}; a {fmt} object was expected.")
    if "format" not in data:
        raise InputError(f"{what} has no 'format' field; expected {fmt!r} there.")
    tag = data["format"]
    if tag != fmt:
        hint = ""
        if tag in (INSTANCE_FORMAT, SCHEDULE_FORMAT):
            hint = (
                " (this is a plan, not an instance)"
                if tag == SCHEDULE_FORMAT
                else (" (this is an instance, not a plan)")
            )
        raise InputError(f"{what} has format {_show(tag)}; expected {fmt!r}{hint}.")
    return _validate(model, data, what)


def load_competency_model(model_id: str, dirs: Sequence[Path]) -> CompetencyModel | None:
    """Find ``<model_id>.json`` in the first folder that has it; None when none has."""
    for d in dirs:
        p = d / f"{model_id}.json"
        if p.is_file():
            data = read_json(p, "competency model")
            what = f"competency model {str(p)!r}"
            if not isinstance(data, Mapping):
                raise InputError(f"{what} holds {_json_kind(data)}; an object was expected.")
            model = _validate(CompetencyModel, data, what)
            check_model_dag(model, what)
            logger.debug("competency model %r loaded from %s", model_id, p)
            return model
    return None


def parse_instance(data: Any, *, what: str = "instance", near: Path | None = None) -> Instance:
    """Validate a JSON-like document as an instance; models named by id are loaded from disk.

    Raises :class:`InputError` (a ``ValueError``) with one sentence for the first problem.
    """
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


# --- writing -----------------------------------------------------------------------------------


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
