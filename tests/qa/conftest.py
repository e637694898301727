"""A QA partner's workspace with one assessor's cases, built once and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace
from tests.exchange.conftest import answered_env, stages  # noqa: F401 - the exchange's team
from tests.qa.builders import build, facts_for

PASSPHRASE = "qa-queries-otter-lantern-17"
QA_NAME = "Morgan Thistlecombe"
ASSESSOR = "Robin Quillfeather"


@dataclass(frozen=True)
class QaCases:
    """``clean``: complete, no finding; ``faulty``: complete with a must-fix finding;
    ``started``: in progress. All three are the assessor's."""

    folder: Path
    iid: str
    clean: str
    faulty: str
    started: str


def build_qa_workspace(folder: Path) -> QaCases:
    with Workspace.create(folder, PASSPHRASE, owner_name=QA_NAME, role="qa") as ws:
        iid = ws.create_inspection(
            title="QA inspection", organisation="Demo division",
            framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes())
        fw = ws.inspection_framework(iid)
        facts = facts_for(fw, sample="supervision", sentence_type="community", rosh="high")
        robin = ws.add_member(iid, name=ASSESSOR, role="assessor")
        ws.add_member(iid, name=QA_NAME, role="qa")
        clean, faulty, started = (ws.add_case(iid, case_ref=ref, facts=facts)
                                  for ref in ("QA-1", "QA-2", "QA-3"))
        for cid in (clean, faulty, started):
            ws.assign(cid, robin)
        good = build(fw, facts).items
        for cid in (clean, faulty):
            for k, v in good.items():
                ws.save_item(cid, k, v)
        ws.save_item(faulty, "note:2.1.3", "")
        ws.save_item(faulty, "2.1.3.d", "no")  # a hurdle makes 2.1.3 'no': the note is too short
        ws.set_status(clean, "complete")
        ws.set_status(faulty, "complete")
        ws.save_item(started, "2.1.1.a", "yes")
        ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return QaCases(folder, iid, clean, faulty, started)


@pytest.fixture(scope="session")
def qa_base(tmp_path_factory: pytest.TempPathFactory) -> QaCases:
    return build_qa_workspace(tmp_path_factory.mktemp("qa-base") / "ws")


@pytest.fixture
def qa_cases(qa_base: QaCases, tmp_path: Path) -> QaCases:
    folder = tmp_path / "ws"
    folder.mkdir()
    for name in (DB_NAME, KEY_FILE_NAME):
        shutil.copy2(qa_base.folder / name, folder / name)
    return QaCases(folder, qa_base.iid, qa_base.clean, qa_base.faulty, qa_base.started)


@pytest.fixture
def qa_ws(qa_cases: QaCases) -> Iterator[Workspace]:
    with Workspace.open(qa_cases.folder, PASSPHRASE) as ws:
        yield ws
