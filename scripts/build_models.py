"""Build the competency models of ``models/`` (deterministic: same bytes on every run).

Usage::

    python scripts/build_models.py [--data DIR] [--out DIR]

``--data`` is the shared third-party data folder (default: ``../shared/data`` beside the
repository); ``--out`` is where the model files are written (default: ``models/``).

* ``ccss-math-k8.json``: every standard and every prerequisite edge of the Coherence Map data
  (``ccss-math-k8/standards.csv`` and ``prerequisites.csv``), plus the edges plsched adds so that
  readiness is realistic (see :func:`added_math_edges`).
* ``literacy-k8.json`` and ``science-k8.json``: original models generated from the tables below.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

log = logging.getLogger("build_models")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "models"

Edge = tuple[str, str]

MATH_SOURCE = (
    "Coherence Map data of Achieve the Core (Student Achievement Partners), CC0, via "
    "github.com/markpaik/coherence-map-explorer; Common Core State Standards for Mathematics "
    "(c) 2010 NGA Center for Best Practices and CCSSO. Edges in added_edges are plsched's."
)
ORIGINAL_SOURCE = "plsched (original)"

# Short domain names of our own, used in labels.
MATH_DOMAINS = {
    "CC": "Counting",
    "OA": "Operations and algebraic thinking",
    "NBT": "Base ten",
    "MD": "Measurement and data",
    "G": "Geometry",
    "NF": "Fractions",
    "RP": "Ratios",
    "NS": "Number system",
    "EE": "Expressions and equations",
    "SP": "Statistics and probability",
    "F": "Functions",
}

# Where a domain looks for its grade g-1 predecessor, in order of preference (the domain itself
# first; a domain that begins at some grade takes over from its natural predecessors).
MATH_PREDECESSORS = {
    "CC": ("CC",),
    "OA": ("OA", "CC"),
    "NBT": ("NBT", "CC"),
    "MD": ("MD",),
    "G": ("G",),
    "NF": ("NF", "G", "NBT"),
    "RP": ("RP", "NF", "OA"),
    "NS": ("NS", "NF", "NBT"),
    "EE": ("EE", "OA"),
    "SP": ("SP", "MD"),
    "F": ("F", "RP", "EE"),
}


# ----------------------------------------------------------------------------------------------
# math


def _grade(text: str) -> int:
    return 0 if text == "K" else int(text)


def _code_key(code: str) -> tuple[object, ...]:
    """Natural order of standard codes: K.CC.A.2 < K.CC.A.10, parents before their parts."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def _parent(code: str) -> str | None:
    """The parent standard of a sub-standard (4.NF.B.3.a -> 4.NF.B.3), else None."""
    parts = code.split(".")
    return ".".join(parts[:4]) if len(parts) > 4 else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise SystemExit(f"data file {path} is missing; pass --data DIR (the shared data folder).")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_math_source(data: Path) -> tuple[dict[str, dict[str, str]], list[Edge]]:
    """The standards by code and the source edges (prerequisite, standard)."""
    folder = data / "ccss-math-k8"
    standards = {row["code"]: row for row in _read_csv(folder / "standards.csv")}
    edges = [(r["prerequisite"], r["standard"]) for r in _read_csv(folder / "prerequisites.csv")]
    for a, b in edges:
        if a not in standards or b not in standards:
            raise SystemExit(f"edge {a} -> {b} names a standard missing from standards.csv.")
    return standards, edges


def _predecessor_in(code: str, candidates: list[str]) -> str:
    """The grade g-1 standard an uncovered standard builds on: same cluster letter and the
    nearest standard number when there is one, else the last standard of the domain."""
    _, _, cluster, number = code.split(".")[:4]
    same_cluster = [c for c in candidates if c.split(".")[2] == cluster]
    if same_cluster:
        return min(same_cluster, key=lambda c: (abs(int(c.split(".")[3]) - int(number)), c))
    return max(candidates, key=_code_key)


