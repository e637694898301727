"""The exchange tests' team (a lead, two assessors, a QA partner), for the deputy lead's tests."""

from tests.exchange.conftest import answered_env, ready_env, stages  # noqa: F401 - fixtures
