"""The soft objective of docs/objective.md as CP-SAT pieces, one function per term.

Each function appends :class:`Piece` objects; constants from outside the window (minutes
already delivered, teachers already met, sessions already led) enter as offsets, so a piece's
value is that term's exact contribution for the learners, sessions and teachers in the window.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from plsched.compiled import MIX_DIVERSE, MIX_SAME_SKILL, half_up
from plsched.solvers.cpsat.linear import ABS, LIN, POS, Lin, Piece

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def _piece(wm: WindowModel, term: str, kind: int, lin: Lin) -> None:
    weight = wm.weights.get(term, 0)
    if weight:
        wm.pieces.append(Piece(term, weight, kind, lin))


def goal_shortfall(wm: WindowModel) -> None:
    cp, ctx = wm.cp, wm.ctx
    delivered: dict[tuple[int, int, int], Lin] = {}
    for (learner, block), options in wm.by_lb.items():
        minutes = int(cp.block_minutes[block])
        for var, item in options:
            key = (learner, item.subject, item.modality)
            if key not in delivered:
                delivered[key] = Lin()
            delivered[key].add(var, minutes)
    # over the whole week, learners never free (away all week) still miss their goals
    whole = len(wm.window.blocks) == cp.n_blocks and not ctx.kept and not ctx.fixed
    learners = range(cp.n_learners) if whole else wm.learners
    for learner in learners:
        for subject, modality, goal in wm.prep.goals_of.get(learner, []):
            lin = delivered.get((learner, subject, modality), Lin())
            out = ctx.minutes_out.get((learner, subject, modality), 0)
            if not lin.vars:
                if wm.strict_goals and out < goal:
                    wm.impossible.append(
                        f"learner {cp.learner_ids[learner]!r} can get no session for a goal"
                    )
                _piece(wm, "goal_shortfall", LIN, Lin(const=max(0, goal - out)))
                continue
            if wm.strict_goals:
                got = Lin(list(lin.vars), list(lin.coefs), out)
                wm.model.add(got.expr() >= goal)
            short = Lin(list(lin.vars), [-c for c in lin.coefs], goal - out)
            _piece(wm, "goal_shortfall", POS, short)


def off_focus_review_stretch(wm: WindowModel) -> None:
    cp = wm.cp
    for c in wm.cands:
        minutes = int(cp.block_minutes[c.block])
        off = c.skill >= 0 and cp.mod_skill[c.modality]
        same = c.skill >= 0 and cp.mod_mix[c.modality] == MIX_SAME_SKILL
        for learner, x in c.x.items():
            if off and cp.has_focus[learner, c.subject] and not cp.focus[learner, c.skill]:
                _piece(wm, "off_focus", LIN, Lin([x], [minutes]))
            if same and cp.mastered[learner, c.skill]:
                _piece(wm, "review", LIN, Lin([x], [1]))
            elif same and not cp.ready[learner, c.skill]:
                _piece(wm, "stretch", LIN, Lin([x], [1]))


def group_size(wm: WindowModel) -> None:
    cp = wm.cp
    for c in wm.cands:
        assert c.active is not None
        lin = Lin(list(c.x.values()), [1] * len(c.x))
        lin.add(c.active, -int(cp.mod_target[c.modality]))
        _piece(wm, "group_size", ABS, lin)
    for p in wm.pools:
        assert p.count is not None
        lin = Lin(list(p.x.values()), [1] * len(p.x), len(p.fixed))
        lin.add(p.count, -int(cp.mod_target[p.modality]))
        _piece(wm, "group_size", ABS, lin)


def continuity(wm: WindowModel) -> None:
    ctx = wm.ctx
    by_teacher: dict[tuple[int, int], dict[int, list[cp_model.IntVar]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for c in wm.cands:
        if c.subject < 0:
            continue
        for learner, x in c.x.items():
            by_teacher[(learner, c.subject)][c.teacher].append(x)
    for (learner, subject), teachers in by_teacher.items():
        known = ctx.teachers_out.get((learner, subject), set())
        lin = Lin(const=len(known) - 1)
        for t, xs in teachers.items():
            if t in known:
                continue
            u = wm.model.new_bool_var("met")
            for x in xs:
                wm.model.add_implication(x, u)
            wm.or_defs[u.index] = xs
            wm.ub[u.index] = 1
            lin.add(u)
        if lin.vars:
            _piece(wm, "continuity", POS, lin)


def variety(wm: WindowModel) -> None:
    cp, ctx = wm.cp, wm.ctx
    cap = wm.cp.instance.policy.daily_subject_cap
    per_day: dict[tuple[int, int, int], Lin] = {}
    for (learner, block), options in wm.by_lb.items():
        day = int(cp.block_day[block])
        for var, item in options:
            if item.subject < 0:
                continue
            key = (learner, day, item.subject)
            if key not in per_day:
                per_day[key] = Lin(const=ctx.day_subject_out.get(key, 0) - cap)
            per_day[key].add(var)
    for lin in per_day.values():
        if lin.const + len(lin.vars) > 0:
            _piece(wm, "variety", POS, lin)


def age_mix(wm: WindowModel) -> None:
    cp = wm.cp
    for c in wm.cands:
        if cp.mod_mix[c.modality] != MIX_DIVERSE:
            continue
        share = half_up(int(cp.mod_target[c.modality]))
        by_age: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for learner, x in c.x.items():
            by_age[int(cp.learner_age[learner])].append(x)
        for xs in by_age.values():
            if len(xs) > share:
                _piece(wm, "age_mix", POS, Lin(xs, [1] * len(xs), -share))


def load_balance(wm: WindowModel) -> None:
    cp, ctx = wm.cp, wm.ctx
    led: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for c in wm.cands:
        assert c.active is not None
        led[c.teacher].append(c.active)
    for t, actives in led.items():
        const = int(ctx.teacher_week[t] - cp.teacher_fair[t])
        if const + len(actives) > 0:
            _piece(wm, "load_balance", POS, Lin(actives, [1] * len(actives), const))


def stability(wm: WindowModel) -> None:
    if not wm.previous:
        return
    for (learner, block), options in wm.by_lb.items():
        before = wm.previous.get((learner, block))
        if before is None:
            continue
        for var, item in options:
            if item.key != before:
                _piece(wm, "stability", LIN, Lin([var], [1]))


TERMS = (
    goal_shortfall,
    off_focus_review_stretch,
    group_size,
    continuity,
    variety,
    age_mix,
    load_balance,
    stability,
)


def add(wm: WindowModel) -> None:
    for term in TERMS:
        term(wm)
    objective: list[cp_model.LinearExprT] = []
    for piece in wm.pieces:
        if piece.kind == LIN:
            objective.append(piece.weight * piece.lin.expr())
            continue
        hi = abs(piece.lin.const) + sum(
            abs(c) * wm.ub.get(v.index, 1)
            for v, c in zip(piece.lin.vars, piece.lin.coefs, strict=True)
        )
        aux = wm.model.new_int_var(0, max(hi, 0), piece.term)
        expr = piece.lin.expr()
        wm.model.add(aux >= expr)
        if piece.kind == ABS:
            wm.model.add(aux >= -expr)
        piece.aux = aux
        objective.append(piece.weight * aux)
    wm.model.minimize(sum(objective))
