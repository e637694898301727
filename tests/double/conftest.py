"""A double-assessed case at the lead, built from the exchange tests' ``ready`` stage.

The lead marks RT-101 (allocated to a1) for a second assessment by a2 and sends a2 a new pack;
a1 and a2 each assess it completely and independently (a2 answering ``FLIPS`` prompts
differently) and send their bundles, which the lead imports.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from hmip_desktop.double.records import assign_second
from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.second_bundles import export_second
from tests.exchange.conftest import (  # noqa: F401 - the exchange team fixtures
    FACTS,
    Env,
    ready_env,
    stages,
)
from tests.qa.builders import build
from tests.training.conftest import flipped_items

CASE = "RT-101"
FLIPS = 4


@dataclass
class Double:
    env: Env
    first: dict[str, str]
    second: dict[str, str]
    flipped: list[str]


def send_pack(env: Env, who: str) -> None:
    path = env.bundle(f"{who}-again.hmippack")
    packs.make_pack(env.ws("lead"), env.team.iid, env.team.member_ids[who], path)
    service.import_file(env.ws(who), path)


def assess(env: Env, who: str, items: dict[str, str]) -> None:
    cid = env.team.case_ids[CASE]
    for item, value in items.items():
        env.ws(who).save_item(cid, item, value)
    env.ws(who).mark_complete(cid)


@pytest.fixture
def marked(ready_env: Env) -> Iterator[Env]:  # noqa: F811
    assign_second(ready_env.ws("lead"), ready_env.team.iid, CASE,
                  ready_env.team.member_ids["a2"], "observation")
    send_pack(ready_env, "a2")
    yield ready_env


@pytest.fixture
def assessed(marked: Env) -> Iterator[Double]:
    env = marked
    fw = env.ws("lead").inspection_framework(env.team.iid)
    first = dict(build(fw, FACTS, random.Random(7)).items)
    second, flipped = flipped_items(fw, first, FLIPS)
    assess(env, "a1", first)
    assess(env, "a2", second)
    export_assessments(env.ws("a1"), env.team.iid, env.bundle("a1-2.hmipb"))
    export_second(env.ws("a2"), env.team.iid, env.bundle("a2.hmipsecond"))
    service.import_file(env.ws("lead"), env.bundle("a1-2.hmipb"))
    service.import_file(env.ws("lead"), env.bundle("a2.hmipsecond"))
    yield Double(env, first, second, flipped)
