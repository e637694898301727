"""A training event built once per session through the API, copied per test.

The lead sets up a training inspection with two training cases, enrols three trainees,
assesses both cases completely and marks them as the benchmark, and writes a training pack for
each trainee; each trainee imports their pack (confirming the lead's fingerprint) and answers
both cases, agreeing with the benchmark less and less (``FLIPS``), and writes a training
bundle, which the lead imports. ``event`` is a private copy of that end state; ``packed`` of
the state just after the packs were written.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hmip_desktop.exchange import contacts, service
from hmip_desktop.exchange.training_bundles import export_training
from hmip_desktop.exchange.training_packs import make_training_pack
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.events import mark_benchmark
from tests.exchange.conftest import (  # noqa: F401 - the exchange team fixtures
    FACTS,
    PASSPHRASE,
    Env,
    Team,
    _snapshot,
    answered_env,
    nps_bytes,
    stages,
)
from tests.qa.builders import build, hurdle_prompts

NAMES = {"lead": "Jules Pennyfold", "t1": "Ash Brindlecombe", "t2": "Sam Orrinwell",
         "t3": "Kit Dunmorrow"}
CASES = ("TR-1", "TR-2")
# How many of the benchmark's prompt answers and judgements each trainee answers differently,
# per case: t1 agrees on everything, t3 on least.
FLIPS = {"t1": 0, "t2": 3, "t3": 12}
TRAINEE_NOTE = "The plan names the risks but not how they are managed."


def flip(value: str) -> str:
    return "no" if value != "no" else "yes"


def flipped_items(fw: Framework, lead_items: dict[str, str],
                  n: int) -> tuple[dict[str, str], list[str]]:
    """The benchmark's answers with the first ``n`` prompt answers turned round.

    Prompts no hurdle or applicability rule reads, so the form accepts the change as is.
    """
    items = dict(lead_items)
    linked = hurdle_prompts(fw)
    keys = sorted(k for k in items if k in fw.prompts_by_id and k not in linked)[:n]
    for k in keys:
        items[k] = flip(items[k])
    return items, keys


@dataclass(frozen=True)
class Stages:
    team: Team
    packed: Path
    event: Path
    flipped: dict[str, list[str]]  # trainee → the items they answered differently (each case)


@pytest.fixture(scope="session")
def training_stages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stages]:
    base = tmp_path_factory.mktemp("training")
    work = base / "work"
    (work / "bundles").mkdir(parents=True)
    ws = {who: Workspace.create(work / who, PASSPHRASE, owner_name=NAMES[who],
                                role="lead" if who == "lead" else "assessor")
          for who in NAMES}
    try:
        lead = ws["lead"]
        iid = contacts.set_up_inspection(lead, title="Training: Demo Shire", training=True,
                                         organisation="Demo Shire NPS Division",
                                         framework_bytes=nps_bytes())
        member_ids = {"lead": contacts.my_member(lead, iid)["id"]}
        for who in ("t1", "t2", "t3"):
            member_ids[who] = contacts.enrol_member(
                lead, iid, contacts.my_card(ws[who]), ws[who].identity.public.fingerprint,
                role="assessor", office="Northgate office")
        fw = lead.inspection_framework(iid)
        case_ids = {}
        bench: dict[str, dict[str, str]] = {}
        for n, ref in enumerate(CASES):
            case_ids[ref] = lead.add_case(iid, case_ref=ref, facts=FACTS)
            bench[ref] = dict(build(fw, FACTS, random.Random(n)).items)
            for item, value in bench[ref].items():
                lead.save_item(case_ids[ref], item, value)
            lead.mark_complete(case_ids[ref])
        mark_benchmark(lead, iid)
        for who in ("t1", "t2", "t3"):
            make_training_pack(lead, iid, member_ids[who],
                               work / "bundles" / f"{who}.hmiptrainingpack")
        team = Team(iid, member_ids, case_ids, {who: w.identity for who, w in ws.items()})
        packed = base / "packed"
        _snapshot(ws, work, packed)

        flipped: dict[str, list[str]] = {}
        for who in ("t1", "t2", "t3"):
            service.import_file(ws[who], work / "bundles" / f"{who}.hmiptrainingpack",
                                lead_fingerprint=team.fingerprint("lead"))
            for ref in CASES:
                items, flipped[who] = flipped_items(fw, bench[ref], FLIPS[who])
                for item, value in items.items():
                    own_note = who == "t3" and item.startswith("note:")
                    ws[who].save_item(case_ids[ref], item, TRAINEE_NOTE if own_note else value)
            export_training(ws[who], iid, work / "bundles" / f"{who}.hmiptraining")
            service.import_file(lead, work / "bundles" / f"{who}.hmiptraining")
        event = base / "event"
        _snapshot(ws, work, event)
    finally:
        for w in ws.values():
            w.close()
    yield Stages(team, packed, event, flipped)


def _env(source: Path, team: Team, tmp_path: Path) -> Iterator[Env]:
    root = tmp_path / "env"
    shutil.copytree(source, root)
    env = Env(root, team)
    yield env
    env.close()


@pytest.fixture
def event(training_stages: Stages, tmp_path: Path) -> Iterator[Env]:
    yield from _env(training_stages.event, training_stages.team, tmp_path)


@pytest.fixture
def packed(training_stages: Stages, tmp_path: Path) -> Iterator[Env]:
    yield from _env(training_stages.packed, training_stages.team, tmp_path)
