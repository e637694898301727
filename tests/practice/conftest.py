"""The exchange team's fixtures, for practice cases on real team members' laptops."""

from tests.exchange.conftest import (  # noqa: F401 - the exchange team fixtures
    answered_env,
    stages,
)
