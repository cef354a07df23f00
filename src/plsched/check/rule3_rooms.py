"""Rule 3: a room hosts at most ``zones`` sessions per block, at most ``capacity`` learners
across them, only when available, and has every feature its sessions' modality and subject
ask for."""

from __future__ import annotations

from plsched.check.index import PlanIndex
from plsched.check.report import Violation, violation
from plsched.schema.instance import Room

__all__ = ["violations"]


def _occupancy(room: Room, block: str, sids: list[str], learners: int) -> list[Violation]:
    """Availability, zones and capacity of one room in one block."""
    found: list[Violation] = []
    if block in room.unavailable:
        found += [
            violation(
                3, f"room {room.id!r} is unavailable in block {block!r} but hosts session {sid!r}."
            )
            for sid in sids
        ]
    if len(sids) > room.zones:
        names = ", ".join(repr(sid) for sid in sids)
        found.append(
            violation(
                3,
                f"room {room.id!r} has {room.zones} zone(s) but hosts {len(sids)} sessions "
                f"({names}) in block {block!r}.",
            )
        )
    if learners > room.capacity:
        found.append(
            violation(
                3,
                f"room {room.id!r} holds {room.capacity} learners but hosts {learners} in block "
                f"{block!r}.",
            )
        )
    return found


def violations(index: PlanIndex) -> list[Violation]:
    found: list[Violation] = []
    for block, sessions in index.sessions_by_block().items():
        by_room: dict[str, list[str]] = {}
        learners: dict[str, int] = {}
        for s in sessions:
            if s.room in index.rooms:
                by_room.setdefault(s.room, []).append(s.id)
                learners[s.room] = learners.get(s.room, 0) + index.size(s)
        for rid, sids in by_room.items():
            found += _occupancy(index.rooms[rid], block, sids, learners[rid])
    for s in index.sessions:
        room = index.rooms.get(s.room)
        if room is None:
            continue
        wanted: set[str] = set()
        modality = index.modalities.get(s.modality)
        if modality is not None:
            wanted |= set(modality.room_features)
        subject = index.subjects.get(s.subject) if s.subject is not None else None
        if subject is not None:
            wanted |= set(subject.room_features)
        missing = wanted - set(room.features)
        if missing:
            names = ", ".join(repr(f) for f in sorted(missing))
            found.append(
                violation(
                    3, f"room {room.id!r} lacks feature(s) {names} that session {s.id!r} needs."
                )
            )
    return found
