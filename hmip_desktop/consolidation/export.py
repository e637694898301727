"""Exports for the data team: the XLSX workbook, the key-question CSV, the ratings JSON.

The workbook (000_ §7.3, 002_ §7.1 "a data workbook, which sets out all the data from
inspected cases") has one sheet each for the inspection's facts, the key-question tables, the
ratings with their flags and the panel's decisions, domain one and recommendations, every
case's answers and judgements, the provenance of the figures (every bundle behind them), and
the evidence that the case sample is fair (its seed, proportions and margin of error), and the
inspection's alerts counted by kind and state.
Every text cell goes through ``cells.safe``; files are written atomically. Personal details
(names of people on probation and practitioners) and evidence notes are left out, but case
references and case-level answers are in: the workbook is for the internal data team, and its
first line says it holds personal data. What is published is the publishable workbook
(``publication``): aggregates only, small cells suppressed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hmip_desktop.assessment.items import CASE, RECORD
from hmip_desktop.consolidation.cells import safe_row
from hmip_desktop.consolidation.count_notes import (
    LEFT_OUT_LABELS,
    counted_sentence,
    left_out_sentence,
    rule_sentence,
)
from hmip_desktop.consolidation.counting import (
    FINAL,
    CountRule,
    case_rows,
    require_final,
)
from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.consolidation.drilldown import prompt_counts
from hmip_desktop.consolidation.editions import counted_items
from hmip_desktop.consolidation.output_sheets import findings_header, findings_sheet, pdu_sheet
from hmip_desktop.consolidation.pdu_tables import pdu_tables
from hmip_desktop.consolidation.records import (
    PanelSitting,
    archived_figures,
    read_lead_ratings,
    read_panel_sitting,
    read_recommendations,
)
from hmip_desktop.consolidation.subgroups import subgroup_tables
from hmip_desktop.consolidation.tables import Consolidation, consolidate
from hmip_desktop.frameworks.provenance import is_drafted, mark_column
from hmip_desktop.i18n import N_, _, rating_label
from hmip_desktop.laptop_return.exports import write_tracked
from hmip_desktop.rules.ratings_report import flag_text
from hmip_desktop.rules.ratings_report import ratings_json as _contract_json
from hmip_desktop.sampling import records as sample_records
from hmip_desktop.sampling.service import report as sample_report
from hmip_desktop.store.reads import case_count, case_sources, inspection_row
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.team.alert_tracking import STATE_LABELS, alerts_by_kind_and_state
from hmip_desktop.team.alerts import KIND_LABELS
from hmip_desktop.wording import capitalised

if TYPE_CHECKING:
    from openpyxl import Workbook

CSV_COLUMNS = ("inspection_id", "organisation", "framework_id", "framework_version",
               "framework_hash", "standard_id", "kq_id", "text", "yes", "no", "na", "n",
               "percent", "band")
"""The national table's columns (``combine``): one row per inspection and key question."""
KQ_CSV_COLUMNS = (*CSV_COLUMNS, "drafted", "provisional")
"""``export-csv``: the national columns, the drafted-text mark and the provisional mark (each
empty where it does not apply)."""
SHEETS = ("Inspection", "Key questions", "Prompts", "Sub-groups", "Ratings", "Domain one",
          "Answers", "Provenance", "Case sample", "PDU tables", "Findings", "Alerts")
PERSONAL_DATA = N_("Contains personal data: case references and each case's answers. For the "
                   "internal data team only; publish the publishable workbook instead.")
"""The full workbook's first line: what it holds, and that it is not for publication."""


