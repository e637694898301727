"""The exchange tests' team (a lead, two assessors, a QA partner, bundles made once)."""

from tests.exchange.conftest import answered_env, stages  # noqa: F401
