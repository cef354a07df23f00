"""Rule 0: a plan naming ids the instance lacks is reported, never a crash."""

from __future__ import annotations

from plsched.check import check
from plsched.schema.instance import Instance

from .builders import edited_week, only_rule, session, small_group


def test_unknown_ids_are_reported(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(
        session("s10", "wed-1", ["l4"]),
        session("s11", "tue-2", ["l99"], modality="yoga", room="roof"),
        small_group("s12", "wed-1", ["l98"], "t9", "zz"),
        session("s13", "wed-1", ["l97"], subject="art"),
    )
    messages = only_rule(check(five_learners_two_teachers, plan), 0)
    expected = [
        "block 'wed-1'",
        "learner 'l99'",
        "modality 'yoga'",
        "room 'roof'",
        "teacher 't9'",
        "skill 'zz'",
        "learner 'l98'",
        "subject 'art'",
    ]
    for part in expected:
        assert any(part in m for m in messages), part
    assert all(m.startswith("reference: ") for m in messages)


def test_duplicate_session_ids_are_reported(five_learners_two_teachers: Instance) -> None:
    week = edited_week()
    s9 = week.sessions[-1]
    s8_again = s9.model_copy(update={"id": "s8"})  # two sessions named s8 in tue-2
    plan = week.model_copy(update={"sessions": (*week.sessions[:-1], s8_again)})
    [msg] = only_rule(check(five_learners_two_teachers, plan), 0)
    assert "'s8'" in msg and "2 sessions" in msg


def test_every_broken_rule_is_listed(five_learners_two_teachers: Instance) -> None:
    plan = edited_week(
        # rule 7 (no teacher) and rule 5 (l3 mastered b)
        session("s3", "mon-2", ["l3"], "small_group", "hall", None, "math", "b"),
        # rule 6 (l1 and l3) and rule 1 (l1 in two sessions in tue-2)
        session("s9", "tue-2", ["l3", "l4", "l1"]),
        # rule 3: the lab is closed tue-1
        session("s6", "tue-1", ["l1", "l4"], room="lab"),
        # rule 4: l5 listed twice
        session("s7", "tue-1", ["l2", "l3", "l5", "l5"]),
        # rule 2 (t1 twice on mon) and rule 8 (hall is not quiet for l1)
        small_group("s4", "mon-2", ["l1", "l2"], "t1", "b"),
    )
    rules = {v.rule for v in check(five_learners_two_teachers, plan).violations}
    assert rules == {1, 2, 3, 4, 5, 6, 7, 8}