def ratings_json(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    """The inspection's ratings in exactly the JSON of the ``ratings`` command (docs/cli.md).

    An archived inspection's are those kept when it was archived.
    """
    kept = archived_figures(ws, inspection_id)
    if kept is not None:
        return dict(kept["ratings"])
    return _contract_json(consolidate(ws, inspection_id).ratings)


def _inspection(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    return inspection_row(ws, inspection_id)


def kq_rows(ws: Workspace, c: Consolidation) -> list[list[object]]:
    """The key-question table as CSV rows (``CSV_COLUMNS`` and the drafted-text mark)."""
    info = _inspection(ws, c.inspection_id)
    fw = c.framework
    return [[c.inspection_id, info["organisation"], fw.id, fw.version, fw.hash, t.standard_id,
             r.kq_id, r.text, r.yes, r.no, r.na, r.n, r.percent, r.band,
             mark_column(is_drafted(fw, r.kq_id))]
            for t in c.tables for r in t.rows]


def write_csv(ws: Workspace, inspection_id: str, path: Path, rule: CountRule = FINAL) -> Path:
    """The key-question table as CSV (UTF-8 with a byte-order mark, for Excel).

    Made under the provisional rule, every row's last column (``provisional``) carries the
    mark "provisional: includes N cases in progress"; otherwise it is empty. An archived
    inspection's table is the one kept when it was archived (its cases are gone).
    """
    kept = archived_figures(ws, inspection_id)
    if kept is not None:
        require_final(rule, "key-question CSV of an archived inspection")
        return write_tracked(ws, path, csv_bytes(KQ_CSV_COLUMNS, kept["kq_csv"]["rows"]), "csv")
    c = consolidate(ws, inspection_id, rule=rule)
    rows = [[*r, c.provisional_mark or None] for r in kq_rows(ws, c)]
    return write_tracked(ws, path, csv_bytes(KQ_CSV_COLUMNS, rows), "csv")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in safe_row(list(row))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_workbook(ws: Workspace, inspection_id: str, path: Path,
                   rule: CountRule = FINAL) -> Path:
    """The workbook, counting only cases marked complete (a provisional rule is refused)."""
    require_final(rule, "workbook")
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook export pays for loading it

    from hmip_desktop.xlsx_in_memory import xlsx_bytes  # noqa: PLC0415 - openpyxl too

    c = consolidate(ws, inspection_id)
    wb = Workbook(write_only=True)
    _sheet(wb, _("Inspection"), (_("Fact"), _("Value")), _facts(ws, c))
    _sheet(wb, _("Key questions"), (
        _("Standard"), _("Standard title"), _("Key question"), _("Text"), _("Yes"), _("No"),
        _("Not applicable"), _("Answered"), _("Yes %"), _("No %"), _("Band"), _("Note"),
        _("Drafted text")), [
        [t.standard_id, t.title, r.kq_id, r.text, r.yes, r.no, r.na, r.n, r.percent,
         r.no_percent, rating_label(r.band) if r.band else None,
         _("question not applicable for all cases") if r.subsample else None,
         mark_column(is_drafted(c.framework, r.kq_id)) or None]
        for t in c.tables for r in t.rows])
    prompts = prompt_counts(ws, c)
    _sheet(wb, _("Prompts"), (
        _("Standard"), _("Key question"), _("Prompt"), _("Text"), _("Yes"), _("No"),
        _("Not applicable"), _("Answered"), _("Yes %")), [
        [t.standard_id, r.kq_id, p.prompt_id, p.text, p.yes, p.no, p.na, p.n, p.percent]
        for t in c.tables for r in t.rows for p in prompts.get(r.kq_id, ())])
    _sheet(wb, _("Sub-groups"), (
        _("Case fact"), _("Group"), _("Key question"), _("Text"), _("Answered"), _("Yes"),
        _("Yes %")), _subgroups(ws, c))
    _sheet(wb, _("Ratings"), (
        _("Standard"), _("Title"), _("Rated by"), _("Provisional rating"),
        _("Discretion flags"), _("Reasons"), _("Panel decision"), _("Adjustment"),
        _("Panel's reason"), _("Decided by"), _("Decided at"), _("Rating")), _ratings(c))
    _sheet(wb, _("Domain one"), (
        _("Standard or recommendation"), _("Rating or progress"), _("Evidence or note"),
        _("Characteristics weighed"), _("Decided by")), _domain_one(ws, c))
    header, rows = _answers(ws, c)
    _sheet(wb, _("Answers"), header, rows)
    _sheet(wb, _("Provenance"), (
        _("Case"), _("Sender"), _("Sender fingerprint"), _("Bundle (SHA-256)"),
        _("Bundle sequence"), _("Revision"), _("Content hash"), _("Applied at"), _("QA state"),
        _("Framework"), _("Framework version"), _("Framework hash")), _provenance(ws, c))
    _sheet(wb, _("Case sample"), (
        _("Sample"), _("What"), _("Value"), _("Population"), _("Population %"),
        _("Sample cases"), _("Sample %")), _sample(ws, c.inspection_id))
    pdu_header, pdu_rows = pdu_sheet(pdu_tables(ws, c.inspection_id))
    _sheet(wb, _("PDU tables"), pdu_header, pdu_rows)
    _sheet(wb, _("Findings"), findings_header(), findings_sheet(ws, c.inspection_id))
    _sheet(wb, _("Alerts"), (_("Kind"), _("State"), _("Alerts")), [
        [KIND_LABELS[k], STATE_LABELS[s], n]
        for k, s, n in alerts_by_kind_and_state(ws, c.inspection_id)])
    return write_tracked(ws, path, xlsx_bytes(wb), "workbook")


def _sheet(wb: Workbook, title: str, header: Sequence[str],
           rows: Iterable[Sequence[object]]) -> None:
    from hmip_desktop.xlsx_in_memory import memory_sheet  # noqa: PLC0415 - openpyxl too

    sheet = memory_sheet(wb, title)
    sheet.append(safe_row(list(header)))
    for row in rows:
        sheet.append(safe_row(list(row)))


def _facts(ws: Workspace, c: Consolidation) -> list[list[object]]:
    info = _inspection(ws, c.inspection_id)
    fw = c.framework
    total = case_count(ws, c.inspection_id)
    o = c.ratings.overall
    return [
        [_("Personal data"), _(PERSONAL_DATA)],
        [_("Inspection id"), c.inspection_id], [_("Title"), info["title"]],
        [_("Organisation"), info["organisation"]], [_("Framework"), fw.id],
        [_("Framework title"), fw.title], [_("Framework version"), fw.version],
        [_("Framework hash"), fw.hash], [_("Rated"), "yes" if fw.rated else "no"],
        [_("Fieldwork start"), info["fieldwork_start"]],
        [_("Fieldwork end"), info["fieldwork_end"]],
        [_("Cases in the sample"), int(total)], [_("Cases counted"), c.cases],
        [_("Which cases count"), rule_sentence(c)],
        [_("Counted cases signed off"), c.signed_off],
        *([_("Left out: {reason}").format(reason=label), c.left_out.get(why, 0)]
          for why, label in LEFT_OUT_LABELS.items()),
        [_("Cases left out"), left_out_sentence(c)],
        [_("Counted"), counted_sentence(c)],
        *_sitting_facts(read_panel_sitting(ws, c.inspection_id)),
        [_("Overall rating"), rating_label(o.rating) if o.rating else o.reason],
        [_("Overall score"), o.score], [_("Overall score out of"), o.max],
        [_("Written at"), now()], [_("Written by"), ws.owner_name],
    ]


def _subgroups(ws: Workspace, c: Consolidation) -> list[list[object]]:
    """The sub-group tables in full (the internal view: nothing suppressed)."""
    out: list[list[object]] = []
    for table in subgroup_tables(ws, c):
        labels = [label for _v, label in table.groups]
        out += [[table.label, label, None, "Cases counted", n, None, None]
                for label, n in zip(labels, table.cases, strict=True)]
        out.append([table.label, "All cases", None, "Cases counted", table.counted, None, None])
        for row in table.rows:
            out += [[table.label, label, row.kq_id, row.text, cell.n, cell.yes, cell.percent]
                    for label, cell in zip(labels, row.cells, strict=True)]
            out.append([table.label, "All cases", row.kq_id, row.text, row.total.n,
                        row.total.yes, row.total.percent])
    return out


def _sitting_facts(sitting: PanelSitting | None) -> list[list[object]]:
    """Who sat on the ratings panel and when (000_ §7.2), or that it is not yet recorded."""
    if sitting is None:
        return [[_("Panel sat on"), _("not yet recorded")]]
    return [[_("Panel sat on"), sitting.sat_on], [_("Panel chair"), sitting.chair],
            [_("Panel members"), ", ".join(sitting.members)],
            [_("Panel note-taker"), sitting.note_taker]]


DECISION_WORDS = {"confirm": N_("Confirmed"), "vary": N_("Varied")}


def _ratings(c: Consolidation) -> list[list[object]]:
    out: list[list[object]] = []
    if not c.rated:
        return [[_("this framework is not rated")]]
    for t in c.tables:
        d = t.decision
        words = None if d is None else _(DECISION_WORDS.get(d.decision, d.decision))
        decision = words if d is None or t.decision_applied else _(
            "{decision} (not applied: taken on other figures)").format(decision=words)
        out.append([
            t.standard_id, t.title, _("Lead inspector") if t.rated_by == "lead" else _("Case data"),
            rating_label(t.provisional_rating) if t.provisional_rating else None,
            "; ".join(capitalised(flag_text(f)) for f, _why in t.discretion) or None,
            "; ".join(why for _f, why in t.discretion) or None,
            decision, d.adjustment if d else None, d.reason if d else None,
            d.decided_by if d else None, d.decided_at if d else None,
            rating_label(t.rating) if t.rating else None])
    o = c.ratings.overall
    out.append([])
    out.append([_("Overall"), None, None, None, None, o.reason, None, None, None, None, None,
                rating_label(o.rating) if o.rating else None])
    out.append([_("Score"), o.score, _("of"), o.max])
    return out


def _domain_one(ws: Workspace, c: Consolidation) -> list[list[object]]:
    out: list[list[object]] = []
    for sid, r in read_lead_ratings(ws, c.inspection_id).items():
        out.append([sid, rating_label(r.rating), r.evidence, "; ".join(r.characteristics),
                    r.decided_by])
    for rec in read_recommendations(ws, c.inspection_id):
        out.append([_("Recommendation {n}: {text}").format(n=rec.number, text=rec.text),
                    rec.progress or _("not judged"),
                    rec.note or None])
    return out


def _answers(ws: Workspace, c: Consolidation) -> tuple[list[str], list[list[object]]]:
    fw = c.framework
    cases = case_rows(ws, c.inspection_id)
    counted = set(c.counted_case_ids)
    left = c.left_out_cases
    keys: list[str] = [RECORD + n for n in ("interview_mode", "excluded", "conflict_declared")]
    keys += [CASE + q.id for q in fw.case_questions]
    for s in fw.standards:
        for k in s.key_questions:
            keys.extend(p.id for p in k.prompts)
            if fw.is_case_answered(k):
                keys.append(k.id)
    # A case on an earlier edition: its answers under this edition's keys, as counted.
    items = counted_items(ws, c.inspection_id, fw, keys, (case.id for case in cases))
    header = [_("Case"), _("PDU"), _("Team"), *(f.id for f in fw.case_facts), _("Status"),
              _("Revision"), _("Counted"), *keys]
    rows: list[list[object]] = []
    for case in cases:
        own = items.get(case.id, {})
        why = _("yes") if case.id in counted else _("no: {reason}").format(
            reason=LEFT_OUT_LABELS.get(left.get(case.id, ""), _("not counted")))
        rows.append([case.case_ref, case.pdu, case.team,
                     *(case.facts.get(f.id) for f in fw.case_facts), case.status, case.revision,
                     why, *(own.get(k) for k in keys)])
    return header, rows


def _provenance(ws: Workspace, c: Consolidation) -> list[list[object]]:
    fw = c.framework
    qa = {r.case_id: (r.qa_state, r.sender_fingerprint) for r in dashboard(ws, c.inspection_id)}
    rows = case_sources(ws, c.inspection_id)
    out: list[list[object]] = []
    for cid, ref, sender, bundle, seq, rev, digest, at in rows:
        state, fp = qa.get(cid, ("none", None))
        out.append([ref, sender, fp, bundle, seq, rev, digest, at, state, fw.id, fw.version,
                    fw.hash])
    if not out:
        out.append([_("no case has been received in a bundle: the figures are this "
                      "workspace's own"), None, None, None, None, None, None, None, None,
                    fw.id, fw.version, fw.hash])
    return out


def drawn_sample_reports(ws: Workspace, inspection_id: str) -> list[Any]:
    """The sample report of each sample kind drawn here, in the long lists' order."""
    return [sample_report(ws, inspection_id, kind)
            for kind in sample_records.longlist_kinds(ws, inspection_id)
            if sample_records.stored_draw(ws, inspection_id, kind, "provisional") is not None]


def sample_fairness_rows(r: Any) -> list[list[Any]]:
    """A drawn sample's fairness rows that name no case.

    Stage, seed, sizes, margin, shares and exclusions per rule: the workbook's sample sheet
    and an archive's kept figures both start with these.
    """
    out: list[list[Any]] = [
        [r.label, "Stage", f"{r.stage} sample"], [r.label, "Seed", r.seed],
        [r.label, "Cases", f"{r.sample} of {r.population} eligible "
                           f"({r.long_list_cases} on the long list)"],
        [r.label, "Margin of error at 80% confidence", f"±{r.margin_of_error_points} points"]]
    out += [[r.label, f"{s.variable}: {s.value}", None, s.population,
             round(s.population_percent, 1), s.sample, round(s.sample_percent, 1)]
            for s in r.shares]
    out += [[r.label, f"Excluded: {words}", n] for words, n in r.excluded_per_rule.items()]
    return out


def _sample(ws: Workspace, inspection_id: str) -> list[list[object]]:
    """The case sample's fairness report per sample kind drawn here (000_ §4.1-4.2)."""
    out: list[list[object]] = []
    for r in drawn_sample_reports(ws, inspection_id):
        out += sample_fairness_rows(r)
        out += [[r.label, "Adjustment", f"{a['out']} → {a['in']}: {a['reason']}"]
                for a in r.adjustments]
        out += [[r.label, "Not met", u] for u in r.unmet]
        out += [[r.label, "Reserve used", f"{w.out_case} → {w.in_case}: {w.reason}"]
                for w in r.swaps]
    return out or [["the sample was not drawn in this workspace"]]
