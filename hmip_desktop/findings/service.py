"""Recording findings, the register of documents sent in advance and the narratives.

Every change is checked first and refused in one line with nothing written (``FindingsError``);
then it is one transaction with its audit row (``store/findings.py``). Only the lead's
workspace records them, and an archived inspection's record no longer changes. A document is
referenced by default (where it is kept, in words); storing a copy inside the encrypted
workspace is an option up to ``MAX_STORED_BYTES``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from hmip_desktop.findings.items import FindingsError, check_item, key_question_of
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import write_tracked
from hmip_desktop.store import findings as stored
from hmip_desktop.store.findings import Document, Finding, Narrative
from hmip_desktop.store.reads import inspection_held
from hmip_desktop.store.retention import archive_row
from hmip_desktop.store.workspace import Workspace

__all__ = ["Document", "Finding", "FindingsError", "Narrative"]

KINDS = ("strength", "improvement")
"""A finding is a strength or an area for improvement."""
MAX_NARRATIVE_WORDS = 300
"""The organisation's narrative per key question (004_: "an optional 300-word narrative")."""
MAX_STORED_BYTES = 10 * 1024 * 1024
"""The largest document copy kept inside the workspace (10 MB); larger ones are referenced."""
MAX_TEXT = 5_000
"""Characters in a finding, a narrative, a title, a note, a meeting or a case finding."""


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces and line breaks."""
    return len(text.split())


def _text(value: object, what: str, *, required: bool) -> str:
    if not isinstance(value, str):
        raise FindingsError(_("{what} must be text").format(what=what))
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: invalid bytes in a command-line argument
        raise FindingsError(_("{what} is not valid text").format(what=what)) from None
    if required and not value:
        raise FindingsError(_("{what} must not be empty").format(what=what))
    if len(value) > MAX_TEXT:
        raise FindingsError(_("{what} is longer than {n} characters").format(
            what=what, n=f"{MAX_TEXT:,}"))
    return value


def _texts(values: Iterable[object], what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    return [_text(v, what, required=True) for v in values]


def check_inspection(ws: Workspace, inspection_id: str) -> Framework:
    """The inspection's framework; refused when the workspace does not hold it."""
    if not inspection_held(ws, inspection_id):
        raise FindingsError(_("There is no inspection {id} in this workspace").format(
            id=inspection_id))
    return ws.inspection_framework(inspection_id)


def _writable(ws: Workspace, inspection_id: str) -> Framework:
    if ws.owner_role != "lead":
        raise FindingsError(_("Only the lead inspector's workspace records findings and "
                              "evidence in advance"))
    fw = check_inspection(ws, inspection_id)
    row = archive_row(ws, inspection_id)
    if row is not None:
        raise FindingsError(_("This inspection was archived on {day}: its findings and "
                              "evidence no longer change").format(day=str(row["archived_at"])[:10]))
    return fw


# -- findings -----------------------------------------------------------------------------------

def add_finding(ws: Workspace, inspection_id: str, item: str, kind: str, text: str, *,
                documents: Sequence[int] = (), meetings: Sequence[str] = (),
                cases: Sequence[str] = ()) -> int:
    """Record a strength or an area for improvement; return its number.

    On an organisational key question or prompt, with the register's documents, the meetings
    and the case findings behind it.
    """
    fw = _writable(ws, inspection_id)
    item = check_item(fw, item)
    if kind not in KINDS:
        raise FindingsError(_("A finding is a strength or an area for improvement, not "
                              "{kind!r}").format(kind=kind))
    text = _text(text, _("The finding"), required=True)
    held = {d.number for d in stored.read_documents(ws, inspection_id)}
    numbers: list[int] = []
    for n in documents:
        if isinstance(n, bool) or not isinstance(n, int) or n not in held:
            raise FindingsError(_("There is no document {n} in the register of evidence sent "
                                  "in advance").format(n=n))
        if n not in numbers:
            numbers.append(n)
    evidence: dict[str, list[Any]] = {"documents": numbers,
                "meetings": list(dict.fromkeys(_texts(meetings, _("A meeting")))),
                "cases": list(dict.fromkeys(_texts(cases, _("A case finding"))))}
    return stored.insert_finding(ws, inspection_id, item, kind, text, evidence)


def remove_finding(ws: Workspace, inspection_id: str, number: int) -> None:
    _writable(ws, inspection_id)
    if not stored.delete_finding(ws, inspection_id, number):
        raise FindingsError(_("There is no finding {n}").format(n=number))


def findings(ws: Workspace, inspection_id: str) -> list[Finding]:
    """Every finding of the inspection, in the order recorded."""
    check_inspection(ws, inspection_id)
    return stored.read_findings(ws, inspection_id)


