"""Rule 5: in a same_skill session every learner is ready for its skill.

Enforced by the domain: a learner gets a membership variable only for skills they are ready
for (or, as policy allows, review a mastered skill or stretch one step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from plsched.solvers.cpsat.candidates import Prepared


def ready_mask(prep: Prepared, skill: int, learners: np.ndarray) -> np.ndarray:
    """Which of ``learners`` may sit in a same_skill session on ``skill``."""
    mask: np.ndarray = prep.allowed[learners, skill]
    return mask
