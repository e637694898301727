"""Synthetic long lists in the organisation's shape, for every sample kind of every framework.

Driven by the framework's ``sampling`` rules: one column per rule column (headed by its label,
as the organisation's spreadsheet would be), plus a column the rules do not name, with
realistic proportions (mostly men, mostly medium RoSH, a few cases meeting each exclusion) and
invented names only. Optional deliberate faults, each on a known row:

- ``bad_date``: a date column holding "31/02/2026";
- ``duplicate_id``: a case id repeating an earlier row;
- ``text_in_number``: "twelve" in a number column (kinds with a number column only);
- ``missing_column``: the stratification's first required column dropped;
- ``formula_text``: ``=HYPERLINK(…)`` in the kept column (not a fault: kept as text);
- ``inconsistent_fact``: a row meeting one of the rules' inconsistencies;
- ``out_of_window``: a window date a year too early.

The tests, the benchmarks and ``docs/examples/sampling.sh`` use it through
``tests/sampling/longlists.py``; the lead's demo (``exchange/demo_team.py``) imports a generated
long list and draws a provisional list from it, so the set-up window's case sample has
something to show.

    .venv/bin/python -m tests.sampling.longlists FRAMEWORK KIND ROWS OUT.csv
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hmip_desktop.frameworks.loader import load_framework
from hmip_desktop.sampling.longlist import eligibility_window, meets
from hmip_desktop.sampling.rules import Column, SampleKind

FIELDWORK = date(2026, 9, 7)  # a Monday
EXTRA_HEADING = "Local reference"
FAULTS = ("bad_date", "duplicate_id", "text_in_number", "missing_column", "formula_text",
          "inconsistent_fact", "out_of_window")
FORMULA = '=HYPERLINK("https://example.invalid/case","open")'

_WEIGHTS: Mapping[str, Mapping[str, int]] = {
    "gender": {"male": 85, "female": 15},
    "rosh": {"low": 20, "medium": 52, "high": 25, "very_high": 3},
    "safety_wellbeing": {"low": 25, "medium": 45, "high": 26, "very_high": 4},
    "sentence_type": {"community": 60, "post_custody": 40, "custody": 0, "pre_sentence": 0},
    "requirements": {"supervision": 45, "restrictive_only": 10, "none": 3, "licence": 40,
                     "curfew_uw_ac_only": 6, "no_supervision_or_iss": 4, "not_applicable": 45},
    "requirement": {"rar_or_programme": 48, "other": 7, "not_applicable": 45},
    "sample": {"community": 55, "licence": 35, "pss": 10},
    "disposal_type": {"referral_order": 40, "youth_rehabilitation_order": 42, "custody": 18,
                      "youth_caution": 30, "youth_conditional_caution": 25,
                      "community_resolution": 45},
    "supervised_by": {"inspected_crc": 80, "other_crc": 8, "nps": 12},
    "release_type": {"licence": 80, "pss": 12, "fixed_term_recall": 5, "no_supervision": 3},
    "report_type": {"oral": 45, "short_format": 40, "standard": 15},
    "allocated_to": {"nps": 35, "crc": 45, "not_sentenced": 20},
    "reset_impact": {"not_applied": 70, "reset_pss_only": 6,
                     "reset_licence_suspended_within_8_weeks": 8,
                     "impact_suspended_within_8_weeks": 8, "suspended_after_8_weeks": 8},
    "pre_sentence_report": {"written": 35, "oral": 40, "none": 25},
}
_KIND_WEIGHTS: Mapping[str, Mapping[str, Mapping[str, int]]] = {
    # a sample's own cases: court reports are pre-sentence, unpaid work is a community
    # sentence, Through the Gate is post-custody, victim work custody or post-custody
    "court_report": {"sentence_type": {"pre_sentence": 1}},
    "unpaid_work": {"sentence_type": {"community": 1}},
    "through_the_gate": {"sentence_type": {"post_custody": 1}},
    "victim": {"sentence_type": {"custody": 45, "post_custody": 55}},
}
_YES_SHARE = {"resettlement_prison": 0.9, "order_made_to_yot": 0.97,
              "initial_assessment_here": 0.9}
_FIRST = ("Arlo", "Bren", "Cara", "Dace", "Elin", "Fenn", "Gwen", "Hale", "Ivo", "Jory", "Kez",
          "Lor", "Mabe", "Nye", "Orla", "Pim", "Quin", "Rhos", "Sable", "Tam", "Ulla", "Vyn")
_LAST = ("Ashby-Fenn", "Brackwater", "Culmore", "Dunlevy", "Eskridge", "Farrowdale",
         "Glenholt", "Harrowgate", "Inchmere", "Juniper", "Kestrelby", "Lowenthorpe",
         "Marchbank", "Nettlecombe", "Oakhanger", "Pellworth", "Quarrendon", "Rookwell")
_PDUS = ("North Vale", "Eastmere", "Southbridge", "Westholm", "Riverside", "Highcombe",
         "Lowfield", "Stonebury")
_PRISONS = ("HMP Ashmoor", "HMP Brackenhurst", "HMP Coldridge", "HMP Dunmarsh")
_OFFENCES = ("Violence against the person", "Sexual offence", "Robbery", "Burglary",
             "Arson", "Stalking or harassment")


@dataclass(frozen=True)
class Generated:
    header: list[str]
    rows: list[list[str]]
    fault_rows: dict[str, int]  # fault → its row number in the spreadsheet (heading row 1)


def kind_of(framework_id: str, kind_id: str) -> SampleKind:
    rules = load_framework(framework_id).sampling
    assert rules is not None
    return rules.kind(kind_id)


def all_kinds() -> list[tuple[str, str]]:
    """Every sample kind of the current editions (a superseded one has the same rules)."""
    from hmip_desktop.frameworks.loader import current_frameworks  # noqa: PLC0415

    return [(fw.id, k.id) for fw in current_frameworks() if fw.sampling
            for k in fw.sampling.kinds]


def generate(kind: SampleKind, n: int, *, seed: int = 1, fieldwork: date = FIELDWORK,
             faults: Iterable[str] = ()) -> Generated:
    rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not a secret
    window = eligibility_window(kind, fieldwork) or (fieldwork - timedelta(weeks=26),
                                                     fieldwork - timedelta(weeks=22))
    practitioners = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                     for _ in range(max(n // 12, 40))]
    columns = list(kind.columns)
    rows: list[list[str]] = []
    ids: set[str] = set()
    while len(rows) < n:
        values = _row(kind, columns, rng, window, practitioners, ids)
        if any(meets(i.when, values, {}) for i in kind.inconsistencies):
            continue  # the organisation's system would not hold it
        if kind.stratification.groups and not any(
                meets(g.when, values, {}) for g in kind.stratification.groups):
            continue
        ids.add(values[kind.case_id_column])
        rows.append([_shown(c, values.get(c.id, "")) for c in columns]
                    + [f"L{len(rows) + 1:06d}"])
    header = [c.label for c in columns] + [EXTRA_HEADING]
    fault_rows: dict[str, int] = {}
    for fault in faults:
        _apply(fault, kind, header, rows, fault_rows, rng, window)
    return Generated(header=header, rows=rows, fault_rows=fault_rows)


def _shown(c: Column, value: str) -> str:
    """A value as the organisation's spreadsheet shows it: the choice's label ("Male")."""
    return (c.choice_labels or {}).get(value, value) if value else ""


def _row(kind: SampleKind, columns: list[Column], rng: random.Random,
         window: tuple[date, date], practitioners: list[str], ids: set[str]) -> dict[str, str]:
    v: dict[str, str] = {}
    span = (window[1] - window[0]).days
    for c in columns:
        if c.id == kind.case_id_column:
            while (case := f"{rng.choice('ABCDEFGHJKLMNPRSTX')}{rng.randrange(10**6):06d}") in ids:
                pass
            v[c.id] = case
        elif c.type == "choice":
            own = _KIND_WEIGHTS.get(kind.sample_value, {}).get(c.fact or c.id)
            weights = own or _WEIGHTS.get(c.fact or c.id, {})
            v[c.id] = rng.choices(c.choices,
                                  [weights.get(x, 0 if own else 1) for x in c.choices])[0]
        elif c.type == "yes_no":
            v[c.id] = "yes" if rng.random() < _YES_SHARE.get(c.id, 0.03) else "no"
        elif c.type == "number":
            v[c.id] = str(rng.randrange(6, 120))
        elif c.type == "date":
            if (kind.window is not None and c.id == kind.window.column) or c.required:
                v[c.id] = (window[0] + timedelta(days=rng.randrange(span))).isoformat()
            elif rng.random() < 0.08:
                v[c.id] = "later"  # filled below from the start date
        elif c.id == kind.pdu_column:
            v[c.id] = f"{rng.choice(_PDUS)} PDU"
        elif c.id == kind.practitioner_column:
            v[c.id] = rng.choice(practitioners)
        elif c.id == kind.marked_exclusion_column:
            if rng.random() < 0.03:
                v[c.id] = rng.choice(("Transferred out in week 2", "Possible SFO review",
                                      "Lives out of area"))
        elif c.id == "person_name":
            v[c.id] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        elif c.id == "person_id":
            v[c.id] = f"P{rng.randrange(10**7):07d}" if rng.random() > 0.02 else "P0000001"
        elif c.id == "prison":
            v[c.id] = rng.choice(_PRISONS)
        elif c.id == "index_offence":
            v[c.id] = rng.choice(_OFFENCES)
        else:
            v[c.id] = f"{c.label} {rng.randrange(100)}"
    start = next((v[c.id] for c in columns if c.type == "date" and c.required), "")
    for key, value in list(v.items()):
        if value == "later":
            v[key] = (date.fromisoformat(start) + timedelta(days=rng.randrange(2, 150))
                      ).isoformat() if start else ""
    return v


def _apply(fault: str, kind: SampleKind, header: list[str], rows: list[list[str]],
           fault_rows: dict[str, int], rng: random.Random, window: tuple[date, date]) -> None:
    labels = {c.id: i for i, c in enumerate(kind.columns)}
    at = len(fault_rows) * 7 + 5  # distinct rows, well inside the list
    if fault == "bad_date":
        date_col = next(c.id for c in kind.columns if c.type == "date" and c.required)
        rows[at][labels[date_col]] = "31/02/2026"
    elif fault == "duplicate_id":
        rows[at][labels[kind.case_id_column]] = rows[1][labels[kind.case_id_column]]
    elif fault == "text_in_number":
        num = next(c.id for c in kind.columns if c.type == "number")
        rows[at][labels[num]] = "twelve"
    elif fault == "missing_column":
        strat = kind.stratification.variables or ("gender",)
        i = labels[strat[0]]
        header.pop(i)
        for r in rows:
            r.pop(i)
        fault_rows[fault] = 1
        return
    elif fault == "formula_text":
        rows[at][-1] = FORMULA
    elif fault == "inconsistent_fact":
        inc = kind.inconsistencies[0]
        _force(inc.when, rows[at], labels)
    elif fault == "out_of_window":
        assert kind.window is not None
        rows[at][labels[kind.window.column]] = (window[0] - timedelta(days=365)).isoformat()
    else:
        raise ValueError(fault)
    fault_rows[fault] = at + 2  # the heading is row 1, the first case row 2


def _force(cond: object, row: list[str], labels: Mapping[str, int]) -> None:
    """Make ``row`` meet an inconsistency made of ``all``/``column in`` conditions."""
    from hmip_desktop.sampling.rules import AllOf, ColumnIn  # noqa: PLC0415

    if isinstance(cond, AllOf):
        for part in cond.parts:
            _force(part, row, labels)
    elif isinstance(cond, ColumnIn):
        row[labels[cond.column]] = sorted(cond.values)[0]
    else:
        raise ValueError(cond)


def write_csv(g: Generated, path: Path) -> Path:
    path.write_bytes(csv_bytes(g))
    return path


def csv_bytes(g: Generated) -> bytes:
    """The rows as a CSV file's bytes (UTF-8), as ``write_csv`` writes them."""
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow(g.header)
    w.writerows(g.rows)
    text: str = out.getvalue()
    return text.encode("utf-8")


def write_xlsx(g: Generated, path: Path) -> Path:
    """The rows as a workbook; ``=`` text is written as a real formula, as Excel would hold it."""
    import openpyxl  # noqa: PLC0415

    from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes  # noqa: PLC0415

    book = openpyxl.Workbook(write_only=True)
    sheet = memory_sheet(book, "Long list")
    sheet.append(g.header)
    for r in g.rows:
        sheet.append(r)
    path.write_bytes(xlsx_bytes(book))
    return path

