"""The exchange tests' team (a lead, two assessors, a QA partner) for the CLI's own tests."""

from tests.exchange.conftest import (  # noqa: F401 - fixtures
    answered_env,
    ready_env,
    setup_env,
    stages,
)
