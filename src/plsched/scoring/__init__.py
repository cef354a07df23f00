"""The NumPy scoring layer: every term of docs/objective.md recomputed from a plan alone.

``score(instance, plan, previous)`` returns raw terms, integer-scaled terms and the total; the
CP-SAT solver computes the same integers. ``Scorer(instance, previous)`` compiles an instance
(and a previous plan) once to score many plans.

Readings of the spec chosen here, where it is silent:

- Weights: ``round(weight × SCALE)`` is taken on the weight's shortest decimal form (``0.2``
  gives 20 with no warning), rounded half to even.
- A session's learners are a set: a learner listed twice in one session counts once.
- ``continuity`` counts the sessions that name a teacher ("teacher-led").
- ``stretch`` follows the table: a same_skill learner on a skill neither mastered nor ready
  counts, also when it is more than one step away (a hard-rule break anyway). A session skill
  that is not a skill of the session's subject (hard rule 7) is never mastered nor ready, so it
  counts as a stretch.
- ``stability``: see :mod:`plsched.scoring.stability` (sets of keys for broken plans; the
  previous plan's vanished learners and blocks are skipped).
- The overflow warning fires when the exact scaled total passes 2**62.
"""

from plsched.scoring.fair import fair_loads as fair_loads
from plsched.scoring.score import Score as Score
from plsched.scoring.score import Scorer as Scorer
from plsched.scoring.score import goal_shortfalls as goal_shortfalls
from plsched.scoring.score import score as score
from plsched.scoring.weights import SCALE as SCALE
from plsched.scoring.weights import TERMS as TERMS
from plsched.scoring.weights import scaled_weights as scaled_weights

__all__ = [
    "SCALE",
    "TERMS",
    "Score",
    "Scorer",
    "fair_loads",
    "goal_shortfalls",
    "scaled_weights",
    "score",
]
