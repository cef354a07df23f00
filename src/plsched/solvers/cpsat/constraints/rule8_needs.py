"""Rule 8: in a teacher-led session, size within every member's max_group_size, the teacher
carries every tag a member needs, the room every feature a member needs.

Tags are a domain filter; group-size limits and room needs are constraints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from plsched.compiled import CompiledProblem

if TYPE_CHECKING:
    from plsched.solvers.cpsat.model import WindowModel


def teacher_tags_ok(cp: CompiledProblem, teacher: int, learners: np.ndarray) -> np.ndarray:
    needs = cp.learner_need_tags[learners]
    ok: np.ndarray = (needs & ~cp.teacher_tags[teacher]) == 0
    return ok


def group_size_ok(cp: CompiledProblem, modality: int, learners: np.ndarray) -> np.ndarray:
    ok: np.ndarray = cp.learner_max_group[learners] >= cp.mod_min[modality]
    return ok


def add(wm: WindowModel) -> None:
    cp, model = wm.cp, wm.model
    for c in wm.cands:
        size = sum(c.x.values())
        hi = int(cp.mod_max[c.modality])
        for learner, x in c.x.items():
            limit = int(cp.learner_max_group[learner])
            if limit < hi:
                model.add(size <= limit).only_enforce_if(x)
            need = int(cp.learner_need_features[learner])
            if need:
                ok = [z for r, z in c.z.items() if (int(cp.room_features[r]) & need) == need]
                model.add(x <= sum(ok))
