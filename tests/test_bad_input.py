"""Every kind of bad input: one sentence naming the file, the field path and the offending id.

Each case is tiny.json with one mutation. The CLI must exit 2 with a single ``plsched: error:``
line and no traceback; the library must raise :class:`plsched.InputError` with the same sentence.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import plsched
from plsched.cli import main

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]


def _node(doc: Doc, path: str) -> tuple[Any, str | int]:
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = doc
    for key in parents:
        node = node[key]
    return node, last


def set_(path: str, value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        node, key = _node(doc, path)
        node[key] = value

    return mutate


def pop_(path: str) -> Mutation:
    def mutate(doc: Doc) -> None:
        node, key = _node(doc, path)
        del node[key]

    return mutate


def append_copy(path: str, index: int = 0, **changes: Any) -> Mutation:
    """Append a copy of ``path[index]`` (with ``changes``) to the array at ``path``."""

    def mutate(doc: Doc) -> None:
        node, key = _node(doc, path)
        node[key].append({**copy.deepcopy(node[key][index]), **changes})

    return mutate


def add_to(path: str, value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        node, key = _node(doc, path)
        node[key].append(value)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(doc: Doc) -> None:
        for m in mutations:
            m(doc)

    return mutate


def no_teacher_leads_community(doc: Doc) -> None:
    for teacher in doc["teachers"]:
        teacher["modalities"].remove("community")


MATH = "competency_models.0.skills"

# (case id, mutation, fragments the sentence must contain)
CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    # format and shape
    ("wrong-format-tag", set_("format", "plsched/instance@2"), ("plsched/instance@2",)),
    ("plan-given-as-instance", set_("format", "plsched/schedule@1"), ("plan, not an instance",)),
    ("no-format-tag", pop_("format"), ("'format'",)),
    ("missing-top-field", pop_("name"), ("'name'", "missing")),
    ("missing-nested-field", pop_("rooms.0.capacity"), ("rooms[0]", "'studio'", "'capacity'")),
    ("missing-goal-field", pop_("learners.2.goals.0.modality"), ("learners[2].goals[0]", "'l03'")),
    ("unknown-top-field", set_("nmae", "x"), ("'nmae'", "did you mean 'name'")),
    ("unknown-nested-field", set_("teachers.1.colour", "red"), ("teachers[1]", "'t-okafor'")),
    ("unknown-policy-field", set_("policy.strict", True), ("policy", "'strict'")),
    ("int-as-string", set_("blocks.1.minutes", "60"), ("blocks[1].minutes", "'mon-2'", '"60"')),
    ("int-as-bool", set_("rooms.1.capacity", True), ("rooms[1].capacity", "'nook'", "true")),
    ("int-as-fraction", set_("teachers.0.max_sessions_per_day", 2.5), ("'t-rivera'", "2.5")),
    ("bool-as-string", set_("modalities.0.teacher_required", "yes"), ("'small_group'",)),
    ("number-as-string", set_(f"{MATH}.3.level", "one"), ("skills[3].level", "'K.OA.A.4'")),
    ("array-as-string", set_("learners.4.avoid", "l01"), ("learners[4].avoid", "'l05'")),
    ("object-as-array", set_("learners.5.mastery", []), ("learners[5].mastery", "'l06'")),
    ("nullable-wrong-type", set_("learners.0.max_group_size", "3"), ("max_group_size", "'l01'")),
    ("subject-wrong-type", set_("learners.1.goals.0.subject", 7), ("goals[0].subject", "'l02'")),
    ("bad-mix", set_("modalities.2.mix", "mixed"), ("modalities[2].mix", "'community'")),
    ("empty-id", set_("rooms.0.id", ""), ("rooms[0].id", "empty")),
    ("empty-blocks", set_("blocks", []), ("blocks", "at least 1")),
    # numbers out of range
    ("capacity-zero", set_("rooms.0.capacity", 0), ("rooms[0].capacity", "'studio'", "at least 1")),
    ("min-size-zero", set_("modalities.1.min_size", 0), ("min_size", "'independent'")),
    ("min-above-target", set_("modalities.0.min_size", 5), ("'small_group'", "min_size")),
    ("target-above-max", set_("modalities.0.target_size", 6), ("'small_group'", "max_size")),
    ("block-minutes-zero", set_("blocks.2.minutes", 0), ("blocks[2].minutes", "'mon-3'")),
    ("goal-minutes-negative", set_("learners.3.goals.0.minutes_per_week", -60), ("'l04'",)),
    ("hour-25", set_("blocks.0.start", "25:00"), ("blocks[0].start", "'mon-1'", "25:00")),
    ("one-digit-minute", set_("blocks.0.start", "9:5"), ("'mon-1'", "9:5")),
    ("minute-60", set_("blocks.3.start", "08:60"), ("'tue-1'", "08:60")),
    ("past-midnight", set_("blocks.5.start", "23:30"), ("blocks[5]", "'tue-3'", "midnight")),
    ("overlapping-blocks", set_("blocks.1.start", "09:00"), ("'mon-2'", "'mon-1'", "'mon'")),
    ("qualification-range", set_("teachers.0.qualifications.0.min_level", 3), ("'t-rivera'",)),
    ("negative-weight", set_("policy.weights", {"stability": -1}), ("policy.weights.stability",)),
    # duplicate ids, each kind
    ("duplicate-block", append_copy("blocks", 0), ("blocks[6]", "'mon-1'", "blocks[0]")),
    ("duplicate-model", append_copy("competency_models"), ("'math-k1-mini'",)),
    ("duplicate-subject", append_copy("subjects"), ("subjects[1]", "'math'")),
    ("duplicate-modality", append_copy("modalities", 1), ("modalities[3]", "'independent'")),
    ("duplicate-room", append_copy("rooms", 1), ("rooms[2]", "'nook'")),
    ("duplicate-teacher", append_copy("teachers", 1), ("teachers[2]", "'t-okafor'")),
    ("duplicate-learner", append_copy("learners", 6), ("learners[12]", "'l07'")),
    ("duplicate-skill", append_copy(MATH, 4), ("skills[12]", "'K.OA.A.5'")),
    # competency model graph
    ("dangling-prerequisite", add_to(f"{MATH}.1.prerequisites", "K.ZZ"), ("'K.OA.A.2'", "'K.ZZ'")),
    ("own-prerequisite", add_to(f"{MATH}.0.prerequisites", "K.OA.A.1"), ("'K.OA.A.1'",)),
    (
        "cycle",
        add_to(f"{MATH}.0.prerequisites", "K.OA.A.3"),
        ("cycle", "K.OA.A.1", "K.OA.A.2", "K.OA.A.3"),
    ),
    ("added-edge-unknown", set_("competency_models.0.added_edges", [["K.OA.A.1", "Q"]]), ("'Q'",)),
    # unknown references
    ("unknown-model", set_("subjects.0.model", "math-zz"), ("subjects[0].model", "'math-zz'")),
    (
        "unknown-qualification-subject",
        set_("teachers.1.qualifications.0.subject", "art"),
        ("teachers[1].qualifications[0]", "'t-okafor'", "'art'"),
    ),
    ("unknown-teacher-modality", add_to("teachers.0.modalities", "yoga"), ("'t-rivera'", "'yoga'")),
    ("unknown-mastery-subject", set_("learners.4.mastery", {"art": []}), ("'l05'", "'art'")),
    ("unknown-mastery-skill", add_to("learners.6.mastery.math", "9.Z"), ("'l07'", "'9.Z'")),
    ("unknown-goal-modality", set_("learners.7.goals.1.modality", "yoga"), ("'l08'", "'yoga'")),
    ("unknown-goal-subject", set_("learners.8.goals.0.subject", "art"), ("'l09'", "'art'")),
    ("unknown-focus-skill", add_to("learners.9.goals.0.focus", "9.Z"), ("goals[0].focus", "'l10'")),
    ("skill-goal-without-subject", set_("learners.10.goals.0.subject", None), ("'l11'",)),
    ("unknown-room-block", add_to("rooms.0.unavailable", "sun-9"), ("'studio'", "'sun-9'")),
    ("unknown-teacher-block", add_to("teachers.1.unavailable", "sun-9"), ("'t-okafor'", "'sun-9'")),
    ("unknown-learner-block", add_to("learners.11.unavailable", "sun-9"), ("'l12'", "'sun-9'")),
    ("unknown-avoid", add_to("learners.2.avoid", "l99"), ("learners[2].avoid", "'l03'", "'l99'")),
    ("avoids-itself", add_to("learners.2.avoid", "l03"), ("learners[2].avoid", "'l03'")),
    ("duplicate-goal", append_copy("learners.0.goals"), ("learners[0].goals[2]", "'l01'")),
    # impossible capacities
    (
        "no-room-holds-min-size",
        both(*(set_(f"modalities.2.{k}", 21) for k in ("min_size", "target_size", "max_size"))),
        ("modalities[2]", "'community'", "21"),
    ),
    (
        "no-room-has-features",
        set_("modalities.0.room_features", ["lab"]),
        ("'small_group'", "'lab'"),
    ),
    ("no-teacher-leads-modality", no_teacher_leads_community, ("'community'", "no teacher")),
]


def _refused(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`plsched validate PATH` exits 2 with one error line naming the file and no traceback."""
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("plsched: error: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert str(path) in err
    return err


@pytest.mark.parametrize(("mutate", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cli_refuses_with_one_sentence(
    tiny_data: Doc,
    write_json: Callable[[Any], Path],
    capsys: pytest.CaptureFixture[str],
    mutate: Mutation,
    fragments: tuple[str, ...],
) -> None:
    mutate(tiny_data)
    path = write_json(tiny_data)
    err = _refused(path, capsys)
    for fragment in fragments:
        assert fragment in err


@pytest.mark.parametrize(("mutate", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_library_raises_input_error(
    tiny_data: Doc, mutate: Mutation, fragments: tuple[str, ...]
) -> None:
    mutate(tiny_data)
    with pytest.raises(plsched.InputError) as info:
        plsched.parse_instance(tiny_data)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "\n" not in message
    assert message.endswith(".")
    for fragment in fragments:
        assert fragment in message


# --- files that are not an instance document at all ---------------------------------------------

FILE_CASES: list[tuple[str, bytes | None, str]] = [
    ("missing-file", None, "does not exist"),
    ("empty-file", b"", "is empty"),
    ("blank-file", b"  \n\t\n", "is empty"),
    ("not-json", b"format: plsched/instance@1\n", "not valid JSON"),
    ("truncated-json", b'{"format": "plsched/instance@1", "name": ', "line 1, column"),
    ("invalid-utf8", b'{"name": "caf\xe9"}', "not UTF-8"),
    ("json-array", b"[]", "a JSON array"),
    ("json-string", b'"plsched/instance@1"', "a JSON string"),
    ("json-null", b"null", "JSON null"),
    ("nan", b'{"format": "plsched/instance@1", "x": NaN}', "NaN is not a JSON number"),
    ("duplicate-key", b'{"format": "plsched/instance@1", "name": "a", "name": "b"}', "'name'"),
]


@pytest.mark.parametrize(
    ("content", "fragment"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_cli_refuses_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, fragment: str
) -> None:
    path = tmp_path / "instance.json"
    if content is not None:
        path.write_bytes(content)
    err = _refused(path, capsys)
    assert fragment in err
    with pytest.raises(plsched.InputError, match="instance"):
        plsched.load_instance(path)


def test_cli_refuses_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable path: chmod 000 does not stop root, a folder stops everyone."""
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"plsched: error: instance path {str(tmp_path)!r} is a folder, not a file.\n"


def test_more_problems_are_counted(tiny_data: Doc) -> None:
    tiny_data["rooms"][0]["capacity"] = 0
    tiny_data["rooms"][1]["capacity"] = 0
    with pytest.raises(plsched.InputError, match=r"\(and 1 more problem\)\.$"):
        plsched.parse_instance(tiny_data)


def test_python_values_that_are_not_json(tiny_data: Doc) -> None:
    tiny_data["policy"]["weights"] = {"stability": float("inf")}
    with pytest.raises(plsched.InputError, match=r"policy\.weights\.stability: must be a finite"):
        plsched.parse_instance(tiny_data)
    tiny_data["policy"] = {"allow_review": {1, 2}}
    with pytest.raises(plsched.InputError, match="not a JSON value"):
        plsched.parse_instance(tiny_data)


def test_whole_floats_are_integers(tiny_data: Doc) -> None:
    """JSON Schema counts 60.0 as the integer 60; so do we."""
    tiny_data["blocks"][0]["minutes"] = 60.0
    assert plsched.parse_instance(tiny_data).blocks[0].minutes == 60


def test_byte_order_mark_is_accepted(tiny_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + tiny_path.read_bytes())
    assert plsched.load_instance(path).name == "example-tiny"


def test_sample_messages(tiny_data: Doc) -> None:
    """The exact wording of a few sentences, as a user sees them."""
    tiny_data["blocks"][1]["minutes"] = "60"
    with pytest.raises(plsched.InputError) as info:
        plsched.parse_instance(tiny_data)
    assert str(info.value) == (
        "instance: blocks[1].minutes ('mon-2'): must be a whole number, not \"60\"."
    )
    tiny_data["blocks"][1]["minutes"] = 60
    tiny_data["learners"][2]["avoid"] = ["l99"]
    with pytest.raises(plsched.InputError) as info:
        plsched.parse_instance(tiny_data)
    assert str(info.value) == "instance: learners[2].avoid ('l03'): unknown learner 'l99'."
