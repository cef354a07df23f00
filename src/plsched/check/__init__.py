"""The independent checker: lists every hard rule a plan breaks, and the plan's KPIs.

It reads an instance and a plan through the public schema only and knows nothing of any
solver. One module per hard rule (``rule1_attendance`` ... ``rule8_needs``), ``references``
for ids the instance lacks (rule 0), and ``kpis``.
"""

from plsched.check.checker import check as check
from plsched.check.kpis import KPI_NAMES as KPI_NAMES
from plsched.check.report import RULE_NAMES as RULE_NAMES
from plsched.check.report import CheckReport as CheckReport
from plsched.check.report import Violation as Violation
