"""A lead, two assessors and a QA partner, set up once through the API and copied per test.

Three stages are built once per session, each a folder of closed workspaces plus the bundle
files made so far:

- ``setup``: the lead has created the inspection, enrolled everyone by fingerprint, paired both
  assessors with the QA inspector, added and assigned cases, and written the three packs;
- ``ready``: as ``setup``, with every pack imported (each member confirmed the lead's
  fingerprint);
- ``answered``: as ``ready``, with both assessors' answers (and one alert) saved and exported as
  bundle 1 each (``a1-1.hmipb``, ``a2-1.hmipb``), imported nowhere yet.

A test takes a private copy with the ``setup_env``, ``ready_env`` or ``answered_env`` fixture.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hmip_desktop.exchange import contacts, packs, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.identity import PrivateIdentity
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace

PASSPHRASE = "exchange tests passphrase, invented"
NAMES = {"lead": "Jules Pennyfold", "a1": "Robin Quillfeather", "a2": "Casey Marrowby",
         "qa": "Morgan Thistlecombe"}
ROLES = {"lead": "lead", "a1": "assessor", "a2": "assessor", "qa": "qa"}
OFFICES = {"a1": "Northgate office", "a2": "Riverside office", "qa": ""}
FACTS = {"sample": "supervision", "gender": "female", "sentence_type": "community",
         "rosh": "high"}
# case reference → who it is assigned to (None: nobody)
CASES: dict[str, str | None] = {"RT-101": "a1", "RT-102": "a1", "RT-201": "a2",
                                "RT-202": "a2", "RT-301": "qa", "RT-401": None}
ANSWERS = {"record:interview_mode": "in_person", "2.1.1.a": "yes", "2.1.1.b": "no",
           "2.1.1": "yes", "note:2.1.1": "The assessment engaged the person well."}


def nps_bytes() -> bytes:
    return resource("frameworks", "nps-2019-20.json").read_bytes()


@dataclass(frozen=True)
class Team:
    """What every copy of a stage shares: ids, keys and fingerprints (copies are identical)."""

    iid: str
    member_ids: dict[str, str]  # a1, a2, qa, lead → member id
    case_ids: dict[str, str]  # case reference → case id
    identities: dict[str, PrivateIdentity]

    def cases_of(self, who: str) -> list[str]:
        return [self.case_ids[ref] for ref, owner in CASES.items() if owner == who]

    def fingerprint(self, who: str) -> str:
        return self.identities[who].public.fingerprint

    def key_id(self, who: str) -> bytes:
        return self.identities[who].public.key_id


@dataclass
class Env:
    """A private copy of a stage: workspace folders, bundle files, and opened workspaces."""

    root: Path
    team: Team
    _open: dict[str, Workspace] = field(default_factory=dict)

    def folder(self, who: str) -> Path:
        return self.root / who

    def bundle(self, name: str) -> Path:
        return self.root / "bundles" / name

    def ws(self, who: str) -> Workspace:
        """The workspace, opened on first use and kept open until ``close`` or the test ends."""
        if who not in self._open:
            self._open[who] = Workspace.open(self.folder(who), PASSPHRASE)
        return self._open[who]

    def close(self, who: str | None = None) -> None:
        for name in [who] if who else list(self._open):
            ws = self._open.pop(name, None)
            if ws is not None:
                ws.close()


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` by relative path (close its workspace first)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line(error: BaseException) -> None:
    message = str(error)
    assert message.strip(), "empty message"
    assert "\n" not in message and "\r" not in message, message


def count(ws: Workspace, table: str) -> int:
    return int(ws._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _snapshot(workspaces: dict[str, Workspace], source: Path, dest: Path) -> None:
    """Copy each workspace's database (checkpointed: the file alone is the whole workspace)."""
    for who, ws in workspaces.items():
        ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (dest / who).mkdir(parents=True)
        for name in (DB_NAME, KEY_FILE_NAME):
            shutil.copy2(source / who / name, dest / who / name)
    shutil.copytree(source / "bundles", dest / "bundles")


