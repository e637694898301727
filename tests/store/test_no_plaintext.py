"""Nothing a person typed reaches the disk in readable form: not the database, not its -wal or
-shm file, not any other file the store makes, whether the workspace is open or closed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hmip_desktop.store.workspace import Workspace
from tests.store.helpers import PASSPHRASE, SUPERVISION, nps_bytes

OWNER = "Ottoline Featherstonehaugh-Quist"
CASE_REF = "ZQX-7741-KESTREL"
PERSON = "Philomena Quarrington-Vasquez"
PRACTITIONER = "Barnaby Tumbleweed-Okonkwo"
PDU = "Lower Wuthering Probation Delivery Unit"
PHRASE = "the marmalade lighthouse protocol"
ALERT = "threatened to visit Aunt Gwendolyn at Sparrowhawk Lane"
SECRETS = [OWNER, CASE_REF, PERSON, PRACTITIONER, PDU, PHRASE, ALERT]


def _encodings(text: str) -> list[bytes]:
    return [text.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _leaks(folder: Path) -> dict[str, list[str]]:
    """Which secrets (in which encoding) each file under the folder contains."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits = [s for s in SECRETS for enc in _encodings(s) if enc in data]
            if hits:
                found[path.name] = hits
    return found


def _fill(ws: Workspace) -> str:
    iid = ws.create_inspection(title=f"Inspection of {PDU}", organisation=PDU,
                               framework_bytes=nps_bytes())
    ws.add_member(iid, name=PRACTITIONER, role="qa")
    cid = ws.add_case(iid, case_ref=CASE_REF, person_name=PERSON, practitioner=PRACTITIONER,
                      pdu=PDU, team=PDU, office=PDU, facts=SUPERVISION)
    fw = ws.inspection_framework(iid)
    prompts = [p for p in fw.prompts_by_id if p.startswith("2.")]
    for n, prompt in enumerate(prompts * 2):
        ws.save_item(cid, prompt, "yes" if n % 3 else "no")
    for n, kq in enumerate(fw.case_key_questions()):
        ws.save_item(cid, f"note:{kq.id}", f"{PERSON} said {PHRASE} was followed ({n}).")
    ws.save_item(cid, "record:interview_notes", f"{PRACTITIONER} described {PHRASE}.")
    ws.save_item(cid, "note:2.1.1", "")  # a cleared note, too
    ws.raise_alert(cid, what_might_happen=ALERT, how_serious=PHRASE, how_imminent=PHRASE,
                   action_asked=f"Ask {PRACTITIONER} to act.")
    return cid


def test_the_detector_finds_plain_text() -> None:
    """The same check on an unencrypted SQLite database does find the strings."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(s,) for s in SECRETS])
    image = conn.serialize()
    assert all(s.encode("utf-8") in image for s in SECRETS)


def test_no_plaintext_in_any_file_open_or_closed(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    ws = Workspace.create(folder, PASSPHRASE, owner_name=OWNER, role="lead")
    cid = _fill(ws)
    names = {p.name for p in folder.iterdir()}
    assert {"workspace.hmip", "workspace.hmip-wal", "workspace.hmip-shm"} <= names
    assert (folder / "workspace.hmip-wal").stat().st_size > 100_000  # the saves are in it
    assert _leaks(folder) == {}
    ws._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # pages written back while still open
    assert _leaks(folder) == {}
    ws.close()
    assert _leaks(folder) == {}

    with Workspace.open(folder, PASSPHRASE) as ws:  # the data is there, just not readable
        assert ws.find_case(CASE_REF).person_name == PERSON
        assert PHRASE in ws.read_assessment(cid).items["note:2.2.1"]
        ws.list_cases()  # a sort, which with temp_store=FILE could write a temporary file
        assert _leaks(folder) == {}
    assert _leaks(folder) == {}