def added_math_edges(standards: dict[str, dict[str, str]], source: list[Edge]) -> list[Edge]:
    """plsched's edges on top of the source graph, by three rules applied in order.

    1. Parts before the whole: every sub-standard that is not a prerequisite of a sibling part
       becomes a prerequisite of its parent standard (4.NF.B.3.d -> 4.NF.B.3).
    2. Vertical coherence: every standard of grade g >= 1 with no prerequisite of grade g-1 gets
       one from grade g-1, taken from its own domain or, for a domain new in grade g, from its
       natural predecessor domain (``MATH_PREDECESSORS``); see ``_predecessor_in``. Parts take
       their parent's: a part that no sibling precedes inherits every prerequisite of its
       parent, and any other part lacking a grade g-1 prerequisite gets the parent's first one.

    Every grade-g standard thus depends directly on grade g-1, so a learner who has mastered
    everything below grade g is ready for no standard above grade g.
    """
    grade = {c: _grade(r["grade"]) for c, r in standards.items()}
    prereqs: dict[str, set[str]] = {c: set() for c in standards}
    for a, b in source:
        prereqs[b].add(a)
    added: set[Edge] = set()

    def add(a: str, b: str) -> None:
        if a not in prereqs[b]:
            prereqs[b].add(a)
            added.add((a, b))

    parts = sorted((c for c in standards if _parent(c)), key=_code_key)
    has_sibling_prereq = {b for a, b in source if _parent(b) and _parent(a) == _parent(b)}
    is_sibling_prereq = {a for a, b in source if _parent(a) and _parent(a) == _parent(b)}
    for code in parts:
        if code not in is_sibling_prereq:
            add(code, str(_parent(code)))

    by_grade_domain: dict[tuple[int, str], list[str]] = {}
    for code, row in standards.items():
        if _parent(code) is None:
            by_grade_domain.setdefault((grade[code], row["domain"]), []).append(code)

    def lacks_previous_grade(code: str) -> bool:
        return grade[code] > 0 and not any(grade[p] == grade[code] - 1 for p in prereqs[code])

    for code in sorted(standards, key=_code_key):
        if _parent(code) or not lacks_previous_grade(code):
            continue
        g = grade[code]
        domains = MATH_PREDECESSORS[standards[code]["domain"]]
        pool = next((p for d in domains if (p := by_grade_domain.get((g - 1, d)))), None)
        if pool is None:
            raise SystemExit(f"no grade {g - 1} predecessor domain for {code}.")
        add(_predecessor_in(code, pool), code)

    for code in parts:
        parent = str(_parent(code))
        inherited = sorted((p for p in prereqs[parent] if _parent(p) != parent), key=_code_key)
        if code not in has_sibling_prereq:
            for p in inherited:
                add(p, code)
        elif lacks_previous_grade(code):
            add(next(p for p in inherited if grade[p] == grade[code] - 1), code)
    return sorted(added, key=lambda e: (_code_key(e[1]), _code_key(e[0])))


def build_math(data: Path) -> dict[str, object]:
    standards, source = read_math_source(data)
    added = added_math_edges(standards, source)
    prereqs: dict[str, set[str]] = {c: set() for c in standards}
    for a, b in [*source, *added]:
        prereqs[b].add(a)
    skills = [
        {
            "id": code,
            "label": f"{MATH_DOMAINS[row['domain']]} {code}",
            "level": _grade(row["grade"]),
            "prerequisites": sorted(prereqs[code], key=_code_key),
        }
        for code, row in sorted(standards.items(), key=lambda kv: _code_key(kv[0]))
    ]
    return _model("ccss-math-k8", "math", MATH_SOURCE, skills, added)


# ----------------------------------------------------------------------------------------------
# original models: strand -> grade (0 = K) -> skill labels, in teaching order within the grade.

Strands = dict[str, dict[int, list[str]]]

LITERACY: Strands = {
    "PH": {  # phonics and word recognition
        0: ["letter names and sounds", "blend sounds into short words"],
        1: ["digraphs and long-vowel spellings", "decode one-syllable words"],
        2: ["vowel teams", "decode two-syllable words"],
        3: ["common prefixes and suffixes", "decode longer words"],
        4: ["syllable patterns in new words", "roots and affixes when decoding"],
        5: ["Greek and Latin roots", "decode subject-area words"],
    },
    "FL": {  # fluency
        0: ["read simple patterned books"],
        1: ["read grade texts accurately"],
        2: ["read aloud with expression"],
        3: ["read at a steady pace with phrasing"],
        4: ["notice and fix reading slips"],
        5: ["sustain fluent silent reading"],
        6: ["read informational text fluently"],
        7: ["read dense prose fluently"],
        8: ["read fluently across subjects"],
    },
    "CO": {  # comprehension
        0: ["retell a familiar story", "ask and answer questions on a text"],
        1: ["name characters and setting", "key ideas and details"],
        2: ["recount a story and its lesson", "main topic of a longer text"],
        3: ["main idea with supporting details", "sequence and cause in a text"],
        4: ["summarise a text", "infer from what the text says"],
        5: ["compare two texts on one topic", "quote to support an inference"],
        6: ["cite evidence from the text", "follow how a theme develops"],
        7: ["how story elements interact", "weigh an author's reasoning"],
        8: ["contrast texts on one topic", "judge the evidence for a claim"],
    },
    "VO": {  # vocabulary
        0: ["sort words into groups"],
        1: ["use context for word meaning"],
        2: ["compound words and shades of meaning"],
        3: ["literal and figurative phrases"],
        4: ["use dictionaries and glossaries"],
        5: ["idioms and sayings"],
        6: ["connotation of words"],
        7: ["analogies between words"],
        8: ["irony and figurative meaning"],
    },
    "WR": {  # writing
        0: ["draw and label to tell something", "write letters and simple words"],
        1: ["sentences with capitals and stops", "a short personal story"],
        2: ["an opinion with a reason", "revise after peer feedback"],
        3: ["organise a paragraph", "an informative piece"],
        4: ["linking words between paragraphs", "a short research report"],
        5: ["an opinion piece with evidence", "plan, draft, revise and edit"],
        6: ["an argument with a clear claim", "a report that cites sources"],
        7: ["answer a counterclaim", "a narrative with pacing and dialogue"],
        8: ["a research paper from several sources", "an argument with rebuttal"],
    },
}

