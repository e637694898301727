"""The exchange tests' team (a lead, two assessors and a QA partner), for the laptop's return."""

from tests.exchange.conftest import (  # noqa: F401 - fixtures used by this folder's tests
    answered_env,
    ready_env,
    stages,
)
