"""pydantic models of the ``plsched/instance@1`` format (field names are the public contract)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

INSTANCE_FORMAT = "plsched/instance@1"

Id = Annotated[
    str, Field(min_length=1, description="A non-empty identifier, unique within its kind.")
]
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Block(_Frozen):
    """One time block of the grid."""

    id: Id
    day: str = Field(min_length=1, description="Day label, e.g. 'mon'; blocks of one day share it.")
    start: str = Field(description="Start time as HH:MM (24 h).")
    minutes: int = Field(gt=0, description="Length of the block in minutes.")

    @field_validator("start")
    @classmethod
    def _time_exists(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"start time {value!r} is not a time of day as HH:MM")
        return value


class Skill(_Frozen):
    """A competency of a model: a node of its prerequisite DAG."""

    id: Id
    label: str = Field(default="", description="Short human label (a code or our own words).")
    level: float = Field(ge=0, le=20, description="Grade-like level, K = 0.")
    prerequisites: tuple[str, ...] = Field(default=(), description="Ids of prerequisite skills.")


class CompetencyModel(_Frozen):
    """A prerequisite graph of skills for one subject."""

    id: Id
    subject: str = Field(min_length=1, description="Subject this model describes.")
    skills: tuple[Skill, ...] = Field(min_length=1, description="The skills (a DAG).")
    source: str = Field(default="", description="Where the skills and edges come from.")
    added_edges: tuple[tuple[str, str], ...] = Field(
        default=(),
        description="Prerequisite edges (prerequisite, skill) plsched added to the source.",
    )


class Subject(_Frozen):
    id: Id
    model: str = Field(min_length=1, description="Id of the competency model of this subject.")
    room_features: tuple[str, ...] = Field(
        default=(), description="Features every room hosting this subject must have."
    )


class Modality(_Frozen):
    """A kind of session: small group, workshop, independent work, conference, community."""

    id: Id
    teacher_required: bool = Field(description="Whether a teacher leads every such session.")
    min_size: int = Field(ge=1, description="Fewest learners in a session.")
    max_size: int = Field(ge=1, description="Most learners in a session.")
    target_size: int = Field(ge=1, description="Preferred size; distance to it costs.")
    skill_focus: bool = Field(description="Whether a session works on one skill of its subject.")
    mix: Literal["same_skill", "diverse", "any"] = Field(
        description="same_skill: every member ready for the skill; diverse: mixed ages wanted."
    )
    room_features: tuple[str, ...] = Field(
        default=(), description="Features every room hosting this modality must have."
    )


class Room(_Frozen):
    id: Id
    capacity: int = Field(ge=1, description="Most learners in the room per block, all zones.")
    features: tuple[str, ...] = Field(default=(), description="Features, e.g. 'lab', 'quiet'.")
    zones: int = Field(default=1, ge=1, description="Most sessions the room hosts per block.")
    unavailable: tuple[str, ...] = Field(default=(), description="Block ids it is closed.")


class Qualification(_Frozen):
    subject: str = Field(min_length=1)
    min_level: float = Field(ge=0)
    max_level: float = Field(ge=0)


class Teacher(_Frozen):
    id: Id
    name: str = ""
    qualifications: tuple[Qualification, ...] = ()
    modalities: tuple[str, ...] = Field(default=(), description="Modality ids they lead.")
    tags: tuple[str, ...] = Field(default=(), description="Tags, e.g. 'ell', 'sped'.")
    unavailable: tuple[str, ...] = Field(default=(), description="Block ids they are away.")
    max_sessions_per_day: int = Field(ge=0)
    max_sessions_per_week: int = Field(ge=0)


class Goal(_Frozen):
    subject: str | None = Field(description="Subject id, or null for a modality without one.")
    modality: str = Field(min_length=1)
    minutes_per_week: int = Field(gt=0)
    focus: tuple[str, ...] = Field(default=(), description="Skills the learner chose as goals.")


class Needs(_Frozen):
    teacher: tuple[str, ...] = Field(default=(), description="Tags the teacher must carry.")
    room: tuple[str, ...] = Field(default=(), description="Features the room must have.")


class Learner(_Frozen):
    id: Id
    age: int = Field(ge=2, le=25)
    band: str = Field(min_length=1, description="Age band, e.g. 'K-2'.")
    mastery: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Mastered skill ids per subject."
    )
    goals: tuple[Goal, ...] = ()
    unavailable: tuple[str, ...] = ()
    max_group_size: int | None = Field(default=None, ge=1)
    needs: Needs = Field(default_factory=Needs)
    avoid: tuple[str, ...] = Field(default=(), description="Learners never in a session with.")


class Weights(_Frozen):
    """Weights of the soft objective (per raw unit of each term; see docs/objective.md)."""

    goal_shortfall: float = Field(default=10.0, ge=0, description="Per goal minute short.")
    off_focus: float = Field(default=0.2, ge=0, description="Per teacher-led minute off focus.")
    group_size: float = Field(default=2.0, ge=0, description="Per learner away from target.")
    continuity: float = Field(default=20.0, ge=0, description="Per extra teacher in a subject.")
    variety: float = Field(default=20.0, ge=0, description="Per block of a subject over the cap.")
    age_mix: float = Field(default=5.0, ge=0, description="Per learner over a band's share.")
    load_balance: float = Field(default=10.0, ge=0, description="Per session over fair load.")
    stability: float = Field(default=5.0, ge=0, description="Per learner-block changed.")
    review: float = Field(default=30.0, ge=0, description="Per learner-block on a mastered skill.")
    stretch: float = Field(default=20.0, ge=0, description="Per learner-block on a stretch skill.")


class Policy(_Frozen):
    allow_review: bool = Field(default=False, description="Mastered skills allowed, at a cost.")
    allow_stretch: bool = Field(default=False, description="One-step stretch allowed, at a cost.")
    strict_goals: bool = Field(default=False, description="Goals become hard constraints.")
    daily_subject_cap: int = Field(default=2, ge=1, description="Blocks of a subject per day.")
    weights: Weights = Field(default_factory=Weights)


class Instance(_Frozen):
    """A whole school's planning problem."""

    format: Literal["plsched/instance@1"] = Field(description="Format tag.")
    name: str = Field(min_length=1)
    blocks: tuple[Block, ...] = Field(min_length=1)
    competency_models: tuple[CompetencyModel, ...] = ()
    subjects: tuple[Subject, ...] = ()
    modalities: tuple[Modality, ...] = Field(min_length=1)
    rooms: tuple[Room, ...] = Field(min_length=1)
    teachers: tuple[Teacher, ...] = ()
    learners: tuple[Learner, ...] = ()
    policy: Policy = Field(default_factory=Policy)