# Cross-strand edges (prerequisite, skill); (strand, grade, 1-based index).
LITERACY_CROSS: list[tuple[tuple[str, int, int], tuple[str, int, int]]] = [
    *((("PH", g, 2), ("FL", g, 1)) for g in range(0, 6)),  # decoding carries fluency
    *((("FL", g - 1, 1), ("CO", g, 1)) for g in range(1, 9)),  # fluency frees comprehension
    *((("VO", g, 1), ("CO", g, 2)) for g in range(0, 9)),  # words feed understanding
    *((("PH", g, 1), ("WR", g, 2)) for g in range(0, 6)),  # spelling patterns in writing
    *((("CO", g - 1, 2), ("WR", g, 1)) for g in range(2, 9)),  # writing about reading
]

SCIENCE: Strands = {
    "PS": {  # physical science
        0: ["pushes and pulls", "sunlight warms surfaces"],
        1: ["sound and vibration", "light and shadows"],
        2: ["sort materials by properties", "heating and cooling change materials"],
        3: ["balanced and unbalanced forces", "magnetic and electric pulls"],
        4: ["energy of moving things", "waves and their patterns"],
        5: ["particles too small to see", "matter is conserved in changes"],
        6: ["atoms and molecules", "thermal energy transfer"],
        7: ["chemical reactions", "kinetic and potential energy"],
        8: ["forces and motion laws", "electromagnetic waves"],
    },
    "LS": {  # life science
        0: ["what plants and animals need", "living things change their place"],
        1: ["body parts that help survival", "parents and young"],
        2: ["plants need water and light", "habitats and variety of life"],
        3: ["life cycles", "inherited and learned traits"],
        4: ["inside and outside structures", "senses and signals"],
        5: ["food webs", "matter moves through ecosystems"],
        6: ["cells are the units of life", "body systems work together"],
        7: ["photosynthesis and respiration", "interactions in ecosystems"],
        8: ["genes and variation", "natural selection and adaptation"],
    },
    "ES": {  # earth and space science
        0: ["daily weather patterns", "getting ready for severe weather"],
        1: ["patterns of sun, moon and stars", "daylight through the seasons"],
        2: ["fast and slow changes of land", "landforms and water on maps"],
        3: ["climates of different regions", "reducing weather hazards"],
        4: ["weathering and erosion", "rock layers and fossils"],
        5: ["earth's systems interact", "stars and the sun's brightness"],
        6: ["the water cycle", "moving plates of the crust"],
        7: ["the rock cycle", "where natural resources are"],
        8: ["the solar system and gravity", "human impact on climate"],
    },
    "ET": {  # engineering and science practices
        0: ["ask a question about the world"],
        1: ["observe to build a solution"],
        2: ["compare two solutions to a problem"],
        3: ["plan a fair test"],
        4: ["generate and compare designs"],
        5: ["explain with a model"],
        6: ["analyse and interpret data"],
        7: ["define criteria and constraints"],
        8: ["improve a design by iteration"],
    },
}

SCIENCE_CROSS: list[tuple[tuple[str, int, int], tuple[str, int, int]]] = [
    *((("ET", g - 1, 1), ("PS", g, 2)) for g in range(1, 9)),  # investigating before explaining
    *((("ET", g - 1, 1), ("LS", g, 2)) for g in range(1, 9)),
    (("PS", 0, 2), ("ES", 0, 1)),  # warming by the sun and weather
    (("PS", 2, 2), ("ES", 2, 1)),  # changes of materials and of land
    (("ES", 4, 1), ("ES", 7, 1)),  # weathering in the rock cycle
    (("PS", 5, 1), ("PS", 6, 1)),  # particles before atoms (also the strand chain)
    (("PS", 6, 2), ("ES", 6, 1)),  # thermal energy drives the water cycle
    (("PS", 7, 1), ("LS", 7, 1)),  # reactions before photosynthesis
    (("LS", 5, 2), ("LS", 7, 1)),  # matter in ecosystems
    (("PS", 8, 1), ("ES", 8, 1)),  # forces before gravity in the solar system
    (("ES", 5, 2), ("ES", 8, 1)),  # the sun is a star
    (("LS", 7, 2), ("ES", 8, 2)),  # ecosystems and human impact
    (("LS", 3, 2), ("LS", 8, 1)),  # traits before genes
]


