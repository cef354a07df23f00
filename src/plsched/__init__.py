"""plsched: schedules for personalized-learning schools, with a proven bound."""

from plsched._version import __version__ as __version__
from plsched.compiled import compile_problem as compile_problem
from plsched.errors import InputError as InputError
from plsched.io import load_instance as load_instance
from plsched.io import load_schedule as load_schedule
from plsched.io import parse_instance as parse_instance
from plsched.schema import Instance as Instance
from plsched.schema import Schedule as Schedule
from plsched.scoring import score as score
from plsched.solving import Progress as Progress
from plsched.solving import Result as Result
from plsched.solving import SolveOptions as SolveOptions
from plsched.solving import solve as solve
