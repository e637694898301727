"""One lead workspace per module (creating one derives a key, which takes a moment)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import lead_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    w = lead_workspace(tmp_path_factory.mktemp("lead") / "ws")
    yield w
    w.close()


# The exchange tests' team (a lead, two assessors, a QA partner, bundles made once).
from tests.exchange.conftest import answered_env, stages  # noqa: E402, F401
