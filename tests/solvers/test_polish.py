"""The local search (solvers/polish.py): its moves keep every hard rule, its running gain is
the scoring layer's, and it finds the moves a hand-made school asks for."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from typing import Any

import numpy as np
import pytest

import plsched.solvers.polish as polish_module
from plsched import Instance, parse_instance
from plsched.check import check
from plsched.compiled import compile_problem
from plsched.io import load_instance
from plsched.schema.schedule import Schedule
from plsched.scoring import Scorer, scaled_weights, score
from plsched.solvers.construction import construct
from plsched.solvers.cpsat.candidates import prepare
from plsched.solvers.polish import _pool_floor, _State, polish
from plsched.solvers.state import Sess, sessions_from_public, sessions_to_public

from .conftest import (
    SMALL_PATH,
    independent,
    learner,
    ready_for_a,
    ready_for_b,
    room,
    school,
    school_dict,
    small_group,
    teacher,
)


def _schedule(instance: Instance, cp: object, plan: list[Sess]) -> Schedule:
    sessions = tuple(sessions_to_public(cp, plan))  # type: ignore[arg-type]
    return Schedule(instance=instance.name, status="feasible", sessions=sessions)


def _polished(
    instance: Instance, plan: list[Sess] | None = None, previous: Schedule | None = None
) -> tuple[int, int, int, Schedule]:
    """(objective before, objective after, claimed gain, polished plan)."""
    cp = compile_problem(instance)
    prep = prepare(cp)
    if plan is None:
        plan = construct(cp, prep, np.random.default_rng(3))
    prev = None
    if previous is not None:
        prev = {
            (m, s.block): s.key
            for s in sessions_from_public(cp, previous.sessions)
            for m in s.members
        }
    scorer = Scorer(instance, previous)
    before = scorer.score(_schedule(instance, cp, plan)).scaled
    out, stats = _polish(instance, cp, prep, plan, prev)
    after_plan = _schedule(instance, cp, out)
    return before, scorer.score(after_plan).scaled, stats.gain, after_plan


def _polish(
    instance: Instance, cp: Any, prep: Any, plan: list[Sess], prev: Any = None, **options: Any
) -> tuple[list[Sess], polish_module.PolishStats]:
    """The local search with the tests' seed and a minute's deadline."""
    return polish(
        cp,
        prep,
        plan,
        weights=scaled_weights(instance.policy),
        previous=prev,
        rng=np.random.default_rng(5),
        deadline=time.monotonic() + 60,
        **options,
    )


@pytest.fixture(scope="module")
def small() -> Instance:
    return load_instance(SMALL_PATH)


def test_gain_is_the_scoring_layers_and_the_plan_stays_valid(small: Instance) -> None:
    before, after, gain, plan = _polished(small)
    assert gain > 0
    assert before - after == gain
    assert check(small, plan).ok


def test_with_a_previous_plan_stability_is_counted_exactly(small: Instance) -> None:
    cp = compile_problem(small)
    prep = prepare(cp)
    yesterday = _schedule(small, cp, construct(cp, prep, np.random.default_rng(11)))
    before, after, gain, plan = _polished(small, previous=yesterday)
    assert before - after == gain > 0
    assert check(small, plan).ok


def _crossed_teachers() -> tuple[Instance, list[Sess]]:
    """Two groups of three meet t1 and t2 on mon-1, and the other way round on mon-2."""
    learners = [learner(f"l{i}", [], minutes=120) for i in range(1, 7)]
    instance = school(learners, [teacher("t1"), teacher("t2")], blocks=("mon-1", "mon-2"))
    cp = compile_problem(instance)
    k = cp.skill_index[(0, "a")]
    sg = cp.modality_index["small_group"]
    t1, t2 = cp.teacher_index["t1"], cp.teacher_index["t2"]
    first, second = (0, 1, 2), (3, 4, 5)
    plan = [
        Sess(0, sg, 0, k, t1, 0, first),
        Sess(0, sg, 0, k, t2, 0, second),
        Sess(1, sg, 0, k, t2, 0, first),
        Sess(1, sg, 0, k, t1, 0, second),
    ]
    return instance, plan


def test_a_teacher_swap_gives_every_learner_one_teacher() -> None:
    instance, plan = _crossed_teachers()
    before, after, gain, polished = _polished(instance, plan)
    # each of the six learners met two teachers: 6 × 20 × SCALE; swapping mon-2's teachers
    # leaves everyone with one teacher and nothing else changes
    assert before - after == gain == 6 * 20 * 100
    led = {(s.block, s.teacher): set(s.learners) for s in polished.sessions}
    assert led[("mon-1", "t1")] == led[("mon-2", "t1")]
    assert led[("mon-1", "t2")] == led[("mon-2", "t2")]
    assert check(instance, polished).ok


def test_a_learner_moves_from_a_crowded_group_to_a_thin_one() -> None:
    # two groups on b, of 4 and 2 (target 3): one move saves 2 × OFF_TARGET × SCALE
    instance = school(ready_for_b(*(f"l{i}" for i in range(6))), [teacher("t1"), teacher("t2")])
    cp = compile_problem(instance)
    sg = cp.modality_index["small_group"]
    kb = cp.skill_index[(0, "b")]
    plan = [Sess(0, sg, 0, kb, 0, 0, (0, 1, 2, 3)), Sess(0, sg, 0, kb, 1, 0, (4, 5))]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 2 * 100
    assert sorted(len(s.learners) for s in polished.sessions) == [3, 3]
    assert check(instance, polished).ok


def test_a_session_changes_to_its_members_focus_skill() -> None:
    # three learners ready for a, b and c alike (review and stretch allowed at no cost), all
    # with focus c, meet on a: changing the skill to c saves 3 × 60 off-focus minutes
    learners = [learner(f"l{i}", ["a"], focus=["c"]) for i in range(3)]
    instance = school(
        learners,
        [teacher("t1")],
        policy={
            "allow_review": True,
            "allow_stretch": True,
            "weights": {"review": 0, "stretch": 0},
        },
    )
    cp = compile_problem(instance)
    sg = cp.modality_index["small_group"]
    ka, kc = cp.skill_index[(0, "a")], cp.skill_index[(0, "c")]
    assert cp.mastered[0, ka] and cp.stretch[0, kc]
    before, after, gain, polished = _polished(instance, [Sess(0, sg, 0, ka, 0, 0, (0, 1, 2))])
    assert before - after == gain == 3 * 60 * 20
    assert [s.skill for s in polished.sessions] == ["c"]
    assert check(instance, polished).ok


@pytest.mark.parametrize("clock_stops_at_once", [False, True])
def test_a_free_teacher_opens_a_group_for_learners_short_of_minutes(
    clock_stops_at_once: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # three learners ready for a sit alone in independent work (three pooled sessions of one)
    # while t1 is free: a group of three with t1 meets all three goals (3 × BLOCK_SHORT). Even
    # when the clock runs out as soon as the pass starts (its teacher swaps set the deadline in
    # the past): the sessions for goals short open before anything else
    if clock_stops_at_once:

        def out_of_time(st: _State, stats: object) -> int:
            st.deadline = 0.0
            return 0

        monkeypatch.setattr(polish_module, "_teacher_swaps", out_of_time)
    instance = school(ready_for_a("l1", "l2", "l3"), [teacher("t1")])
    cp = compile_problem(instance)
    ind = cp.modality_index["independent"]
    plan = [Sess(0, ind, -1, -1, -1, 0, (x,)) for x in range(3)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 600 * 100
    assert [(s.teacher, s.skill, len(s.learners)) for s in polished.sessions] == [("t1", "a", 3)]
    assert check(instance, polished).ok


def _second_teacher_week() -> tuple[Instance, list[Sess]]:
    """l1 meets t1 on mon-1 and t2 on mon-2 (one extra teacher); on tue-1 t1 meets l2 and l3
    while l1 works alone."""
    learners = [learner(x, [], minutes=120) for x in ("l1", "l2", "l3")]
    learners += [learner(x, [], minutes=60) for x in ("l4", "l5")]
    instance = school(learners, [teacher("t1"), teacher("t2")], blocks=("mon-1", "mon-2", "tue-1"))
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    k = cp.skill_index[(0, "a")]
    t1, t2 = cp.teacher_index["t1"], cp.teacher_index["t2"]
    return instance, [
        Sess(0, sg, 0, k, t1, 0, (0, 1, 2)),
        Sess(0, ind, -1, -1, -1, 0, (3,)),
        Sess(0, ind, -1, -1, -1, 0, (4,)),
        Sess(1, sg, 0, k, t2, 0, (0, 3, 4)),
        Sess(1, ind, -1, -1, -1, 0, (1,)),
        Sess(1, ind, -1, -1, -1, 0, (2,)),
        Sess(2, sg, 0, k, t1, 0, (1, 2)),
        *(Sess(2, ind, -1, -1, -1, 0, (x,)) for x in (0, 3, 4)),
    ]


def test_a_learner_moves_to_their_teachers_group_in_another_block() -> None:
    # (_second_teacher_week) moving l1's second session from mon-2 (t2) to tue-1 (t1) keeps
    # the goal's 120 minutes and saves the extra teacher (20 × SCALE); the group sizes trade
    # one learner (3 -> 2 and 2 -> 3), which costs nothing in sum.
    instance, plan = _second_teacher_week()
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 20 * 100
    with_l1 = {(s.block, s.teacher) for s in polished.sessions if "l1" in s.learners}
    assert with_l1 == {("mon-1", "t1"), ("mon-2", None), ("tue-1", "t1")}
    assert check(instance, polished).ok


def test_a_pass_the_clock_stops_in_the_learners_moves_says_so_and_the_next_skips_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # l1 moving its second session to its own teacher (the test above) is a learner's move:
    # a local search that starts after those moves makes none in its first pass, and one
    # that the clock stops in them says so
    instance, plan = _second_teacher_week()
    cp = compile_problem(instance)
    prep = prepare(cp)

    def run(learners_first: bool) -> polish_module.PolishStats:
        options = {"max_passes": 1, "recourse": False, "learners_first": learners_first}
        return _polish(instance, cp, prep, plan, **options)[1]

    def learners_moves(stats: polish_module.PolishStats) -> int:
        return stats.moves + stats.shifts + stats.learner_swaps

    first = run(True)
    assert learners_moves(first) > 0 and first.gain == 20 * 100 and not first.cut_in_moves
    skipped = run(False)  # (a teacher's hand-over may make the same gain, after those moves)
    assert skipped.passes == 1 and learners_moves(skipped) == 0

    def out_of_time(st: _State, stats: object) -> int:
        st.deadline = 0.0
        return 0

    monkeypatch.setattr(polish_module, "_teacher_swaps", out_of_time)
    stopped = run(True)
    assert stopped.cut_in_moves and learners_moves(stopped) == 0


def test_teacherless_learners_spread_over_the_rooms() -> None:
    # 24 learners with no goal sit in one session of independent work in the hall (target 12,
    # up to 30) while the annex is empty: two sessions of 12, one per room, cost nothing
    # (12 × OFF_TARGET × SCALE saved); the hall has one zone, so the annex must be used
    ind = independent(min_size=1, max_size=30, target_size=12)
    learners = [{**learner(f"l{i:02d}", []), "goals": []} for i in range(24)]
    rooms = [room("hall", capacity=30, zones=1), room("annex", capacity=30, zones=1)]
    instance = school(learners, [teacher("t1")], rooms=rooms, modalities=[small_group(), ind])
    cp = compile_problem(instance)
    m = cp.modality_index["independent"]
    plan = [Sess(0, m, -1, -1, -1, cp.room_index["hall"], tuple(range(24)))]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 12 * 2 * 100
    assert sorted((s.room, len(s.learners)) for s in polished.sessions) == [
        ("annex", 12),
        ("hall", 12),
    ]
    assert check(instance, polished).ok


@pytest.mark.parametrize("crowd", [7, 31, 58, 75])
def test_the_least_a_blocks_pools_can_reach_is_the_best_split_over_its_rooms(crowd: int) -> None:
    # _pool_floor's dynamic programme against every split of the learners over four rooms of
    # mixed zones and seats, whatever the number working alone
    ind = independent(min_size=1, max_size=20, target_size=12)
    learners = [{**learner(f"l{i:02d}", []), "goals": []} for i in range(crowd)]
    shapes = {"a": (30, 1), "b": (25, 2), "c": (9, 1), "d": (40, 3)}
    rooms = [room(r, capacity=c, zones=z) for r, (c, z) in shapes.items()]
    instance = school(learners, [teacher("t1")], rooms=rooms, modalities=[small_group(), ind])
    cp = compile_problem(instance)
    m = cp.modality_index["independent"]
    # all in room d to start with, in as many sessions as 25 a session takes (its zones at most)
    count = -(-crowd // 25)
    plan = [
        Sess(0, m, -1, -1, -1, cp.room_index["d"], tuple(range(crowd))[k::count])
        for k in range(count)
    ]
    st = _State(cp, prepare(cp), plan, scaled_weights(instance.policy), None)
    least, now, sizes = _pool_floor(st, 0, m, -1, [st.where[(0, 0)]])

    def cost(n: int, seats: int, zones: int) -> float:
        fits = [abs(n - 12 * k) for k in range(1, zones + 1) if k <= n <= 20 * k]
        return 0 if n == 0 else (min(fits) if fits and n <= seats else float("inf"))

    best = min(
        sum(cost(n, *shape) for n, shape in zip(split, shapes.values(), strict=True))
        for split in itertools.product(*(range(c + 1) for c, _ in shapes.values()))
        if sum(split) == crowd
    )
    assert now == abs(crowd - 12 * count)
    assert least == best
    assert sum(sizes.values()) == crowd
    assert sum(cost(sizes.get(cp.room_index[r], 0), *shapes[r]) for r in shapes) == best


def test_learners_beyond_their_goals_leave_crowded_groups_for_a_new_pool() -> None:
    # three groups of 4 on b (target 3) and one session of 3 working alone (target 3) in a
    # hall of five zones (one free). The twelve learners in groups have no goal left to meet
    # there. One of them moving alone saves nothing (the group comes down by one, the pool
    # goes up by one); one from each group together, with the pool opening its second
    # session, saves 3 × OFF_TARGET × SCALE.
    ind = independent(min_size=1, max_size=6, target_size=3)
    grouped = [{**x, "goals": []} for x in ready_for_b(*(f"g{i:02d}" for i in range(12)))]
    alone = [{**learner(f"a{i}", []), "goals": []} for i in range(3)]
    instance = school(
        grouped + alone,
        [teacher("t1"), teacher("t2"), teacher("t3")],
        rooms=[room("hall", capacity=30, zones=5)],
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    sg, m = cp.modality_index["small_group"], cp.modality_index["independent"]
    kb = cp.skill_index[(0, "b")]
    plan = [Sess(0, sg, 0, kb, t, 0, tuple(range(4 * t, 4 * t + 4))) for t in range(3)]
    plan.append(Sess(0, m, -1, -1, -1, 0, (12, 13, 14)))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 2 * 100
    assert sorted(len(s.learners) for s in polished.sessions if s.teacher) == [3, 3, 3]
    assert check(instance, polished).ok


def _stretch_school(learners: list[dict[str, object]], **kwargs: object) -> Instance:
    """Learners who mastered ``a`` (ready for b, c a stretch allowed at no cost), two teachers,
    one block a day from Monday to Thursday."""
    return school(
        learners,
        [teacher("t1"), teacher("t2")],
        blocks=("mon-1", "tue-1", "wed-1", "thu-1"),
        policy={"allow_stretch": True, "weights": {"stretch": 0}},
        **kwargs,
    )


def test_a_learner_off_focus_moves_all_its_sittings_to_a_group_on_its_focus() -> None:
    # l1 (focus c) meets t1's group on b on Monday and Tuesday with p1, p2 (focus b); t2's
    # group on c meets q1, q2 (focus c) on Wednesday and Thursday, when l1 works alone. Moving
    # one sitting adds a teacher (20) for 12 off-focus minutes' worth; moving both saves
    # 2 × 60 off-focus minutes, and the sizes trade one learner (3, 3, 2, 2 -> 2, 2, 3, 3).
    learners = [learner(x, ["a"], minutes=120, focus=["c"]) for x in ("l1", "q1", "q2")]
    learners += [learner(x, ["a"], minutes=120, focus=["b"]) for x in ("p1", "p2")]
    instance = _stretch_school(learners)
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    kb, kc = cp.skill_index[(0, "b")], cp.skill_index[(0, "c")]
    l1, q1, q2, p1, p2 = range(5)
    plan = [Sess(b, sg, 0, kb, 0, 0, (l1, p1, p2)) for b in (0, 1)]
    plan += [Sess(b, ind, -1, -1, -1, 0, (x,)) for b in (0, 1) for x in (q1, q2)]
    plan += [Sess(b, sg, 0, kc, 1, 0, (q1, q2)) for b in (2, 3)]
    plan += [Sess(b, ind, -1, -1, -1, 0, (x,)) for b in (2, 3) for x in (l1, p1, p2)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 60 * 20
    with_l1 = {(s.block, s.teacher) for s in polished.sessions if "l1" in s.learners}
    assert with_l1 == {("mon-1", None), ("tue-1", None), ("wed-1", "t2"), ("thu-1", "t2")}
    assert check(instance, polished).ok


def test_learners_sharing_a_focus_skill_get_a_new_group_with_a_free_teacher() -> None:
    # five learners meet t1 on b on Monday and Tuesday (size 5, target 3, up to 6): l1-l3
    # with focus c, p1, p2 with focus b; t2 is free. The session turning to c (its majority's
    # focus) strands p1 and p2 off focus; a new group on b with t2 on two days brings all on
    # focus: 2 × 3 × 60 off-focus minutes saved, sizes 5 -> 3 and a new 2 (2 × (2 - 1) off).
    learners = [learner(x, ["a"], minutes=120, focus=["c"]) for x in ("l1", "l2", "l3")]
    learners += [learner(x, ["a"], minutes=120, focus=["b"]) for x in ("p1", "p2")]
    instance = _stretch_school(learners, modalities=[small_group(max_size=6), independent()])
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    kb = cp.skill_index[(0, "b")]
    plan = [Sess(b, sg, 0, kb, 0, 0, tuple(range(5))) for b in (0, 1)]
    plan += [Sess(b, ind, -1, -1, -1, 0, (x,)) for b in (2, 3) for x in range(5)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 3 * 60 * 20 + 2 * 2 * 2 * 100 - 2 * 1 * 2 * 100
    led = sorted((s.skill, s.learners) for s in polished.sessions if s.teacher)
    assert led == [("b", ("p1", "p2"))] * 2 + [("c", ("l1", "l2", "l3"))] * 2
    assert check(instance, polished).ok


def test_learners_working_alone_in_the_only_room_they_may_use_become_a_group() -> None:
    # three learners who need a quiet room work alone there, in its one zone, short of their
    # 60 goal minutes; t1 is free. No room has a free zone for a new session, so the pool
    # itself becomes the group: 3 × BLOCK_SHORT saved, sizes at their targets before and after
    ind = independent(max_size=30, target_size=3)
    rooms = [room("quiet", zones=1, features=["quiet"]), room("hall")]
    needs = {"needs": {"room": ["quiet"]}}
    instance = school(
        ready_for_a("l1", "l2", "l3", **needs),
        [teacher("t1")],
        rooms=rooms,
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    m = cp.modality_index["independent"]
    plan = [Sess(0, m, -1, -1, -1, cp.room_index["quiet"], (0, 1, 2))]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 600 * 100
    assert [(s.teacher, s.room, len(s.learners)) for s in polished.sessions] == [("t1", "quiet", 3)]
    assert check(instance, polished).ok


def test_a_group_short_of_minutes_in_a_short_block_moves_to_a_longer_one() -> None:
    # l1-l3 (goals of 60 minutes) meet t1 in mon-1, a 45-minute block, and work alone in
    # mon-2 (60 minutes). t1 leads one session a week: no second session can meet, so the
    # group moves, whole, to mon-2: 3 × 15 goal minutes saved (10 per minute)
    doc = school_dict(
        ready_for_a("l1", "l2", "l3"), [teacher("t1", per_week=1)], blocks=("mon-1", "mon-2")
    )
    doc["blocks"][0]["minutes"] = 45
    instance = parse_instance(doc)
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    k = cp.skill_index[(0, "a")]
    plan = [Sess(0, sg, 0, k, 0, 0, (0, 1, 2))]
    plan += [Sess(1, ind, -1, -1, -1, 0, (x,)) for x in range(3)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 15 * 10 * 100
    assert [(s.block, s.teacher, len(s.learners)) for s in polished.sessions if s.teacher] == [
        ("mon-2", "t1", 3)
    ]
    assert check(instance, polished).ok


def _crowded_hall() -> tuple[Instance, int, int, int]:
    """A hall of two zones; l1-l3 ready for a (60-minute goals) and nine learners with no goal
    who work alone (target 6, up to 12) and are away in mon-2. The instance, the small_group
    and independent modalities and skill a."""
    ind = independent(min_size=1, max_size=12, target_size=6)
    alone = [{**learner(f"g{i}", []), "goals": [], "unavailable": ["mon-2"]} for i in range(9)]
    instance = school(
        [*ready_for_a("l1", "l2", "l3"), *alone],
        [teacher("t1")],
        blocks=("mon-1", "mon-2"),
        rooms=[room("hall", capacity=30, zones=2)],
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    sg, m = cp.modality_index["small_group"], cp.modality_index["independent"]
    return instance, sg, m, cp.skill_index[(0, "a")]


def test_a_group_leaves_a_block_too_crowded_for_those_working_alone() -> None:
    # the hall has two zones. In mon-1, t1's group (l1-l3, target 3) takes one and the nine
    # learners working alone (target 6, here only in mon-1) crowd into the other: 3 away. In
    # mon-2, l1-l3 work alone, a pool of 3: 3 away. The group moving, whole, to mon-2 leaves
    # mon-1 two sessions of 6 and mon-2 the group alone: 6 × OFF_TARGET × SCALE saved. No
    # learner moving alone gains anything (the group would fall below its minimum, the crowded
    # pool has no zone for a second session), and the group's goals are met where it is.
    instance, sg, m, k = _crowded_hall()
    plan = [
        Sess(0, sg, 0, k, 0, 0, (0, 1, 2)),
        Sess(0, m, -1, -1, -1, 0, tuple(range(3, 12))),
        Sess(1, m, -1, -1, -1, 0, (0, 1, 2)),
    ]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 6 * 2 * 100
    assert [(s.block, len(s.learners)) for s in polished.sessions if s.teacher] == [("mon-2", 3)]
    assert sorted(len(s.learners) for s in polished.sessions if s.block == "mon-1") == [6, 6]
    assert check(instance, polished).ok


def test_a_group_move_that_does_not_pay_leaves_the_plan_as_it_was() -> None:
    # the same group, its 45-minute goals met in mon-1: moving it to mon-2 gains nothing, so
    # everything it opened on the way (the session in mon-2, teacherless work in mon-1) is undone
    from plsched.solvers import polish as local_search

    doc = school_dict(
        ready_for_a("l1", "l2", "l3", minutes=45),
        [teacher("t1", per_week=1)],
        blocks=("mon-1", "mon-2"),
    )
    doc["blocks"][0]["minutes"] = 45
    instance = parse_instance(doc)
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(0, sg, 0, cp.skill_index[(0, "a")], 0, 0, (0, 1, 2))]
    plan += [Sess(1, ind, -1, -1, -1, 0, (x,)) for x in range(3)]
    st = local_search._State(cp, prepare(cp), plan, scaled_weights(instance.policy), None)
    before = sorted(map(repr, st.plan()))
    assert local_search._try_reblock(st, 0, 1) is None
    assert sorted(map(repr, st.plan())) == before
    assert len(st.sessions) == 2


def test_a_pool_of_several_sessions_gives_a_zone_to_a_new_group() -> None:
    # six learners work alone in three sessions of two (target 2) filling the hall's three
    # zones; l1-l3 are short of their 60 goal minutes, t1 is free. The new group takes one
    # zone and the three others meet in two sessions (3 learners: one off target):
    # 3 × BLOCK_SHORT saved, 1 × OFF_TARGET paid
    ind = independent(max_size=30, target_size=2)
    idle = [{**learner(f"i{x}", []), "goals": []} for x in range(3)]
    instance = school(
        ready_for_a("l1", "l2", "l3") + idle,
        [teacher("t1")],
        rooms=[room("hall", zones=3)],
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    m = cp.modality_index["independent"]
    plan = [Sess(0, m, -1, -1, -1, 0, pair) for pair in ((0, 3), (1, 4), (2, 5))]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 600 * 100 - 1 * 2 * 100
    led = [sorted(s.learners) for s in polished.sessions if s.teacher]
    assert led == [["l1", "l2", "l3"]]
    assert sum(1 for s in polished.sessions if not s.teacher) == 2
    assert check(instance, polished).ok


def test_a_learner_whose_focus_no_one_shares_gets_a_group_on_a_skill_a_peer_may_attend() -> None:
    # skills b1, b2, b3 follow a. l1 (ready for all three, focus b1) and p1 (ready for b3
    # only) work alone, both short of their 60 minutes. Three teachers qualified for level 2
    # only (no skill here) come first by load; t4 may lead b3. The new group is b3 with t4:
    # 2 × BLOCK_SHORT saved, l1's 60 minutes off focus (12) and one learner off target paid.
    doc = school_dict(
        [learner("l1", ["a"], focus=["b1"]), learner("p1", ["a", "b1", "b2"])],
        [
            *(
                teacher(t, qualifications=[{"subject": "math", "min_level": 2, "max_level": 2}])
                for t in ("t1", "t2", "t3")
            ),
            teacher("t4"),
        ],
    )
    doc["competency_models"][0]["skills"] = [
        {"id": "a", "level": 0, "prerequisites": []},
        *({"id": f"b{x}", "level": 1, "prerequisites": ["a"]} for x in (1, 2, 3)),
    ]
    instance = parse_instance(doc)
    cp = compile_problem(instance)
    ind = cp.modality_index["independent"]
    plan = [Sess(0, ind, -1, -1, -1, 0, (x,)) for x in range(2)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 600 * 100 - 12 * 100 - 1 * 2 * 100
    led = [(s.teacher, s.skill, sorted(s.learners)) for s in polished.sessions if s.teacher]
    assert led == [("t4", "b3", ["l1", "p1"])]
    assert check(instance, polished).ok


def test_a_group_meeting_twice_a_day_over_the_cap_moves_a_meeting_to_another_day() -> None:
    # the daily subject cap is 1; t1's group (l1-l3) meets on mon-1 and mon-2 while all three
    # work alone on tue-1: one meeting moves to Tuesday, 3 × variety (20) saved
    instance = school(
        ready_for_a("l1", "l2", "l3", minutes=120),
        [teacher("t1")],
        blocks=("mon-1", "mon-2", "tue-1"),
        policy={"daily_subject_cap": 1},
    )
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(b, sg, 0, 0, 0, 0, (0, 1, 2)) for b in (0, 1)]
    plan += [Sess(2, ind, -1, -1, -1, 0, (x,)) for x in range(3)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 20 * 100
    days = sorted(s.block[:3] for s in polished.sessions if s.teacher)
    assert days == ["mon", "tue"]
    assert check(instance, polished).ok


def test_a_meeting_no_member_needs_closes() -> None:
    # l1, l2 (120-minute goals) meet t1 three times in groups of 2 (target 3): a meeting
    # closes whole (each learner leaving alone would break the minimum size) and one group
    # off target is saved; both goals stay met
    instance = school(
        ready_for_a("l1", "l2", minutes=120), [teacher("t1")], blocks=("mon-1", "tue-1", "wed-1")
    )
    cp = compile_problem(instance)
    sg = cp.modality_index["small_group"]
    plan = [Sess(b, sg, 0, 0, 0, 0, (0, 1)) for b in range(3)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 1 * 2 * 100
    assert sum(1 for s in polished.sessions if s.teacher) == 2
    assert score(instance, polished).raw["goal_shortfall"] == 0
    assert check(instance, polished).ok


def test_a_meeting_held_again_for_one_member_closes_when_it_joins_the_weeks_other() -> None:
    # circles (teacher-led, no subject, target 3, up to 4): l1-l3 met t1 in mon-1; mon-2's
    # circle holds l4, who needs it, and l1, l2, whose goals are met. t1 leads three circles
    # (fair 2: load_balance 10); t2 leads no circles. One of the first two circles
    # closes, its member who needs it joining the other (the first, in turn: l3 joins mon-2's;
    # 4 learners, 1 off target): 10 - 2 = 8 × SCALE saved, every goal still met.
    circle = {
        "id": "circle",
        "teacher_required": True,
        "min_size": 1,
        "max_size": 4,
        "target_size": 3,
        "skill_focus": False,
        "mix": "any",
    }
    goal = [{"subject": None, "modality": "circle", "minutes_per_week": 60, "focus": []}]
    learners = [{**learner(f"l{i}", []), "goals": goal} for i in range(1, 8)]
    teachers = [teacher("t1", modalities=["circle"]), teacher("t2")]
    instance = school(
        learners,
        teachers,
        blocks=("mon-1", "mon-2", "mon-3"),
        modalities=[small_group(), circle, independent()],
        policy={"weights": {"load_balance": 10}},
    )
    cp = compile_problem(instance)
    c, ind = cp.modality_index["circle"], cp.modality_index["independent"]
    plan = [
        Sess(0, c, -1, -1, 0, 0, (0, 1, 2)),
        Sess(1, c, -1, -1, 0, 0, (0, 1, 3)),
        Sess(2, c, -1, -1, 0, 0, (4, 5, 6)),
    ]
    plan += [Sess(0, ind, -1, -1, -1, 0, (x,)) for x in range(3, 7)]
    plan += [Sess(1, ind, -1, -1, -1, 0, (x,)) for x in (2, 4, 5, 6)]
    plan += [Sess(2, ind, -1, -1, -1, 0, (x,)) for x in range(4)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == (10 - 2) * 100
    led = sorted((s.block, s.learners) for s in polished.sessions if s.teacher)
    assert led == [("mon-2", ("l1", "l2", "l3", "l4")), ("mon-3", ("l5", "l6", "l7"))]
    assert score(instance, polished).raw["goal_shortfall"] == 0
    assert check(instance, polished).ok


def test_a_meeting_no_member_needs_closes_when_its_zone_relieves_a_crowded_block() -> None:
    # the hall has two zones. In mon-1, t1's group (l1-l3, their goals met in mon-2) takes
    # one and nine learners working alone (target 6, only in mon-1) crowd the other: 3 away.
    # Its members joining them alone would crowd them more (6 away); with the group's zone,
    # twelve sit in two sessions of 6: 3 × OFF_TARGET × SCALE saved.
    instance, sg, m, k = _crowded_hall()
    plan = [
        Sess(0, sg, 0, k, 0, 0, (0, 1, 2)),
        Sess(0, m, -1, -1, -1, 0, tuple(range(3, 12))),
        Sess(1, sg, 0, k, 0, 0, (0, 1, 2)),
    ]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 2 * 100
    assert [(s.block, len(s.learners)) for s in polished.sessions if s.teacher] == [("mon-2", 3)]
    assert sorted(len(s.learners) for s in polished.sessions if s.block == "mon-1") == [6, 6]
    assert check(instance, polished).ok


def test_a_pool_holding_learners_who_avoid_each_other_keeps_two_sessions() -> None:
    # four learners with no goal work alone in two sessions (target 12): one session would be
    # closer to the target (|4 - 12| against |4 - 24|) but could not keep l1 and l3 apart
    idle = [{**learner(f"l{x}", []), "goals": []} for x in range(1, 5)]
    idle[0]["avoid"] = ["l3"]
    ind = independent(max_size=30, target_size=12)
    instance = school(idle, [teacher("t1")], modalities=[small_group(), ind])
    cp = compile_problem(instance)
    m = cp.modality_index["independent"]
    plan = [Sess(0, m, -1, -1, -1, 0, pair) for pair in ((0, 1), (2, 3))]
    _, _, _, polished = _polished(instance, plan)
    assert len(polished.sessions) == 2
    assert check(instance, polished).ok


def test_a_teacher_over_its_fair_load_hands_a_session_to_a_free_colleague() -> None:
    # six learners, two blocks, two teachers: fair loads are 1 each (2 sessions of demand, 2
    # + 2 of capacity). t1 leads both sessions, one over its fair load (1,000); t2, free at
    # mon-2, takes that session and nobody's teachers change in number
    instance = school(
        ready_for_a(*(f"l{x}" for x in range(6))),
        [teacher("t1"), teacher("t2")],
        blocks=("mon-1", "mon-2"),
        policy={"weights": {"load_balance": 10}},
    )
    cp = compile_problem(instance)
    assert cp.teacher_fair.tolist() == [1, 1]
    sg = cp.modality_index["small_group"]
    ind = cp.modality_index["independent"]
    plan = [Sess(b, sg, 0, 0, 0, 0, tuple(range(3 * b, 3 * b + 3))) for b in range(2)]
    plan += [Sess(b, ind, -1, -1, -1, 0, (x,)) for b in range(2) for x in range(6) if x // 3 != b]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 1000
    assert sorted(s.teacher for s in polished.sessions if s.teacher) == ["t1", "t2"]
    assert score(instance, polished).raw["load_balance"] == 0
    assert check(instance, polished).ok


def test_a_session_goes_to_the_teacher_its_members_already_have() -> None:
    # three learners want two hours of small-group math; t1 leads them at mon-1 and t2 at
    # mon-2, so each has two teachers (three extra teachers). t1 is free at mon-2 and takes the
    # second meeting: one teacher each (loads are free here)
    instance = school(
        ready_for_a("l0", "l1", "l2", minutes=120),
        [teacher("t1"), teacher("t2")],
        blocks=("mon-1", "mon-2"),
    )
    cp = compile_problem(instance)
    sg = cp.modality_index["small_group"]
    plan = [Sess(b, sg, 0, 0, b, 0, (0, 1, 2)) for b in range(2)]
    before, after, gain, polished = _polished(instance, plan)
    assert score(instance, _schedule(instance, cp, plan)).raw["continuity"] == 3
    assert before - after == gain > 0
    assert score(instance, polished).raw["continuity"] == 0
    assert len({s.teacher for s in polished.sessions if s.teacher}) == 1
    assert check(instance, polished).ok


def _quiet_school(quiet_zones: int, b_goals: bool = True) -> Instance:
    """l1-l3 (short of 60 minutes, their groups must meet in a quiet room), b1-b2 (ready for
    b; with no goal unless ``b_goals``) and two idle learners (i0-i1); t1 and t2; a hall of
    two zones and a quiet room."""
    ind = independent(max_size=30, target_size=2)
    idle = [{**learner(f"i{x}", []), "goals": []} for x in range(2)]
    bs = [x if b_goals else {**x, "goals": []} for x in ready_for_b("b1", "b2")]
    quiet = {"teacher": [], "room": ["quiet"]}
    return school(
        ready_for_a("l1", "l2", "l3", needs=quiet) + bs + idle,
        [teacher("t1"), teacher("t2")],
        rooms=[
            room("hall", zones=2),
            room("quiet", capacity=10, zones=quiet_zones, features=["quiet"]),
        ],
        modalities=[small_group(), ind],
    )


def test_a_pool_in_another_room_with_the_features_gives_a_zone_to_a_new_group() -> None:
    # the quiet room's two zones hold the pool of b1, b2 and the idle learners (two sessions
    # of two, on target; none of them has a goal): it meets in one session fewer and l1-l3
    # get a group there with t1; their pool in the hall (3, 1 off target) is gone, and two of
    # the others then move to the hall: all on target
    instance = _quiet_school(quiet_zones=2, b_goals=False)
    cp = compile_problem(instance)
    m = cp.modality_index["independent"]
    plan = [Sess(0, m, -1, -1, -1, 0, (0, 1, 2)), Sess(0, m, -1, -1, -1, 1, (3, 4))]
    plan.append(Sess(0, m, -1, -1, -1, 1, (5, 6)))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 600 * 100 + 1 * 2 * 100
    led = [(s.room, sorted(s.learners)) for s in polished.sessions if s.teacher]
    assert led == [("quiet", ["l1", "l2", "l3"])]
    assert check(instance, polished).ok


def test_a_group_leaves_the_room_a_new_group_needs_for_one_a_pool_gives_up() -> None:
    # the quiet room's only zone holds t2's group of b1-b2, who need no quiet room; the hall's
    # two zones hold l1-l3 and the idle learners working alone (two sessions of 2.5: 1 off
    # target). t2's group moves to the hall, whose pool meets in one session of the two idle
    # learners (on target), and l1-l3 get a group with t1 in the quiet room
    instance = _quiet_school(quiet_zones=1)
    cp = compile_problem(instance)
    ind, sg = cp.modality_index["independent"], cp.modality_index["small_group"]
    plan = [Sess(0, sg, 0, 1, 1, 1, (3, 4)), Sess(0, ind, -1, -1, -1, 0, (0, 1, 5))]
    plan.append(Sess(0, ind, -1, -1, -1, 0, (2, 6)))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 600 * 100 + 1 * 2 * 100
    led = sorted((s.teacher, s.room, sorted(s.learners)) for s in polished.sessions if s.teacher)
    assert led == [("t1", "quiet", ["l1", "l2", "l3"]), ("t2", "hall", ["b1", "b2"])]
    assert check(instance, polished).ok


@pytest.mark.parametrize("quiet_zones", [1, 2])
def test_a_group_moves_to_a_quiet_room_for_a_learner_who_needs_one(quiet_zones: int) -> None:
    # l1 (60 minutes short, needs a quiet room) works alone in the hall, where t1's group of
    # a1-a2 (ready for a, like l1) meets, one off target; the idle learners' pool holds a
    # zone of the quiet room, and t1 leads no other session (one block). The group moves to
    # the quiet room's other zone or, with one, trades rooms with the pool; l1 joins it: its
    # goal met (600), the group on target (2) and l1's pool of one gone (2)
    ind = independent(max_size=30, target_size=2)
    idle = [{**learner(f"i{x}", []), "goals": []} for x in range(2)]
    quiet = {"teacher": [], "room": ["quiet"]}
    instance = school(
        ready_for_a("l1", needs=quiet) + ready_for_a("a1", "a2") + idle,
        [teacher("t1")],
        rooms=[
            room("hall", zones=2),
            room("quiet", capacity=10, zones=quiet_zones, features=["quiet"]),
        ],
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    sg, m = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(0, sg, 0, 0, 0, 0, (1, 2)), Sess(0, m, -1, -1, -1, 0, (0,))]
    plan.append(Sess(0, m, -1, -1, -1, 1, (3, 4)))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == (600 + 2 + 2) * 100
    rooms = sorted((s.room, sorted(s.learners)) for s in polished.sessions)
    pool = "quiet" if quiet_zones == 2 else "hall"
    assert rooms == sorted([(pool, ["i0", "i1"]), ("quiet", ["a1", "a2", "l1"])])
    assert check(instance, polished).ok


def test_two_groups_trade_teachers_for_a_learner_who_needs_a_tagged_one() -> None:
    # l1 (60 minutes short, needs a teacher tagged ell) works alone beside t1's group of a1-a2
    # (ready for a, like l1) and t2's of b1-b2; t2 carries the tag and both teachers may lead
    # either group (one block). The groups trade teachers and l1 joins t2's new group: its
    # goal met (600), the group on target (2) and l1's pool of one gone (2); each group keeps
    # one teacher for the week
    ind = independent(max_size=30, target_size=2)
    ell = {"teacher": ["ell"], "room": []}
    instance = school(
        ready_for_a("l1", needs=ell) + ready_for_a("a1", "a2") + ready_for_b("b1", "b2"),
        [teacher("t1"), teacher("t2", tags=["ell"])],
        rooms=[room("hall", zones=3)],
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    sg, m = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(0, sg, 0, 0, 0, 0, (1, 2)), Sess(0, sg, 0, 1, 1, 0, (3, 4))]
    plan.append(Sess(0, m, -1, -1, -1, 0, (0,)))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == (600 + 2 + 2) * 100
    led = sorted((s.teacher, s.skill, sorted(s.learners)) for s in polished.sessions)
    assert led == [("t1", "b", ["b1", "b2"]), ("t2", "a", ["a1", "a2", "l1"])]
    assert check(instance, polished).ok


def test_a_member_of_a_full_group_gives_its_seat_to_a_learner_short_of_minutes() -> None:
    # l1 (60 minutes short, ready for a) works alone; t1's group of a1-a4 on a is full (four,
    # one over target) and t2's of a5-a7 on a, on target, holds a5, whom l1 avoids (one
    # block, both teachers busy). A member of t1's group moving to t2's pays nothing alone;
    # with l1 taking its seat, l1's goal is met (600): l1's pool of one is gone (2) and t2's
    # group is one over target (2), at four like t1's
    ind = independent(max_size=30, target_size=2)
    l1 = {**ready_for_a("l1")[0], "avoid": ["a5"]}
    names = [f"a{x}" for x in range(1, 8)]
    instance = school(
        [l1, *ready_for_a(*names)],
        [teacher("t1"), teacher("t2")],
        rooms=[room("hall", zones=3)],
        modalities=[small_group(), ind],
    )
    cp = compile_problem(instance)
    sg, m = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(0, sg, 0, 0, 0, 0, (1, 2, 3, 4)), Sess(0, sg, 0, 0, 1, 0, (5, 6, 7))]
    plan.append(Sess(0, m, -1, -1, -1, 0, (0,)))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 600 * 100
    led = {s.teacher: sorted(s.learners) for s in polished.sessions}
    assert "l1" in led["t1"] and len(led["t1"]) == 4
    assert {"a5", "a6", "a7"} < set(led["t2"]) and len(led["t2"]) == 4
    assert check(instance, polished).ok


def _course_of_six(
    blocks: tuple[str, ...], meets: tuple[int, ...], short: int = 0, **kwargs: object
) -> tuple[Instance, list[Sess]]:
    """Six learners with two hours a week each meet t1 in groups of 6 (up to 6, target 3) at
    the blocks numbered ``meets`` and work alone at the others, with l6 (no goal) alone
    throughout; the first ``short`` blocks last 45 minutes."""
    idle = {**learner("l6", []), "goals": []}
    doc = school_dict(
        [*ready_for_a(*(f"l{x}" for x in range(6)), minutes=120), idle],
        [teacher("t1")],
        blocks=blocks,
        modalities=[small_group(max_size=6), independent()],
        **kwargs,  # type: ignore[arg-type]
    )
    for b in doc["blocks"][:short]:
        b["minutes"] = 45
    instance = parse_instance(doc)
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(b, sg, 0, 0, 0, 0, tuple(range(6))) for b in meets]
    plan += [Sess(b, ind, -1, -1, -1, 0, (6,)) for b in meets]
    alone = [b for b in range(len(blocks)) if b not in meets]
    plan += [Sess(b, ind, -1, -1, -1, 0, (x,)) for b in alone for x in range(7)]
    return instance, plan


def test_a_crowded_course_meets_once_more_with_its_teacher() -> None:
    # six learners, each with two hours a week, meet t1 in groups of 6 (target 3) on mon-1
    # and tue-1 and work alone on wed-1 (l6, with no goal, works alone throughout): t1 meets
    # them on wed-1 too, each learner keeps two sittings with t1, and three groups of 12
    # seats (4, 4, 4 or 3, 4, 5) save 3 learners off target
    instance, plan = _course_of_six(("mon-1", "tue-1", "wed-1"), (0, 1))
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 2 * 100
    groups = [s for s in polished.sessions if s.teacher]
    assert len(groups) == 3 and sum(len(s.learners) for s in groups) == 12
    assert {s.teacher for s in groups} == {"t1"}
    assert score(instance, polished).raw["goal_shortfall"] == 0
    assert check(instance, polished).ok


def test_a_course_moves_sittings_from_its_crowded_meeting_to_its_thin_one() -> None:
    # t1 meets l0-l5 on mon-1 (6, target 3) and l0, l1 on tue-1 (2); l2-l5 need one sitting
    # and work alone on tue-1, there is no third block: two of them sit on tue-1 instead,
    # 4 and 4 (or 5 and 3) save 2 learners off target, and every goal stays met
    modalities = [small_group(max_size=6), independent()]
    learners = [
        *ready_for_a("l0", "l1", minutes=120),
        *ready_for_a(*(f"l{x}" for x in range(2, 6))),
        {**learner("l6", []), "goals": []},
    ]
    instance = school(learners, [teacher("t1")], blocks=("mon-1", "tue-1"), modalities=modalities)
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(0, sg, 0, 0, 0, 0, tuple(range(6))), Sess(1, sg, 0, 0, 0, 0, (0, 1))]
    plan += [Sess(0, ind, -1, -1, -1, 0, (6,))]
    plan += [Sess(1, ind, -1, -1, -1, 0, (x,)) for x in range(2, 7)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 2 * 100
    sizes = sorted(len(s.learners) for s in polished.sessions if s.teacher)
    assert sum(sizes) == 8 and sizes[1] - sizes[0] <= 2
    assert score(instance, polished).raw["goal_shortfall"] == 0
    assert check(instance, polished).ok


def test_the_learners_of_two_courses_on_a_skill_sort_themselves_by_the_sittings_they_need() -> None:
    # t1 and t2 each meet three learners on skill a at mon-1, tue-1 and wed-1: t1 meets l0,
    # l1 (three hours a week) and l2 (two), t2 meets l3 (three hours) and l4, l5 (two); l2, l4
    # and l5 sit a meeting they do not need, to keep their groups at the target. t3 teaches
    # only c, so fair loads are 2 (a demand of 5 sessions for a capacity of 9) and t1 and t2
    # lead one session over theirs (2,000). l2 and l3 trade courses whole: t1 meets l0, l1, l3
    # three times, t2 meets l2, l4, l5 twice and its third meeting closes (1,000 less). No
    # single move does it: each learner leaving alone would break a group's minimum or give
    # a learner a second teacher, and l3 needs every meeting of t2's
    c_only = [{"subject": "math", "min_level": 2, "max_level": 2}]
    instance = school(
        [
            *ready_for_a("l0", "l1", minutes=180),
            *ready_for_a("l2", minutes=120),
            *ready_for_a("l3", minutes=180),
            *ready_for_a("l4", "l5", minutes=120),
        ],
        [teacher("t1"), teacher("t2"), teacher("t3", qualifications=c_only)],
        blocks=("mon-1", "tue-1", "wed-1"),
        policy={"weights": {"load_balance": 10}},
    )
    cp = compile_problem(instance)
    assert cp.teacher_fair.tolist() == [2, 2, 2]
    sg = cp.modality_index["small_group"]
    plan = [Sess(b, sg, 0, 0, 0, 0, (0, 1, 2)) for b in range(3)]
    plan += [Sess(b, sg, 0, 0, 1, 0, (3, 4, 5)) for b in range(3)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 1000
    groups = [s for s in polished.sessions if s.teacher]
    assert sorted(s.teacher for s in groups) == ["t1"] * 3 + ["t2"] * 2
    assert {tuple(s.learners) for s in groups if s.teacher == "t1"} == {("l0", "l1", "l3")}
    assert {tuple(s.learners) for s in groups if s.teacher == "t2"} == {("l2", "l4", "l5")}
    raw = score(instance, polished).raw
    assert raw["goal_shortfall"] == raw["continuity"] == raw["group_size"] == 0
    assert check(instance, polished).ok


def test_learners_re_seated_over_two_courses_keep_a_full_studio_within_its_seats() -> None:
    # as above, with t1's course in a studio of 4 seats beside l6 working alone, and t2's in a
    # room of 6 beside l7, whom l2 avoids. Where t2's third meeting closes, l2 leaves t1's
    # course for the studio (the one place it may work alone) and l3 takes its seat: the
    # studio would hold 5, so that seating is not kept
    c_only = [{"subject": "math", "min_level": 2, "max_level": 2}]
    idle = [{**learner(x, []), "goals": []} for x in ("l6", "l7")]
    l2 = {**ready_for_a("l2", minutes=120)[0], "avoid": ["l7"]}
    instance = school(
        [
            *ready_for_a("l0", "l1", minutes=180),
            l2,
            *ready_for_a("l3", minutes=180),
            *ready_for_a("l4", "l5", minutes=120),
            *idle,
        ],
        [teacher("t1"), teacher("t2"), teacher("t3", qualifications=c_only)],
        blocks=("mon-1", "tue-1", "wed-1"),
        rooms=[room("studio", capacity=4, zones=4), room("room", capacity=6, zones=6)],
        policy={"weights": {"load_balance": 10}},
    )
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(b, sg, 0, 0, 0, 0, (0, 1, 2)) for b in range(3)]
    plan += [Sess(b, sg, 0, 0, 1, 1, (3, 4, 5)) for b in range(3)]
    plan += [Sess(b, ind, -1, -1, -1, r, (6 + r,)) for b in range(3) for r in (0, 1)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain
    studio = Counter(s.block for s in polished.sessions if s.room == "studio" for _ in s.learners)
    assert max(studio.values()) <= 4
    assert check(instance, polished).ok


def test_two_learners_off_focus_in_full_groups_trade_courses() -> None:
    # t1 meets p1-p3 (focus b) and x (focus c) on b, t2 meets q1-q3 (focus c) and y (focus b)
    # on c, both on Monday and Tuesday, both groups full (4). No learner can join the other
    # group, and swapping x and y on one day gives each a second teacher (2 × 20) for 2 × 12
    # off-focus minutes' worth. Re-seated with the sessions on their focus skills, x and y
    # trade courses whole: 2 × 2 × 60 off-focus minutes saved, nothing else changes.
    learners = [learner(v, ["a"], minutes=120, focus=["b"]) for v in ("p1", "p2", "p3", "y")]
    learners += [learner(v, ["a"], minutes=120, focus=["c"]) for v in ("q1", "q2", "q3", "x")]
    instance = _stretch_school(learners)
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    kb, kc = cp.skill_index[(0, "b")], cp.skill_index[(0, "c")]
    plan = [Sess(b, sg, 0, kb, 0, 0, (0, 1, 2, 7)) for b in (0, 1)]
    plan += [Sess(b, sg, 0, kc, 1, 0, (4, 5, 6, 3)) for b in (0, 1)]
    plan += [Sess(b, ind, -1, -1, -1, 0, (v,)) for b in (2, 3) for v in range(8)]
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 2 * 60 * 20
    led = {(s.skill, s.teacher, s.learners) for s in polished.sessions if s.teacher}
    assert led == {("b", "t1", ("p1", "p2", "p3", "y")), ("c", "t2", ("q1", "q2", "q3", "x"))}
    assert check(instance, polished).ok


def test_a_crowded_course_meets_once_more_on_a_day_its_members_are_under_the_cap() -> None:
    # as above, with one block of a subject a day at most: t1 meets l0-l5 (two hours each,
    # groups of 6, target 3) on mon-1 and tue-1, and everyone works alone in the other
    # blocks. A third meeting on Monday or Tuesday would put each learner moved there a block
    # over the cap (2,000 each): it goes to Wednesday, the one day they have no math (4, 4,
    # 4), and then, with three learners' Monday sitting moved there, a fourth on Monday
    # takes the others': four groups of 3, every seat at the target
    blocks = ("mon-1", "mon-2", "mon-3", "tue-1", "tue-2", "tue-3", "wed-1")
    instance, plan = _course_of_six(blocks, (0, 3), policy={"daily_subject_cap": 1})
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 2 * 3 * 2 * 100
    groups = [s for s in polished.sessions if s.teacher]
    assert "wed-1" in {s.block for s in groups}
    assert [len(s.learners) for s in groups] == [3] * 4
    raw = score(instance, polished).raw
    assert raw["goal_shortfall"] == raw["variety"] == raw["group_size"] == 0
    assert check(instance, polished).ok


def test_a_crowded_course_meets_once_more_in_a_block_as_long_as_its_own() -> None:
    # t1 meets l0-l5 (two hours each, groups of 6, target 3) on tue-1 and wed-1; Monday's two
    # blocks are 45 minutes long and come first, thu-1 is an hour. A sitting moved to Monday
    # would leave its learner 15 minutes short (15,000): the third meeting is on Thursday, and
    # three groups of 12 seats (4, 4, 4 or 3, 4, 5) save 3 learners off target
    blocks = ("mon-1", "mon-2", "tue-1", "wed-1", "thu-1")
    instance, plan = _course_of_six(blocks, (2, 3), short=2)
    before, after, gain, polished = _polished(instance, plan)
    assert before - after == gain == 3 * 2 * 100
    groups = [s for s in polished.sessions if s.teacher]
    assert sorted(s.block for s in groups) == ["thu-1", "tue-1", "wed-1"]
    assert sum(len(s.learners) for s in groups) == 12
    assert score(instance, polished).raw["goal_shortfall"] == 0
    assert check(instance, polished).ok
