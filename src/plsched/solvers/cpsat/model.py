"""The CP-SAT model of a window: variables, one module per rule family, the objective.

``WindowModel(cp, prep, window, plan)`` builds the model over the window with the rest of
``plan`` fixed; :meth:`solve` runs CP-SAT hinted with the plan and returns the new plan and the
window's objective before and after (exact, from the pieces).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from plsched.compiled import CompiledProblem
from plsched.solvers.cpsat import objective
from plsched.solvers.cpsat.candidates import Prepared, enumerate_candidates
from plsched.solvers.cpsat.constraints import (
    rule1_attendance,
    rule2_teachers,
    rule3_rooms,
    rule4_sizes,
    rule6_avoid,
    rule8_needs,
)
from plsched.solvers.cpsat.linear import Piece
from plsched.solvers.cpsat.variables import Candidate, Pool
from plsched.solvers.cpsat.window import Window, build_context
from plsched.solvers.state import Sess, split_pool

__all__ = ["WindowModel", "WindowResult"]

log = logging.getLogger(__name__)

RULES = (rule1_attendance, rule2_teachers, rule3_rooms, rule4_sizes, rule6_avoid, rule8_needs)


@dataclass(frozen=True)
class WindowResult:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    sessions: list[Sess] | None  # the whole new plan, None when nothing was found
    before: int | None  # the window's exact objective for the hinted plan
    after: int | None
    bound: float | None  # CP-SAT's bound on the window's objective
    terms: dict[str, int]
    wall: float
    work: float = 0.0  # CP-SAT's deterministic time, the same on every machine


class WindowModel:
    def __init__(
        self,
        cp: CompiledProblem,
        prep: Prepared,
        window: Window,
        plan: Sequence[Sess],
        *,
        weights: Mapping[str, int],
        previous: Mapping[tuple[int, int], tuple[int, int, int, int]] | None = None,
        strict_goals: bool | None = None,
    ) -> None:
        self.cp, self.prep, self.window = cp, prep, window
        self.weights = dict(weights)
        self.previous = previous or {}
        # LNS windows keep goals soft even under policy.strict_goals: a window must accept
        # the current plan as its hint
        self.strict_goals = (
            cp.instance.policy.strict_goals if strict_goals is None else strict_goals
        )
        self.ctx = build_context(cp, window, plan)
        self.model = cp_model.CpModel()
        self.pieces: list[Piece] = []
        self.or_defs: dict[int, list[cp_model.IntVar]] = {}
        self.ub: dict[int, int] = {}
        self.impossible: list[str] = []
        self.cands, self.pools = enumerate_candidates(cp, prep, window, self.ctx)
        self.by_lb: dict[tuple[int, int], list[tuple[cp_model.IntVar, Candidate | Pool]]] = (
            defaultdict(list)
        )
        for b in window.blocks:
            for learner in self.ctx.free_learners[b]:
                self.by_lb[(learner, b)] = []
        self._variables()
        self.learners = sorted({learner for learner, _ in self.by_lb})
        for rule in RULES:
            rule.add(self)
        objective.add(self)
        self.hint_values = self._hint()

    # -- variables -------------------------------------------------------------------------
    def _variables(self) -> None:
        cp, model = self.cp, self.model
        for c in self.cands:
            c.active = model.new_bool_var("a")
            for learner in c.learners:
                if (learner, c.block) not in self.by_lb:
                    continue
                x = model.new_bool_var("x")
                c.x[learner] = x
                self.by_lb[(learner, c.block)].append((x, c))
            hi = int(cp.mod_max[c.modality])
            for r in c.rooms:
                c.z[r] = model.new_bool_var("z")
                c.w[r] = model.new_int_var(0, min(hi, int(cp.room_capacity[r])), "w")
        for p in self.pools:
            zones = int(cp.room_zones[p.room])
            p.count = model.new_int_var(0, zones, "n")
            self.ub[p.count.index] = zones
            for learner in p.learners:
                x = model.new_bool_var("y")
                p.x[learner] = x
                self.by_lb[(learner, p.block)].append((x, p))

    # -- hints -----------------------------------------------------------------------------
    def _hint(self) -> dict[int, int] | None:
        """Values of the base variables for the current plan; None if it cannot be expressed."""
        ctx = self.ctx
        if not ctx.current and not ctx.current_sessions:
            return None
        values: dict[int, int] = {}
        led = {(s.block, s.teacher): s for s in ctx.current_sessions if s.teacher >= 0}
        pool_count: dict[tuple[int, int, int, int], int] = defaultdict(int)
        for s in ctx.current_sessions:
            if s.teacher < 0:
                pool_count[s.pool] += 1
        for c in self.cands:
            assert c.active is not None
            cur = led.get((c.block, c.teacher))
            on = cur is not None and cur.key == c.key
            members = cur.members if cur is not None and on else ()
            room = cur.room if cur is not None and on else -1
            values[c.active.index] = int(on)
            for learner, x in c.x.items():
                values[x.index] = int(learner in members)
            for r in c.rooms:
                values[c.z[r].index] = int(r == room)
                values[c.w[r].index] = len(members) if r == room else 0
        for p in self.pools:
            assert p.count is not None
            key = (p.block, p.modality, p.subject, p.room)
            values[p.count.index] = pool_count.get(key, 0)
            for learner, x in p.x.items():
                cur = ctx.current.get((learner, p.block))
                values[x.index] = int(cur is not None and cur.teacher < 0 and cur.pool == key)
            if p.several is not None:
                values[p.several.index] = int(pool_count.get(key, 0) >= 2)
        # every free learner must be placed by the hint
        for options in self.by_lb.values():
            if sum(values[v.index] for v, _ in options) != 1:
                return None
        self._derive(values)
        return values

    def _derive(self, values: dict[int, int]) -> None:
        for u, xs in self.or_defs.items():
            values[u] = max((values[x.index] for x in xs), default=0)

    def objective_value(self, values: Mapping[int, int]) -> tuple[int, dict[str, int]]:
        total = 0
        terms: dict[str, int] = defaultdict(int)
        for piece in self.pieces:
            v = piece.weight * piece.value(values)
            total += v
            terms[piece.term] += v
        return total, dict(terms)

    # -- solving ---------------------------------------------------------------------------
    def solve(
        self,
        *,
        time_limit: float,
        seed: int = 0,
        workers: int = 2,
        deterministic: bool = False,
        proving: bool = False,
        on_solution: Callable[[float, float], None] | None = None,
    ) -> WindowResult:
        if self.impossible:
            log.info("window cannot be solved: %s", self.impossible[0])
            return WindowResult("infeasible", None, None, None, None, {}, 0.0)
        before = None
        if self.hint_values is not None:
            before, _ = self.objective_value(self.hint_values)
            for piece in self.pieces:
                if piece.aux is not None:
                    self.hint_values[piece.aux.index] = piece.value(self.hint_values)
            for index, value in self.hint_values.items():
                self.model.proto.solution_hint.vars.append(index)
                self.model.proto.solution_hint.values.append(value)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.random_seed = seed
        params.num_workers = max(1, workers)
        if deterministic:
            params.max_deterministic_time = time_limit
            params.max_time_in_seconds = 3 * time_limit + 5.0  # safety net only
            params.interleave_search = workers > 1
        else:
            params.max_time_in_seconds = time_limit
        if self.hint_values is not None:
            params.keep_all_feasible_solutions_in_presolve = True
        if not proving:
            # LNS windows: probing and symmetry detection cost more than they give here
            # (measured on large.json: presolve alone used a 4 s budget)
            params.cp_model_probing_level = 0
            params.symmetry_level = 0
        if proving and workers == 2 and not deterministic:
            # measured on tiny.json: this pair proves optimality where the default pair
            # of workers stalls 7 % from the bound after 60 s
            params.subsolvers.extend(["max_lp", "objective_lb_search"])
        callback = _Progress(on_solution) if on_solution else None
        code = solver.solve(self.model, callback)
        status = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(code, "unknown")
        if status not in ("optimal", "feasible"):
            return WindowResult(
                status, None, before, None, None, {}, solver.wall_time, solver.deterministic_time
            )
        values = self._values(solver)
        after, terms = self.objective_value(values)
        sessions = self._extract(values)
        return WindowResult(
            status,
            sessions,
            before,
            after,
            solver.best_objective_bound,
            terms,
            solver.wall_time,
            solver.deterministic_time,
        )

    def _values(self, solver: cp_model.CpSolver) -> dict[int, int]:
        values: dict[int, int] = {}
        for c in self.cands:
            assert c.active is not None
            values[c.active.index] = int(solver.value(c.active))
            for x in c.x.values():
                values[x.index] = int(solver.value(x))
            for z in c.z.values():
                values[z.index] = int(solver.value(z))
        for p in self.pools:
            assert p.count is not None
            values[p.count.index] = int(solver.value(p.count))
            for x in p.x.values():
                values[x.index] = int(solver.value(x))
        self._derive(values)
        return values

    def _extract(self, values: Mapping[int, int]) -> list[Sess]:
        cp = self.cp
        out = list(self.ctx.kept) + list(self.ctx.fixed)
        for c in self.cands:
            assert c.active is not None
            if not values[c.active.index]:
                continue
            members = tuple(sorted(x for x, v in c.x.items() if values[v.index]))
            room = next(r for r, z in c.z.items() if values[z.index])
            out.append(Sess(c.block, c.modality, c.subject, c.skill, c.teacher, room, members))
        for p in self.pools:
            assert p.count is not None
            n = values[p.count.index]
            if n == 0:
                continue
            pooled = sorted(p.fixed + [x for x, v in p.x.items() if values[v.index]])
            groups = split_pool(
                pooled,
                n,
                int(cp.mod_min[p.modality]),
                int(cp.mod_max[p.modality]),
                int(cp.mod_target[p.modality]),
                self.prep.avoid_set,
            )
            for g in groups:
                out.append(Sess(p.block, p.modality, p.subject, -1, -1, p.room, g))
        return out


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[float, float], None]) -> None:
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.objective_value, self.best_objective_bound)
