"""Linear expressions the model can also evaluate outside CP-SAT (hints, accepted moves).

An objective piece is ``weight × f(expr)`` with f the identity, max(0, ·) or |·|. Keeping the
pieces lets the LNS loop compute a window's exact objective for the current plan and for the
solver's answer, with no second model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

LIN, POS, ABS = 0, 1, 2


@dataclass
class Lin:
    """Σ coef × var + const over CP-SAT variables (by index)."""

    vars: list[cp_model.IntVar] = field(default_factory=list)
    coefs: list[int] = field(default_factory=list)
    const: int = 0

    def add(self, var: cp_model.IntVar, coef: int = 1) -> None:
        self.vars.append(var)
        self.coefs.append(coef)

    def expr(self) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum(self.vars, self.coefs) + self.const

    def value(self, values: Mapping[int, int]) -> int:
        return self.const + sum(
            c * values[v.index] for v, c in zip(self.vars, self.coefs, strict=True)
        )


@dataclass
class Piece:
    term: str
    weight: int
    kind: int
    lin: Lin
    aux: cp_model.IntVar | None = None

    def value(self, values: Mapping[int, int]) -> int:
        v = self.lin.value(values)
        if self.kind == POS:
            return max(0, v)
        if self.kind == ABS:
            return abs(v)
        return v
