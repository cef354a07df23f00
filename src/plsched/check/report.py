"""The checker's result: every broken hard rule, and the plan's domain KPIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["RULE_NAMES", "CheckReport", "Violation"]

#: Short name of each rule number; 0 is a plan that names something the instance lacks.
RULE_NAMES: dict[int, str] = {
    0: "reference",
    1: "attendance",
    2: "teachers",
    3: "rooms",
    4: "sizes",
    5: "readiness",
    6: "avoid",
    7: "session kinds",
    8: "needs",
}


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, as one sentence naming the ids involved."""

    rule: int
    message: str

    def __post_init__(self) -> None:
        if self.rule not in RULE_NAMES:
            raise ValueError(f"Rule {self.rule} is not a hard rule (0-8).")

    @property
    def name(self) -> str:
        """Short name of the rule, e.g. ``"avoid"``."""
        return RULE_NAMES[self.rule]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "name": self.name, "message": self.message}


@dataclass(frozen=True)
class CheckReport:
    """Every violation found, in rule order, and the KPIs of the plan."""

    violations: tuple[Violation, ...]
    kpis: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the plan breaks no hard rule."""
        return not self.violations

    @property
    def rules_broken(self) -> tuple[int, ...]:
        """The distinct rule numbers broken, ascending."""
        return tuple(sorted({v.rule for v in self.violations}))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``ok``, ``violations`` and ``kpis``."""
        return {
            "ok": self.ok,
            "rules_broken": list(self.rules_broken),
            "violations": [v.to_dict() for v in self.violations],
            "kpis": dict(self.kpis),
        }


def violation(rule: int, text: str) -> Violation:
    """A violation whose message is ``"rule N: text"`` (``"reference: text"`` for rule 0)."""
    prefix = "reference" if rule == 0 else f"rule {rule}"
    return Violation(rule, f"{prefix}: {text}")
