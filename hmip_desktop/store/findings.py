"""The lead's findings and the evidence in advance as stored (schema version 11).

Tables ``findings``, ``evidence_documents``, ``evidence_copies`` and ``evidence_narratives``.
Values arrive checked (``hmip_desktop.findings.service``); every write here is one transaction
with its audit row in the workspace's own chain (``case_id`` NULL, ``item``
``inspection:<id>/finding:<n>``, ``…/document:<n>`` or ``…/narrative:<key question>``; ``old``
and ``new`` the row as JSON, or NULL where there was none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class Finding:
    number: int
    item: str
    """A key question or a prompt of the inspection's framework."""
    kind: str
    """``strength`` or ``improvement``."""
    text: str
    documents: tuple[int, ...]
    """Numbers of the register's documents it rests on."""
    meetings: tuple[str, ...]
    cases: tuple[str, ...]
    """What the case data showed, in the lead's words."""
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class Document:
    number: int
    title: str
    dated: str
    items: tuple[str, ...]
    note: str
    location: str
    """Where the document is kept, when it is referenced; may be empty."""
    stored_name: str | None
    """The file name of the copy stored in the workspace; None when only referenced."""
    stored_size: int | None
    stored_sha256: str | None
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class Narrative:
    key_question: str
    text: str
    recorded_by: str
    recorded_at: str


def _item(inspection_id: str, what: str) -> str:
    return f"inspection:{inspection_id}/{what}"


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- findings -------------------------------------------------------------------------------

def read_findings(ws: Workspace, inspection_id: str) -> list[Finding]:
    rows = connection(ws).execute(
        "SELECT number, item, kind, text, evidence, recorded_by, recorded_at FROM findings"
        " WHERE inspection_id = ? ORDER BY number", (inspection_id,)).fetchall()
    out = []
    for r in rows:
        ev = json.loads(r[4])
        out.append(Finding(int(r[0]), r[1], r[2], r[3], tuple(ev.get("documents", ())),
                           tuple(ev.get("meetings", ())), tuple(ev.get("cases", ())),
                           r[5], r[6]))
    return out


def _finding_json(item: str, kind: str, text: str, evidence: dict[str, list[Any]]
                  ) -> dict[str, Any]:
    return {"item": item, "kind": kind, "text": text, "evidence": evidence}


def insert_finding(ws: Workspace, inspection_id: str, item: str, kind: str, text: str,
                   evidence: dict[str, list[Any]]) -> int:
    """Add a finding; return its number (1, 2, … in the inspection)."""
    conn = connection(ws)
    with ws.transaction():
        number = int(conn.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM findings WHERE inspection_id = ?",
            (inspection_id,)).fetchone()[0])
        conn.execute(
            "INSERT INTO findings (inspection_id, number, item, kind, text, evidence,"
            " recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?)",
            (inspection_id, number, item, kind, text,
             json.dumps(evidence, ensure_ascii=False, sort_keys=True), ws.owner_name, now()))
        ws.record(None, "finding_added", _item(inspection_id, f"finding:{number}"), None,
                  _dump(_finding_json(item, kind, text, evidence)))
    return number


def delete_finding(ws: Workspace, inspection_id: str, number: int) -> bool:
    """Remove a finding; False when there is none of that number."""
    conn = connection(ws)
    with ws.transaction():
        row = conn.execute("SELECT item, kind, text, evidence FROM findings"
                           " WHERE inspection_id = ? AND number = ?",
                           (inspection_id, number)).fetchone()
        if row is None:
            return False
        conn.execute("DELETE FROM findings WHERE inspection_id = ? AND number = ?",
                     (inspection_id, number))
        ws.record(None, "finding_removed", _item(inspection_id, f"finding:{number}"),
                  _dump(_finding_json(row[0], row[1], row[2], json.loads(row[3]))), None)
    return True


# -- the register of documents ----------------------------------------------------------------

_DOCUMENT_COLUMNS = ("number, title, dated, items, note, location, stored_name, stored_size,"
                     " stored_sha256, recorded_by, recorded_at")


def _document(r: Any) -> Document:
    return Document(int(r[0]), r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6],
                    None if r[7] is None else int(r[7]), r[8], r[9], r[10])


def read_documents(ws: Workspace, inspection_id: str) -> list[Document]:
    rows = connection(ws).execute(
        f"SELECT {_DOCUMENT_COLUMNS} FROM evidence_documents WHERE inspection_id = ?"
        " ORDER BY number", (inspection_id,)).fetchall()
    return [_document(r) for r in rows]