def standard_findings(ws: Workspace, inspection_id: str, standard_id: str) -> list[Finding]:
    """The findings on a standard's key questions and their prompts: what its rating draws on."""
    fw = check_inspection(ws, inspection_id)
    return [f for f in stored.read_findings(ws, inspection_id)
            if fw.parent_of.get(key_question_of(fw, f.item)) == standard_id]


# -- the register of documents ------------------------------------------------------------------

def _day(value: object) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise FindingsError(_("The document's date must be a day as YYYY-MM-DD, not "
                              "{value!r}").format(value=value)) from None


def _copy(path: Path) -> tuple[str, bytes, str]:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FindingsError(_("{name} is not a file").format(name=path.name))
        if size > MAX_STORED_BYTES:
            raise FindingsError(_(
                "{name} is {size:.1f} MB: a stored copy may be at most {cap} MB; reference "
                "it instead (say where it is kept)").format(
                name=path.name, size=size / 1024 / 1024, cap=MAX_STORED_BYTES // 1024 // 1024))
        content = path.read_bytes()
    except OSError as e:
        raise FindingsError(_("{name} cannot be read: {why}").format(
            name=path.name, why=e.strerror or e)) from None
    if len(content) > MAX_STORED_BYTES:  # it grew while being read
        raise FindingsError(_("{name} is over the {cap} MB a stored copy may be").format(
            name=path.name, cap=MAX_STORED_BYTES // 1024 // 1024))
    return path.name, content, hashlib.sha256(content).hexdigest()


def add_document(ws: Workspace, inspection_id: str, *, title: str, dated: str,
                 items: Sequence[str], note: str = "", location: str = "",
                 store: Path | None = None) -> int:
    """Add a document the organisation sent to the register; returns its number.

    ``items``: the key questions and prompts it speaks to (at least one). Referenced by
    default (``location``, where it is kept); ``store`` keeps a copy of that file inside the
    workspace (at most ``MAX_STORED_BYTES``).
    """
    fw = _writable(ws, inspection_id)
    title = _text(title, _("The document's title"), required=True)
    day = _day(dated)
    if isinstance(items, str):
        items = [items]
    if not items:
        raise FindingsError(_("A document in the register speaks to at least one key "
                              "question or prompt: name it"))
    checked = list(dict.fromkeys(check_item(fw, i) for i in items))
    note = _text(note, _("The note"), required=False)
    location = _text(location, _("The place it is kept"), required=False)
    copy = _copy(Path(store)) if store is not None else None
    return stored.insert_document(ws, inspection_id, title=title, dated=day, items=checked,
                                  note=note, location=location, copy=copy)


def remove_document(ws: Workspace, inspection_id: str, number: int) -> None:
    """Take a document out of the register, with its stored copy.

    Refused while a finding rests on it.
    """
    _writable(ws, inspection_id)
    citing = [f.number for f in stored.read_findings(ws, inspection_id)
              if number in f.documents]
    if citing:
        raise FindingsError(_("Document {n} is evidence for finding {f}: remove it there "
                              "first").format(n=number, f=", ".join(map(str, citing))))
    if not stored.delete_document(ws, inspection_id, number):
        raise FindingsError(_("There is no document {n} in the register").format(n=number))


def documents(ws: Workspace, inspection_id: str) -> list[Document]:
    check_inspection(ws, inspection_id)
    return stored.read_documents(ws, inspection_id)


def save_copy(ws: Workspace, inspection_id: str, number: int, out: Path) -> Path:
    """Write a stored document's copy to ``out`` (recorded as an export); return the path."""
    check_inspection(ws, inspection_id)
    held = {d.number: d for d in stored.read_documents(ws, inspection_id)}
    if number not in held:
        raise FindingsError(_("There is no document {n} in the register").format(n=number))
    content = stored.read_copy(ws, inspection_id, number)
    if content is None:
        raise FindingsError(_("Document {n} is referenced, not stored: no copy is held").format(
            n=number))
    return write_tracked(ws, Path(out), content, "evidence_document")


# -- narratives ---------------------------------------------------------------------------------

def set_narrative(ws: Workspace, inspection_id: str, key_question: str, text: str) -> bool:
    """Set the organisation's narrative on a key question; False when it was already so.

    At most 300 words; an empty text clears it.
    """
    fw = _writable(ws, inspection_id)
    kq = check_item(fw, key_question, prompts=False)
    text = _text(text, _("The narrative"), required=False)
    words = word_count(text)
    if words > MAX_NARRATIVE_WORDS:
        raise FindingsError(_("The narrative on {kq} has {n} words: at most {cap}").format(
            kq=kq, n=words, cap=MAX_NARRATIVE_WORDS))
    return stored.write_narrative(ws, inspection_id, kq, text)


def narratives(ws: Workspace, inspection_id: str) -> dict[str, Narrative]:
    check_inspection(ws, inspection_id)
    return stored.read_narratives(ws, inspection_id)
