"""The one entry point for importing any bundle file: it reads the header and dispatches.

Every import verifies before it decrypts, validates before it writes, and writes in one
transaction; a refusal raises a ``UserError`` with one line and leaves the workspace as it was.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.bundles import (
    KIND_ALERT,
    KIND_ALERT_STATE,
    KIND_ASSESSMENTS,
    KIND_DEBRIEF,
    KIND_PACK,
    KIND_QA,
    KIND_RECEIPT,
    KIND_RECOVERY,
    KIND_RELEASE,
    KIND_REVIEW,
    KIND_SECOND,
    KIND_TRAINING,
    KIND_TRAINING_PACK,
    KIND_WIPE_CERTIFICATE,
    read_header,
)
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.alert_bundles import import_alert
from hmip_desktop.exchange.alert_states import import_alert_state
from hmip_desktop.exchange.assessments import import_assessments, import_receipt
from hmip_desktop.exchange.common import ImportReport
from hmip_desktop.exchange.debrief_bundles import import_debrief
from hmip_desktop.exchange.files import EXTENSIONS, read_bundle_file
from hmip_desktop.exchange.packs import import_pack
from hmip_desktop.exchange.qa import import_qa
from hmip_desktop.exchange.review_bundles import import_review_bundle
from hmip_desktop.exchange.second_bundles import import_second
from hmip_desktop.exchange.training_bundles import check_kind_fits, import_training
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.certificates import import_certificate
from hmip_desktop.laptop_return.release import import_release
from hmip_desktop.store.workspace import Workspace


def import_file(ws: Workspace, path: Path, *, lead_fingerprint: str | None = None,
                receipt_out: Path | None = None, confirm_edition: bool = False) -> ImportReport:
    """Import any bundle (pack, receipt, release, wipe certificate and every other kind).

    For an assessment bundle at the lead, a receipt is written to ``receipt_out`` (default:
    beside the bundle, with the ``.hmiprcpt`` extension). A pack bringing a new edition of the
    framework needs ``confirm_edition`` (exchange/pack_editions.py).
    """
    data = read_bundle_file(path)
    return import_bytes(ws, data, source=path, lead_fingerprint=lead_fingerprint,
                        receipt_out=receipt_out, confirm_edition=confirm_edition)


def import_bytes(ws: Workspace, data: bytes, *, source: Path | None = None,
                 lead_fingerprint: str | None = None,
                 receipt_out: Path | None = None, confirm_edition: bool = False) -> ImportReport:
    header = read_header(data)
    if header.kind != KIND_RECOVERY:
        check_kind_fits(ws, header)  # training and real work never mix, whatever the kind
    if header.kind in (KIND_PACK, KIND_TRAINING_PACK):
        return import_pack(ws, data, header, lead_fingerprint, confirm_edition=confirm_edition,
                           training=header.kind == KIND_TRAINING_PACK)
    if header.kind == KIND_TRAINING:
        return import_training(ws, data, header)
    if header.kind == KIND_SECOND:
        return import_second(ws, data, header)
    if header.kind == KIND_ASSESSMENTS:
        if receipt_out is None and source is not None:
            receipt_out = source.with_name(source.stem + "-receipt" + EXTENSIONS["receipt"])
        return import_assessments(ws, data, header, receipt_out)
    if header.kind == KIND_RECEIPT:
        return import_receipt(ws, data, header)
    if header.kind == KIND_QA:
        return import_qa(ws, data, header)
    if header.kind == KIND_ALERT:
        return import_alert(ws, data, header)
    if header.kind == KIND_ALERT_STATE:
        return import_alert_state(ws, data, header)
    if header.kind == KIND_REVIEW:
        return import_review_bundle(ws, data, header)
    if header.kind == KIND_DEBRIEF:
        return import_debrief(ws, data, header)
    if header.kind == KIND_RELEASE:
        return import_release(ws, data, header)
    if header.kind == KIND_WIPE_CERTIFICATE:
        return import_certificate(ws, data, header)
    if header.kind == KIND_RECOVERY:
        raise UserError(_("a recovery file is not imported: use it from the unlock window "
                          "(Forgotten passphrase?) or with 'hmip-desktop recovery use'"))
    raise UserError(_("this kind of bundle cannot be imported here yet"))
