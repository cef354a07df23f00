"""pydantic models of the ``plsched/schedule@1`` plan format."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEDULE_FORMAT = "plsched/schedule@1"

Status = Literal["optimal", "feasible", "infeasible", "unknown", "invalid_input"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Session(_Frozen):
    """One group meeting in one block."""

    id: str = Field(min_length=1)
    block: str = Field(min_length=1)
    subject: str | None = None
    skill: str | None = None
    modality: str = Field(min_length=1)
    teacher: str | None = None
    room: str = Field(min_length=1)
    learners: tuple[str, ...] = Field(min_length=1)


class Unmet(_Frozen):
    """A goal shortfall with its cause."""

    learner: str
    subject: str | None
    modality: str
    minutes_short: int = Field(gt=0)
    reason: str


class Schedule(_Frozen):
    """A plan: sessions per block, its quality and its proof of quality."""

    format: Literal["plsched/schedule@1"] = Field(default="plsched/schedule@1")
    instance: str
    status: Status
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    gaps: dict[str, Any] = Field(
        default_factory=dict, description="Per objective level: {gap, objective, bound}."
    )
    objective_terms: dict[str, float] = Field(default_factory=dict)
    sessions: tuple[Session, ...] = ()
    unmet: tuple[Unmet, ...] = ()
    solve_seconds: float | None = None
    seed: int | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    plsched_version: str = ""
