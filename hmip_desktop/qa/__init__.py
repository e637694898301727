"""Quality assurance: checks on assessment forms for the supporting inspector (000_ §3.10)."""

from hmip_desktop.qa.checks import (
    CHECKS,
    CHECKS_BY_NAME,
    AlertState,
    CaseForQa,
    Check,
    Finding,
    Severity,
    run_checks,
    run_checks_many,
)

__all__ = [
    "CHECKS",
    "CHECKS_BY_NAME",
    "AlertState",
    "CaseForQa",
    "Check",
    "Finding",
    "Severity",
    "run_checks",
    "run_checks_many",
]
