"""The CP-SAT windows (solvers/lns.py): which teachers and learners a window frees, and that a
window around a learner short of minutes gives it a place the checker accepts."""

from __future__ import annotations

import time

import numpy as np

from plsched import Instance
from plsched.check import check
from plsched.compiled import compile_problem
from plsched.schema.schedule import Schedule
from plsched.scoring import scaled_weights, score
from plsched.solvers.cpsat.candidates import prepare
from plsched.solvers.lns import _overlap, _window, improve, unmet_minutes
from plsched.solvers.state import Sess, sessions_to_public

from .conftest import independent, ready_for_a, room, school, small_group, teacher

ELL = {"teacher": ["ell"], "room": []}


def _tagged_school() -> tuple[Instance, list[Sess]]:
    """e1 needs a teacher tagged ``ell`` (t1 only, one session a week, leading a1-a3 at mon-1)
    and is short of its 60 minutes; t2 and t3 are free all week."""
    instance = school(
        ready_for_a("e1", needs=ELL) + ready_for_a("a1", "a2", "a3"),
        [teacher("t1", per_week=1, tags=["ell"]), teacher("t2"), teacher("t3")],
        blocks=("mon-1", "mon-2", "tue-1"),
        rooms=[room("hall")],
        modalities=[small_group(), independent(max_size=30, target_size=4)],
    )
    cp = compile_problem(instance)
    sg, ind = cp.modality_index["small_group"], cp.modality_index["independent"]
    plan = [Sess(0, sg, 0, 0, 0, 0, (1, 2, 3)), Sess(0, ind, -1, -1, -1, 0, (0,))]
    plan += [Sess(b, ind, -1, -1, -1, 0, (0, 1, 2, 3)) for b in (1, 2)]
    return instance, plan


def test_a_window_for_a_learner_who_needs_a_tag_frees_the_teacher_with_it() -> None:
    # over a dozen seeds: every window frees t1 and e1; a one-block window adds the teachers
    # nearest in skills, a window over the week frees only teachers with the tag
    instance, plan = _tagged_school()
    cp = compile_problem(instance)
    prep = prepare(cp)
    short = unmet_minutes(cp, plan)
    assert short.tolist() == [60, 0, 0, 0]
    shapes = set()
    for seed in range(12):
        rng = np.random.default_rng(seed)
        window = _window(cp, plan, "unmet", rng, _overlap(cp), 3, 24, short, prep.allowed)
        assert window is not None
        freed = {t for b in window.blocks for t in window.teachers[b] or ()}
        assert 0 in freed
        assert all(0 in (window.learners[b] or ()) for b in window.blocks)
        if len(window.blocks) > 1:
            assert freed == {0}
            assert window.blocks == (0, 1, 2)  # t1's block and those where e1 works alone
        shapes.add(len(window.blocks) > 1)
    assert shapes == {False, True}


def test_windows_around_a_learner_short_of_minutes_seat_it_with_the_tagged_teacher() -> None:
    instance, plan = _tagged_school()
    cp = compile_problem(instance)
    prep = prepare(cp)
    weights = scaled_weights(instance.policy)

    def scored(sessions: list[Sess]) -> int:
        public = tuple(sessions_to_public(cp, sessions))
        return score(
            instance, Schedule(instance=instance.name, status="feasible", sessions=public)
        ).scaled

    before = scored(plan)
    out, objective, stats = improve(
        cp,
        prep,
        plan,
        before,
        weights=weights,
        previous=None,
        deadline=time.monotonic() + 30,
        seed=0,
        workers=1,
        deterministic=True,
        max_windows=6,
    )
    assert objective == scored(out) < before
    assert unmet_minutes(cp, out).tolist() == [0, 0, 0, 0]
    led = [s for s in out if s.teacher == 0]
    assert len(led) == 1 and 0 in led[0].members
    public = tuple(sessions_to_public(cp, out))
    assert check(instance, Schedule(instance=instance.name, status="feasible", sessions=public)).ok
    assert stats.improved["unmet"] >= 1
