"""The QA checks ("Check my cases") run on practice cases, so the assessor learns the rules.

The same pure functions as for a real case (``qa.checks.run_checks``); a practice case has no
alerts and no queries, and counts as complete once every item a complete form needs is
answered, so the checks that look at a completed form run too.
"""

from __future__ import annotations

from hmip_desktop.assessment.completeness import completeness
from hmip_desktop.practice.cases import PracticeCase
from hmip_desktop.qa.checks import CaseForQa, Finding, run_checks


def practice_status(case: PracticeCase) -> str:
    """``complete`` when nothing a complete form needs is missing, else ``in_progress``."""
    done = completeness(case.framework, case.facts, case.items)
    return "complete" if done.complete else "in_progress"


def practice_findings(case: PracticeCase) -> list[Finding]:
    """Every QA finding on one practice case."""
    return run_checks(CaseForQa(framework=case.framework, case_id=case.id,
                                case_ref=case.case_ref, facts=case.facts, items=case.items,
                                status=practice_status(case)))