def _original_id(prefix: str, strand: str, grade: int, index: int) -> str:
    return f"{prefix}.{strand}.{'K' if grade == 0 else grade}.{index}"


def build_original(
    model_id: str,
    subject: str,
    prefix: str,
    strands: Strands,
    cross: Iterable[tuple[tuple[str, int, int], tuple[str, int, int]]],
) -> dict[str, object]:
    """A model from a strand table: within a grade each skill builds on the one before it, each
    skill builds on the matching skill of the previous grade (or its last), plus ``cross``."""
    prereqs: dict[str, set[str]] = {}
    labels: dict[str, tuple[str, int]] = {}
    for strand, grades in strands.items():
        for grade, names in grades.items():
            for i, name in enumerate(names, start=1):
                sid = _original_id(prefix, strand, grade, i)
                labels[sid] = (name, grade)
                prereqs[sid] = set()
                if i > 1:
                    prereqs[sid].add(_original_id(prefix, strand, grade, i - 1))
                if grade - 1 in grades:
                    j = min(i, len(grades[grade - 1]))
                    prereqs[sid].add(_original_id(prefix, strand, grade - 1, j))
    for (sa, ga, ia), (sb, gb, ib) in cross:
        a, b = _original_id(prefix, sa, ga, ia), _original_id(prefix, sb, gb, ib)
        if a not in prereqs or b not in prereqs:
            raise SystemExit(f"{model_id}: cross edge {a} -> {b} names an unknown skill.")
        prereqs[b].add(a)

    def key(sid: str) -> tuple[int, str, int]:
        _, strand, _, index = sid.split(".")
        return labels[sid][1], strand, int(index)

    skills = [
        {
            "id": sid,
            "label": labels[sid][0],
            "level": labels[sid][1],
            "prerequisites": sorted(prereqs[sid], key=key),
        }
        for sid in sorted(prereqs, key=key)
    ]
    return _model(model_id, subject, ORIGINAL_SOURCE, skills, [])


# ----------------------------------------------------------------------------------------------
# common


def _model(
    model_id: str, subject: str, source: str, skills: list[dict[str, object]], added: list[Edge]
) -> dict[str, object]:
    _check(model_id, skills)
    return {
        "id": model_id,
        "subject": subject,
        "source": source,
        "added_edges": [list(e) for e in added],
        "skills": skills,
    }


def _check(model_id: str, skills: list[dict[str, object]]) -> None:
    """Unique ids, resolved prerequisites of no higher level, acyclic."""
    level = {str(s["id"]): s["level"] for s in skills}
    if len(level) != len(skills):
        raise SystemExit(f"{model_id}: duplicate skill ids.")
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(level)
    for s in skills:
        for p in s["prerequisites"]:  # type: ignore[attr-defined]
            if p not in level or level[p] > level[str(s["id"])]:  # type: ignore[operator]
                raise SystemExit(f"{model_id}: bad prerequisite {p} of {s['id']}.")
            graph.add_edge(p, s["id"])
    if not nx.is_directed_acyclic_graph(graph):
        raise SystemExit(f"{model_id}: the prerequisites form a cycle: {nx.find_cycle(graph)}.")


def build_all(data: Path) -> dict[str, dict[str, object]]:
    """File name -> model document."""
    return {
        "ccss-math-k8.json": build_math(data),
        "literacy-k8.json": build_original(
            "literacy-k8", "literacy", "LIT", LITERACY, LITERACY_CROSS
        ),
        "science-k8.json": build_original("science-k8", "science", "SCI", SCIENCE, SCIENCE_CROSS),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, model in build_all(args.data).items():
        text = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
        (args.out / name).write_text(text, encoding="utf-8")
        skills = model["skills"]
        edges = sum(len(s["prerequisites"]) for s in skills)  # type: ignore[attr-defined]
        log.info(
            "%s: %d skills, %d edges (%d added)",
            name,
            len(skills),  # type: ignore[arg-type]
            edges,
            len(model["added_edges"]),  # type: ignore[arg-type]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