def _document_json(d: Document) -> dict[str, Any]:
    return {"title": d.title, "dated": d.dated, "items": list(d.items), "note": d.note,
            "location": d.location, "stored_name": d.stored_name, "stored_size": d.stored_size,
            "stored_sha256": d.stored_sha256}


def insert_document(ws: Workspace, inspection_id: str, *, title: str, dated: str,
                    items: list[str], note: str, location: str,
                    copy: tuple[str, bytes, str] | None) -> int:
    """Add a register row (and its stored copy: name, bytes, SHA-256); return its number."""
    conn = connection(ws)
    with ws.transaction():
        number = int(conn.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM evidence_documents"
            " WHERE inspection_id = ?", (inspection_id,)).fetchone()[0])
        name, content, digest = copy if copy is not None else (None, None, None)
        size = None if content is None else len(content)
        at = now()
        conn.execute(
            "INSERT INTO evidence_documents (inspection_id, number, title, dated, items, note,"
            " location, stored_name, stored_size, stored_sha256, recorded_by, recorded_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (inspection_id, number, title, dated, json.dumps(items, ensure_ascii=False), note,
             location, name, size, digest, ws.owner_name, at))
        if content is not None:
            conn.execute("INSERT INTO evidence_copies (inspection_id, number, content)"
                         " VALUES (?,?,?)", (inspection_id, number, content))
        d = Document(number, title, dated, tuple(items), note, location, name, size, digest,
                     ws.owner_name, at)
        ws.record(None, "evidence_document_added", _item(inspection_id, f"document:{number}"),
                  None, _dump(_document_json(d)))
    return number


def delete_document(ws: Workspace, inspection_id: str, number: int) -> bool:
    """Remove a register row and its stored copy; False when there is none of that number."""
    conn = connection(ws)
    with ws.transaction():
        row = conn.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM evidence_documents"
                           " WHERE inspection_id = ? AND number = ?",
                           (inspection_id, number)).fetchone()
        if row is None:
            return False
        conn.execute("DELETE FROM evidence_copies WHERE inspection_id = ? AND number = ?",
                     (inspection_id, number))
        conn.execute("DELETE FROM evidence_documents WHERE inspection_id = ? AND number = ?",
                     (inspection_id, number))
        ws.record(None, "evidence_document_removed",
                  _item(inspection_id, f"document:{number}"),
                  _dump(_document_json(_document(row))), None)
    return True


def read_copy(ws: Workspace, inspection_id: str, number: int) -> bytes | None:
    """The stored copy of a register's document, or None when it is only referenced."""
    row = connection(ws).execute(
        "SELECT content FROM evidence_copies WHERE inspection_id = ? AND number = ?",
        (inspection_id, number)).fetchone()
    return None if row is None else bytes(row[0])


# -- narratives -------------------------------------------------------------------------------

def read_narratives(ws: Workspace, inspection_id: str) -> dict[str, Narrative]:
    rows = connection(ws).execute(
        "SELECT key_question, text, recorded_by, recorded_at FROM evidence_narratives"
        " WHERE inspection_id = ? ORDER BY key_question", (inspection_id,)).fetchall()
    return {r[0]: Narrative(r[0], r[1], r[2], r[3]) for r in rows}


def write_narrative(ws: Workspace, inspection_id: str, key_question: str, text: str) -> bool:
    """Set (or, with empty ``text``, clear) a key question's narrative; False if unchanged."""
    conn = connection(ws)
    with ws.transaction():
        row = conn.execute("SELECT text FROM evidence_narratives"
                           " WHERE inspection_id = ? AND key_question = ?",
                           (inspection_id, key_question)).fetchone()
        old = None if row is None else row[0]
        new = text or None
        if old == new:
            return False
        if new is None:
            conn.execute("DELETE FROM evidence_narratives"
                         " WHERE inspection_id = ? AND key_question = ?",
                         (inspection_id, key_question))
        else:
            conn.execute(
                "INSERT INTO evidence_narratives (inspection_id, key_question, text,"
                " recorded_by, recorded_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT (inspection_id, key_question) DO UPDATE SET text = excluded.text,"
                " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                (inspection_id, key_question, new, ws.owner_name, now()))
        ws.record(None, "evidence_narrative", _item(inspection_id, f"narrative:{key_question}"),
                  old, new)
    return True
