"""Hand-made plans that break no rule pass with zero violations."""

from __future__ import annotations

from pathlib import Path

from plsched import load_instance
from plsched.check import check
from plsched.schema.instance import Instance
from plsched.schema.schedule import Schedule

from .builders import (
    build_five_learners_two_teachers,
    edited_week,
    session,
    small_group,
    valid_week,
)

TINY = Path(__file__).resolve().parents[3] / "shared" / "examples" / "tiny.json"

ALL = ["l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09", "l10", "l11", "l12"]


def _rest(*taken: str, away: tuple[str, ...] = ()) -> list[str]:
    return [lid for lid in ALL if lid not in taken and lid not in away]


def tiny_valid_plan() -> Schedule:
    """A week for tiny.json keeping every hard rule.

    l01/l02 avoid each other; l06 groups of at most 3; l09 needs Ms. Rivera (tag "ell");
    l10 needs the quiet nook in teacher-led sessions; l04 is away tue-2; Mr. Okafor is away
    mon-1; the nook is closed tue-3. Small groups only hold learners ready for their skill.
    """
    sg = "small_group"
    sessions = [
        session(
            "m1-a", "mon-1", ["l01", "l06", "l09"], sg, "studio", "t-rivera", "math", "K.OA.A.2"
        ),
        session("m1-b", "mon-1", _rest("l01", "l06", "l09"), room="studio"),
        session("m2-a", "mon-2", ["l03", "l08", "l10"], sg, "nook", "t-okafor", "math", "K.OA.A.4"),
        session("m2-b", "mon-2", ["l04", "l12"], sg, "studio", "t-rivera", "math", "1.OA.A.2"),
        session("m2-c", "mon-2", _rest("l03", "l08", "l10", "l04", "l12", "l02"), room="studio"),
        session("m2-d", "mon-2", ["l02"], room="studio"),
        session(
            "m3-a",
            "mon-3",
            ["l01", "l03", "l04", "l05", "l07", "l08", "l09", "l11", "l12"],
            "community",
            "studio",
            "t-rivera",
        ),
        session("m3-b", "mon-3", ["l02", "l06", "l10"], room="studio"),
        session(
            "t1-a",
            "tue-1",
            ["l02", "l03", "l04", "l05", "l07", "l08", "l11", "l12"],
            "community",
            "studio",
            "t-okafor",
        ),
        session("t1-b", "tue-1", ["l01", "l09", "l06"], sg, "nook", "t-rivera", "math", "K.OA.A.2"),
        session("t1-c", "tue-1", ["l10"], room="studio"),
        session("t2-a", "tue-2", _rest("l02", away=("l04",)), room="studio"),
        session("t2-b", "tue-2", ["l02"], room="studio"),
        session(
            "t3-a", "tue-3", ["l07", "l11", "l12"], sg, "studio", "t-okafor", "math", "1.OA.B.3"
        ),
        session("t3-b", "tue-3", _rest("l07", "l11", "l12", "l02"), room="studio"),
        session("t3-c", "tue-3", ["l02"], room="studio"),
    ]
    return Schedule(instance="example-tiny", status="feasible", sessions=tuple(sessions))


def test_tiny_example_hand_plan_is_valid() -> None:
    report = check(load_instance(TINY), tiny_valid_plan())
    assert report.violations == ()
    assert report.ok


def test_valid_week_is_valid(five_learners_two_teachers: Instance) -> None:
    report = check(five_learners_two_teachers, valid_week())
    assert report.ok, [v.message for v in report.violations]


def test_policy_allows_review_and_stretch() -> None:
    # l3 has mastered b (review); l1 and l2 lack b for c, which they are ready for (stretch).
    plan = edited_week(
        small_group("s3", "mon-2", ["l3"], "t2", "b"),
        small_group("s8", "tue-2", ["l1", "l2"], "t2", "c", room="lab"),
        session("s10", "tue-2", ["l5"]),
    )
    assert {v.rule for v in check(build_five_learners_two_teachers(), plan).violations} == {5}
    lenient = build_five_learners_two_teachers(allow_review=True, allow_stretch=True)
    assert check(lenient, plan).ok
