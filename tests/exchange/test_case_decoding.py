"""A large bundle's cases are decoded one at a time, a small one's at once: the same checks.

The lead's import keeps the history of a small bundle's cases as rows and decodes a large
bundle's cases again when storing them (``DECODE_AT_ONCE_BYTES``). Each way, the history
received is stored as it arrived: the next bundle must continue it, and a rewrite is refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.exchange import assessments, service
from tests.exchange.conftest import Env
from tests.exchange.helpers import sequence_of
from tests.exchange.test_forged_cases import (
    altered,
    bundle_two,
    dropped,
    first_case,
    forged,
    refused,
)


@pytest.fixture(params=["at once", "one at a time"])
def decoding(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "one at a time":  # as for a bundle of hundreds of cases
        monkeypatch.setattr(assessments, "DECODE_AT_ONCE_BYTES", 0)
    return str(request.param)


@pytest.mark.parametrize("rewrite", [dropped, altered], ids=["dropped", "altered"])
def test_the_history_received_is_stored_as_it_arrived(answered_env: Env, decoding: str,
                                                      rewrite: Any) -> None:
    env = answered_env
    cid, ref = first_case(env)
    report = service.import_file(env.ws("lead"), env.bundle("a1-1.hmipb"))
    assert ref in {r for r, _rev in report.applied}
    honest = bundle_two(env)
    original = honest.read_bytes()

    error = refused(env, "lead", forged(env, original, cid, rewrite,
                                        sequence=sequence_of(original)))

    assert ref in str(error) and "history" in str(error)
    report = service.import_file(env.ws("lead"), honest)
    assert ref in {r for r, _rev in report.applied}
    assert env.ws("lead").verify_history(cid)
