"""A training event's records at the lead: the benchmark versions and the trainees' answers.

The benchmark is a snapshot of the lead's own answers on every training case — the prompt
answers, key-question judgements and evidence notes — taken when the lead marks it. Each
marking is a new version, stamped and audited; a version is never changed. A benchmark marked
again after trainees' bundles have arrived is allowed: the comparison is then worked out
against the newest version and says so (docs/data-model.md, "Training events").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hmip_desktop.assessment.items import NOTE
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import inspection_held, inspection_row, is_training
from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace

DONE = ("complete", "signed_off")


class TrainingError(UserError):
    """A training action refused: one line, nothing written."""


@dataclass(frozen=True)
class Benchmark:
    """One marked version of a training event's benchmark."""

    version: int
    marked_by: str
    marked_at: str
    answers: dict[str, dict[str, str]]  # case id → item → value


@dataclass(frozen=True)
class Received:
    """A trainee's answers on one training case, from their latest training bundle."""

    member_id: str
    case_id: str
    revision: int
    answers: dict[str, str]
    received_at: str


def check_training(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    """The inspection's row; refused unless the workspace holds it as a training inspection."""
    held = is_training(ws, inspection_id)
    if held is None:
        raise TrainingError(_("no inspection {id!r} in this workspace").format(id=inspection_id))
    if not held:
        raise TrainingError(_("refused: this is a real inspection, not a training event: "
                              "training work never mixes with real work"))
    return inspection_row(ws, inspection_id)


def check_real(ws: Workspace, inspection_id: str) -> None:
    """Refuse real work on a training inspection (one line)."""
    if inspection_held(ws, inspection_id) and is_training(ws, inspection_id):
        raise TrainingError(_("refused: this is a training inspection: its work goes only to "
                              "the lead, as a training bundle, and never counts as real"))


def training_cases(ws: Workspace, inspection_id: str) -> list[dict[str, Any]]:
    """The training event's cases (every case of the training inspection), by reference."""
    return dict_rows(ws, "SELECT id, case_ref FROM cases WHERE inspection_id = ?"
                     " ORDER BY case_ref", [inspection_id])


def compared_items(fw: Framework, items: dict[str, str]) -> dict[str, str]:
    """The answers a comparison reads: prompts, key-question judgements and evidence notes."""
    return {k: v for k, v in items.items() if v != "" and (
        k in fw.prompts_by_id or k in fw.key_questions_by_id
        or (k.startswith(NOTE) and k[len(NOTE):] in fw.key_questions_by_id))}


def mark_benchmark(ws: Workspace, inspection_id: str) -> Benchmark:
    """Mark the lead's answers on every training case as the next benchmark version.

    Refused unless this is the event's lead, every training case is complete, and the answers
    differ from the latest version. Audited with the version and how many answers it holds.
    """
    insp = check_training(ws, inspection_id)
    if insp["lead_key_id"] is None or bytes(insp["lead_key_id"]) != ws.identity.public.key_id:
        raise TrainingError(_("only the training event's lead can mark the benchmark"))
    cases = training_cases(ws, inspection_id)
    if not cases:
        raise TrainingError(_("the training event has no cases yet: add the training cases "
                              "first"))
    answers: dict[str, dict[str, str]] = {}
    for c in cases:
        a = ws.read_assessment(c["id"])
        if a.status not in DONE:
            raise TrainingError(_("case {ref} is not complete: complete your assessment of "
                                  "every training case before marking the benchmark").format(
                                      ref=c["case_ref"]))
        answers[c["id"]] = compared_items(a.framework, dict(a.items))
    return record_benchmark(ws, inspection_id, answers)


def record_benchmark(ws: Workspace, inspection_id: str,
                     answers: dict[str, dict[str, str]]) -> Benchmark:
    """Keep ``answers`` as the next benchmark version, audited (``mark_benchmark`` checks)."""
    latest = benchmark(ws, inspection_id)
    if latest is not None and latest.answers == answers:
        raise TrainingError(_("the benchmark is unchanged since version {n}: nothing to "
                              "mark").format(n=latest.version))
    version = 1 if latest is None else latest.version + 1
    at = now()
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO training_benchmarks (inspection_id, version, answers, marked_by,"
            " marked_at) VALUES (?,?,?,?,?)",
            (inspection_id, version, json.dumps(answers, sort_keys=True), ws.owner_name, at))
        ws.record(None, "training_benchmark", inspection_id,
                  None if latest is None else str(latest.version),
                  json.dumps({"version": version,
                              "answers": sum(len(v) for v in answers.values())}))
    return Benchmark(version, ws.owner_name, at, answers)


def benchmark(ws: Workspace, inspection_id: str) -> Benchmark | None:
    """The newest benchmark version of the event, or None before one is marked."""
    rows = dict_rows(ws, "SELECT * FROM training_benchmarks WHERE inspection_id = ?"
                     " ORDER BY version DESC LIMIT 1", [inspection_id])
    if not rows:
        return None
    r = rows[0]
    return Benchmark(int(r["version"]), r["marked_by"], r["marked_at"], json.loads(r["answers"]))


def benchmark_versions(ws: Workspace, inspection_id: str) -> list[tuple[int, str, str]]:
    """(version, marked by, marked at) of every version, oldest first."""
    return [(int(r["version"]), r["marked_by"], r["marked_at"]) for r in dict_rows(
        ws, "SELECT version, marked_by, marked_at FROM training_benchmarks"
        " WHERE inspection_id = ? ORDER BY version", [inspection_id])]


def store_answers(ws: Workspace, inspection_id: str, member_id: str, case_id: str,
                  revision: int, answers: dict[str, str], at: str) -> None:
    """Keep a trainee's answers on one case (call inside the import's transaction)."""
    connection(ws).execute(
        "INSERT INTO training_answers (inspection_id, member_id, case_id, revision, answers,"
        " received_at) VALUES (?,?,?,?,?,?) ON CONFLICT (member_id, case_id) DO UPDATE SET"
        " revision=excluded.revision, answers=excluded.answers,"
        " received_at=excluded.received_at",
        (inspection_id, member_id, case_id, revision, json.dumps(answers, sort_keys=True), at))


def held_revision(ws: Workspace, member_id: str, case_id: str) -> int | None:
    """The revision of a trainee's case held from their bundles, or None."""
    row = connection(ws).execute(
        "SELECT revision FROM training_answers WHERE member_id = ? AND case_id = ?",
        (member_id, case_id)).fetchone()
    return None if row is None else int(row[0])


def received(ws: Workspace, inspection_id: str) -> list[Received]:
    """Every trainee's answers held for the event."""
    return [Received(r["member_id"], r["case_id"], int(r["revision"]), json.loads(r["answers"]),
                     r["received_at"]) for r in dict_rows(
        ws, "SELECT * FROM training_answers WHERE inspection_id = ?"
        " ORDER BY member_id, case_id", [inspection_id])]
