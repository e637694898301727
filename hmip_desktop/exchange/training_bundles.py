"""Training bundles (trainee → the training event's lead alone) and where bundles may go.

A trainee's answers on the training cases travel as kind ``KIND_TRAINING``, sealed to the
event's lead only. The lead keeps them apart from any case (``training_answers``), since the
lead's own answers on those cases are the benchmark. A training bundle is refused by a real
inspection, and every other kind by a training one (``check_kind_fits``): one line, nothing
written (docs/security.md, "Training events").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_TRAINING, KIND_TRAINING_PACK, Header
from hmip_desktop.exchange.assessments import stored_as_sent
from hmip_desktop.exchange.common import (
    ImportReport,
    check_sequence,
    log,
    manifest,
    open_from_member,
    read_payload,
    seal_for,
    seen_before,
)
from hmip_desktop.exchange.contacts import member_by_key, my_member
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import is_training
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.text_rules import printable
from hmip_desktop.training.events import (
    TrainingError,
    check_training,
    compared_items,
    held_revision,
    store_answers,
    training_cases,
)

ENTRY = "answers.json"
TRAINING_KINDS = (KIND_TRAINING_PACK, KIND_TRAINING)
MAX_CASES = 50


def check_kind_fits(ws: Workspace, header: Header) -> None:
    """Refuse a real bundle for a training inspection held here, and the other way round."""
    training = is_training(ws, header.inspection_id)
    if training is None:
        return
    if training and header.kind not in TRAINING_KINDS:
        raise TrainingError(_("refused: this bundle is real inspection work, and the inspection "
                              "it names is a training event here: training work and real work "
                              "never mix"))
    if not training and header.kind in TRAINING_KINDS:
        raise TrainingError(_("refused: this is a training bundle, and the inspection it names "
                              "is a real inspection here: training work never counts as real"))


def export_training(ws: Workspace, inspection_id: str, out: Path) -> Path:
    """Write the trainee's answers on every training case, sealed to the lead alone."""
    insp = check_training(ws, inspection_id)
    if insp["lead_key_id"] is None:
        raise TrainingError(_("import the training pack from the lead first"))
    lead_key = bytes(insp["lead_key_id"])
    if lead_key == ws.identity.public.key_id:
        raise TrainingError(_("a training bundle is a trainee's: the lead marks the benchmark "
                              "instead"))
    me = my_member(ws, inspection_id)
    cases = []
    for c in training_cases(ws, inspection_id):
        a = ws.read_assessment(c["id"])
        items = compared_items(a.framework, dict(a.items))
        if items:
            cases.append({"case_id": c["id"], "case_ref": c["case_ref"],
                          "revision": a.revision, "status": a.status, "items": items})
    if not cases:
        raise TrainingError(_("nothing to send yet: answer the training cases first"))
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "training", inspection_id, 0, member_id=me["id"])),
        (ENTRY, cases)]
    return seal_for(ws, KIND_TRAINING, "training", inspection_id, [lead_key], entries, out,
                    _("training answers: {n} cases").format(n=len(cases)))


def import_training(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in a trainee's training bundle at the lead; every case must be the event's."""
    check_kind_fits(ws, header)
    if ws.owner_role != "lead":
        raise TrainingError(_("refused: a training bundle is for the training event's lead"))
    check_training(ws, header.inspection_id)
    plaintext = open_from_member(ws, data, header, KIND_TRAINING)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    if sender is None or sender["role"] == "lead":
        raise TrainingError(_("refused: the training bundle is not from a trainee of this "
                              "training event"))
    if seen_before(ws, data):
        return ImportReport("training", header.inspection_id, sender["name"], header.sequence,
                            already_imported=True)
    check_sequence(ws, header, sender["name"], "training")
    _m, by_name = read_payload(plaintext, header, "training", lambda _m: [Entry(ENTRY)])
    fw = ws.inspection_framework(header.inspection_id)
    refs = {c["id"]: c["case_ref"] for c in training_cases(ws, header.inspection_id)}
    given = by_name[ENTRY]
    if not isinstance(given, list) or not given or len(given) > MAX_CASES:
        raise PayloadError(_("the training bundle's answers are not valid"))
    seen: set[str] = set()
    for c in given:
        if not isinstance(c, dict) or not isinstance(c.get("case_id"), str):
            raise PayloadError(_("the training bundle's answers are not valid"))
        if c["case_id"] not in refs:
            named = printable(str(c.get("case_ref") or "?")[:40])
            raise TrainingError(_("refused: case {ref} is not one of this training event's "
                                  "cases").format(ref=named))
        ref = refs[c["case_id"]]
        revision, items = c.get("revision"), c.get("items")
        if c["case_id"] in seen or not isinstance(revision, int) or isinstance(revision, bool) \
                or revision < 0 or not isinstance(items, dict) \
                or not all(stored_as_sent(fw, k, v) for k, v in items.items()) \
                or compared_items(fw, items) != items:
            raise PayloadError(_("case {ref}: its answers in the training bundle are not "
                                 "valid").format(ref=ref))
        seen.add(c["case_id"])
    report = ImportReport("training", header.inspection_id, sender["name"], header.sequence)
    at = now()
    with ws.transaction():
        for c in given:
            ref, held = refs[c["case_id"]], held_revision(ws, sender["id"], c["case_id"])
            if held is not None and held >= c["revision"]:
                report.stale.append((ref, held, c["revision"]))
                continue
            store_answers(ws, header.inspection_id, sender["id"], c["case_id"], c["revision"],
                          c["items"], at)
            report.applied.append((ref, c["revision"]))
        log(ws, "in", "training", data, header.sender_key_id, header.inspection_id,
            header.sequence, _("training answers: {n} cases").format(n=len(given)))
        ws.record(None, "import_training", sender["name"], None,
                  ", ".join(r for r, _v in report.applied) or "-")
    return report
