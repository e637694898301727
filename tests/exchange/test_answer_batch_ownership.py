"""``answer --from`` on a case this workspace does not own: the whole file refused, one line."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.assessment.batch import BatchRefused, apply_batch
from hmip_desktop.exchange import service
from tests.exchange.conftest import NAMES, Env, assert_one_line, digests


def test_a_batch_naming_someone_elses_case_saves_nothing(answered_env: Env) -> None:
    env = answered_env
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))  # the lead now holds Robin's cases
    lines = [{"case": "RT-101", "item": "note:2.1.1", "value": "The lead's own words."}]
    text = "".join(json.dumps(line) + "\n" for line in lines)
    before = lead.read_assessment("RT-101").items
    env.close("lead")
    folder_before = digests(env.folder("lead"))
    lead = env.ws("lead")
    with pytest.raises(BatchRefused) as e:
        apply_batch(lead, text)
    assert_one_line(e.value)
    assert str(e.value).startswith("nothing saved: line 1: refused: case RT-101 belongs to "
                                   f"{NAMES['a1']}")
    assert lead.read_assessment("RT-101").items == before
    env.close("lead")
    assert digests(env.folder("lead")) == folder_before