@dataclass(frozen=True)
class Stages:
    team: Team
    setup: Path
    ready: Path
    answered: Path


@pytest.fixture(scope="session")
def stages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stages]:
    base = tmp_path_factory.mktemp("exchange")
    work = base / "work"
    (work / "bundles").mkdir(parents=True)
    ws = {who: Workspace.create(work / who, PASSPHRASE, owner_name=NAMES[who], role=ROLES[who])
          for who in NAMES}
    try:
        lead = ws["lead"]
        iid = contacts.set_up_inspection(lead, title="Demo Shire NPS division",
                                         organisation="Demo Shire NPS Division",
                                         framework_bytes=nps_bytes(),
                                         fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
        member_ids = {"lead": contacts.my_member(lead, iid)["id"]}
        for who in ("a1", "a2", "qa"):
            card = contacts.my_card(ws[who])
            member_ids[who] = contacts.enrol_member(
                lead, iid, card, ws[who].identity.public.fingerprint, role=ws[who].owner_role,
                office=OFFICES[who])
        for who in ("a1", "a2"):
            contacts.set_qa_partner(lead, member_ids[who], member_ids["qa"])
        case_ids = {}
        for n, (ref, owner) in enumerate(CASES.items()):
            case_ids[ref] = lead.add_case(iid, case_ref=ref, facts=FACTS, office="Eastfield",
                                          practitioner=f"Practitioner {n}")
            if owner is not None:
                lead.assign(case_ids[ref], member_ids[owner],
                            interview_at=f"2026-11-24T{9 + n:02d}:30", interview_minutes=60)
        for who in ("a1", "a2", "qa"):
            packs.make_pack(lead, iid, member_ids[who], work / "bundles" / f"{who}.hmippack")
        team = Team(iid, member_ids, case_ids,
                    {who: w.identity for who, w in ws.items()})
        setup = base / "setup"
        _snapshot(ws, work, setup)

        fp = team.fingerprint("lead")
        for who in ("a1", "a2", "qa"):
            service.import_file(ws[who], work / "bundles" / f"{who}.hmippack",
                                lead_fingerprint=fp)
        ready = base / "ready"
        _snapshot(ws, work, ready)

        for who in ("a1", "a2"):
            for cid in team.cases_of(who):
                for item, value in ANSWERS.items():
                    ws[who].save_item(cid, item, value)
        ws["a1"].raise_alert(team.cases_of("a1")[0], what_might_happen="Harm to a child",
                             how_serious="Serious", how_imminent="Within days",
                             action_asked="Tell the practitioner's manager today")
        for who in ("a1", "a2"):
            export_assessments(ws[who], iid, work / "bundles" / f"{who}-1.hmipb")
        answered = base / "answered"
        _snapshot(ws, work, answered)
    finally:
        for w in ws.values():
            w.close()
    yield Stages(team, setup, ready, answered)


def _env(source: Path, team: Team, tmp_path: Path) -> Iterator[Env]:
    root = tmp_path / "env"
    shutil.copytree(source, root)
    env = Env(root, team)
    yield env
    env.close()


@pytest.fixture
def setup_env(stages: Stages, tmp_path: Path) -> Iterator[Env]:
    yield from _env(stages.setup, stages.team, tmp_path)


@pytest.fixture
def ready_env(stages: Stages, tmp_path: Path) -> Iterator[Env]:
    yield from _env(stages.ready, stages.team, tmp_path)


@pytest.fixture
def answered_env(stages: Stages, tmp_path: Path) -> Iterator[Env]:
    yield from _env(stages.answered, stages.team, tmp_path)


def without_ownership(ws: Workspace) -> Workspace:
    """Let ``ws`` change cases it does not own, as an app from before one owner per case did.

    Two writers' versions of one case can still meet at the lead that way (or through a bug, or
    a database edited by hand): the conflict tests need such a divergence to detect.
    """
    ws._check_owner = lambda _case_id: None  # type: ignore[method-assign]
    return ws
