"""Build a framework file's content from a workbook's rows, and validate it with the loader.

Every fault found in the rows is one line naming the sheet, the row, the column and the
problem; all of them are reported at once. When the rows are sound, the loader checks the
whole file as it checks any framework, and its first fault is named by the cell it came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.frameworks.edition_mapping import MappingFault, mapping_fault_places
from hmip_desktop.frameworks.loader import FrameworkError, parse_framework
from hmip_desktop.frameworks.model import Framework, Supersedes
from hmip_desktop.frameworks.workbook_cells import Origin
from hmip_desktop.frameworks.workbook_layout import SECTION_COLUMNS, SECTIONS, TABLES
from hmip_desktop.frameworks.workbook_read import (
    Cell,
    WorkbookCells,
    WorkbookFaults,
    fault,
    read_workbook,
)
from hmip_desktop.frameworks.workbook_rules import RulesBuilder
from hmip_desktop.frameworks.workbook_settings import SettingsBuilder
from hmip_desktop.i18n import _

_SOURCE = "workbook"
_LOADER_FAULT = re.compile(r"^workbook(?: at (.+?))?: (.*)$", re.DOTALL)


class _Builder(SettingsBuilder, RulesBuilder):
    """The item sheets: domains, standards, key questions, prompts, guidance, case facts."""

    def build(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        self.sections(data)
        guidance = self.guidance()
        domains = self.domains(guidance)
        data["domains"] = domains
        data["case_facts"], data["case_questions"] = self.case_fields(guidance)
        characteristics = self.characteristics(data, domains)
        if characteristics is not None:
            data["rating_characteristics"] = characteristics
        data["applicability"], data["hurdles"] = self.rules(data)
        return data

    def guidance(self) -> dict[str, tuple[dict[str, Any], Cell, Cell]]:
        out: dict[str, tuple[dict[str, Any], Cell, Cell]] = {}
        for _row_no, row in self.sheets["Guidance"].rows:
            item = self.text(row, "item")
            if not item or not self.unique(out, item, row["item"], "guidance for"):
                continue
            g: dict[str, Any] = {}
            text = self.text(row, "guidance", required=False)
            welsh = self.text(row, "guidance (Welsh)", required=False)
            if text or not welsh:
                g["guidance"] = text
            if welsh:
                g["guidance_cy"] = welsh
            drafted, section = self.source(row)
            if not drafted:
                g["guidance_drafted"] = False
            if section:
                g["guidance_source_section"] = section
            out[item] = (g, row["guidance"], row["item"])
        return out

    def attach(self, item: dict[str, Any], path: str,
               guidance: dict[str, tuple[dict[str, Any], Cell, Cell]], used: set[str]) -> None:
        g = guidance.get(item["id"])
        if g is not None:
            item.update(g[0])
            used.add(item["id"])
            for key in g[0]:
                self.note(f"{path}.{key}", g[1])

    def domains(self, guidance: dict[str, tuple[dict[str, Any], Cell, Cell]]) -> list[Any]:
        domains: dict[str, dict[str, Any]] = {}
        standards: dict[str, dict[str, Any]] = {}
        kqs: dict[str, dict[str, Any]] = {}
        prompts: dict[str, dict[str, Any]] = {}
        paths: dict[str, str] = {}
        used: set[str] = set()
        for row_no, row in self.sheets["Domains"].rows:
            did = self.text(row, "id")
            if not did or not self.unique(domains, did, row["id"], "domain id"):
                continue
            path = f"domains[{len(domains)}]"
            d: dict[str, Any] = {"id": did}
            self.note(path, None, "Domains", row_no)
            self.note(f"{path}.id", row["id"])
            self.item_texts(d, row, path, "title", "title")
            d["standards"] = []
            domains[did], paths[did] = d, path
        for row_no, row in self.sheets["Standards"].rows:
            sid, parent = self.text(row, "id"), self.text(row, "domain")
            if not sid or not self.unique(standards, sid, row["id"], "standard id"):
                continue
            if parent not in domains:
                self.skipped.add(sid)
                if parent and parent not in self.skipped:
                    self.bad(row["domain"], _(
                        "{parent!r} is not a domain on the Domains sheet").format(parent=parent))
                continue
            path = f"{paths[parent]}.standards[{len(domains[parent]['standards'])}]"
            s: dict[str, Any] = {"id": sid}
            self.note(path, None, "Standards", row_no)
            self.note(f"{path}.id", row["id"])
            self.item_texts(s, row, path, "title", "title")
            self.item_texts(s, row, path, "text", "text")
            s["rated_by"] = self.text(row, "rated by")
            self.note(f"{path}.rated_by", row["rated by"])
            if self.yes(row, "adjustable"):
                s["adjustable"] = True
                self.note(f"{path}.adjustable", row["adjustable"])
            s["key_questions"] = []
            domains[parent]["standards"].append(s)
            standards[sid], paths[sid] = s, path
        for row_no, row in self.sheets["Key questions"].rows:
            kid, parent = self.text(row, "id"), self.text(row, "standard")
            if not kid or not self.unique(kqs, kid, row["id"], "key question id"):
                continue
            if parent not in standards:
                self.skipped.add(kid)
                if parent and parent not in self.skipped:
                    self.bad(row["standard"],
                             _("{parent!r} is not a standard on the Standards sheet").format(
                                 parent=parent))
                continue
            path = f"{paths[parent]}.key_questions[{len(standards[parent]['key_questions'])}]"
            k: dict[str, Any] = {"id": kid}
            self.note(path, None, "Key questions", row_no)
            self.note(f"{path}.id", row["id"])
            self.item_texts(k, row, path, "text", "text")
            for flag, column in (("qualitative", "qualitative"),
                                 ("allow_na", "allow not applicable")):
                if self.yes(row, column):
                    k[flag] = True
                    self.note(f"{path}.{flag}", row[column])
            self.provenance(k, row, path)
            self.continues(k, row, path)
            informed = self.text(row, "informed by", required=False)
            if informed.strip():
                k["informed_by"] = [i.strip() for i in informed.split(",")]
                self.note(f"{path}.informed_by", row["informed by"])
            self.attach(k, path, guidance, used)
            k["prompts"] = []
            standards[parent]["key_questions"].append(k)
            kqs[kid], paths[kid] = k, path
        for row_no, row in self.sheets["Prompts"].rows:
            pid, parent = self.text(row, "id"), self.text(row, "key question")
            if not pid or not self.unique(prompts, pid, row["id"], "prompt id"):
                continue
            if parent not in kqs:
                self.skipped.add(pid)
                if parent and parent not in self.skipped:
                    self.bad(row["key question"],
                             _("{parent!r} is not a key question on the Key questions "
                               "sheet").format(parent=parent))
                continue
            path = f"{paths[parent]}.prompts[{len(kqs[parent]['prompts'])}]"
            p: dict[str, Any] = {"id": pid}
            self.note(path, None, "Prompts", row_no)
            self.note(f"{path}.id", row["id"])
            self.item_texts(p, row, path, "text", "text")
            if self.yes(row, "allow not applicable"):
                p["allow_na"] = True
                self.note(f"{path}.allow_na", row["allow not applicable"])
            self.provenance(p, row, path)
            self.continues(p, row, path)
            self.attach(p, path, guidance, used)
            kqs[parent]["prompts"].append(p)
            prompts[pid] = p
        self._guidance_used = used
        self.ids = {"standard": set(standards), "kq": set(kqs), "prompt": set(prompts)}
        return list(domains.values())
    def case_fields(self, guidance: dict[str, tuple[dict[str, Any], Cell, Cell]]
                    ) -> tuple[list[Any], list[Any]]:
        fields: dict[str, dict[str, Any]] = {}
        lists: dict[str, list[Any]] = {"fact": [], "question": []}
        paths: dict[str, str] = {}
        used = self._guidance_used
        for row_no, row in self.sheets["Case facts"].rows:
            fid, kind = self.text(row, "id"), self.text(row, "kind")
            if not fid or not self.unique(fields, fid, row["id"], "case fact id"):
                continue
            if kind not in lists:
                self.skipped.add(fid)
                if kind:
                    self.bad(row["kind"], _("{kind!r} is not 'fact' or 'question'").format(
                        kind=kind))
                continue
            key = "case_facts" if kind == "fact" else "case_questions"
            path = f"{key}[{len(lists[kind])}]"
            f: dict[str, Any] = {"id": fid}
            self.note(path, None, "Case facts", row_no)
            self.note(f"{path}.id", row["id"])
            self.item_texts(f, row, path, "label", "label")
            self.provenance(f, row, path)
            self.attach(f, path, guidance, used)
            f["choices"] = []
            lists[kind].append(f)
            fields[fid], paths[fid] = f, path
        for row_no, row in self.sheets["Choices"].rows:
            fid = self.text(row, "case fact")
            if fid not in fields:
                if fid:
                    self.bad(row["case fact"], _("{fid!r} is not on the Case facts sheet").format(
                        fid=fid))
                continue
            path = f"{paths[fid]}.choices[{len(fields[fid]['choices'])}]"
            c: dict[str, Any] = {"value": self.text(row, "value")}
            self.note(path, None, "Choices", row_no)
            self.note(f"{path}.value", row["value"])
            self.item_texts(c, row, path, "label", "label")
            fields[fid]["choices"].append(c)
        for item, (_g, _text, cell) in guidance.items():
            if item not in used and item not in self.skipped:
                self.bad(cell, _("{item!r} is not a key question, prompt, case fact or case "
                         "question of this workbook").format(item=item))
        self.ids["field"] = set(fields)
        self.field_values = {k: {c["value"] for c in f["choices"]} for k, f in fields.items()}
        return lists["fact"], lists["question"]

    def characteristics(self, data: dict[str, Any], domains: list[Any]
                        ) -> dict[str, Any] | None:
        by_id = {s["id"]: s for d in domains for s in d["standards"]}
        general: dict[str, list[str]] | None = None
        for row_no, row in self.sheets["Rating characteristics"].rows:
            sid = self.text(row, "standard", required=False)
            kind = self.text(row, "kind")
            if kind not in ("outstanding", "inadequate"):
                if kind:
                    self.bad(row["kind"], _("{kind!r} is not 'outstanding' or 'inadequate'").format(
                        kind=kind))
                continue
            text = self.text(row, "text")
            welsh = self.text(row, "text (Welsh)", required=False)
            if sid and sid not in by_id:
                self.bad(row["standard"], _(
                    "{sid!r} is not a standard on the Standards sheet").format(sid=sid))
                continue
            if sid:
                target = by_id[sid].setdefault("rating_characteristics",
                                               {"outstanding": [], "inadequate": []})
                self.note(_path_of(domains, sid) + ".rating_characteristics", None,
                          "Rating characteristics", row_no)
            else:
                if general is None:
                    general = {"outstanding": [], "inadequate": []}
                target = general
                self.note("rating_characteristics", None, "Rating characteristics", row_no)
            target[kind].append(text)
            target.setdefault(f"{kind}_cy", []).append(welsh)
        for target in [general, *(s.get("rating_characteristics") for s in by_id.values())]:
            for kind in ("outstanding", "inadequate"):
                if target is not None and not any(target.get(f"{kind}_cy", ())):
                    target.pop(f"{kind}_cy", None)
        return general


_MISSING_KEY = re.compile(r"^missing key '(\w+)'$")


def _path_of(domains: list[Any], sid: str) -> str:
    for i, d in enumerate(domains):
        for j, s in enumerate(d["standards"]):
            if s["id"] == sid:
                return f"domains[{i}].standards[{j}]"
    return ""


Superseded = Callable[[Supersedes | None], Framework | None]
"""Given the built edition's ``supersedes``, the old edition to check its mapping against, or
None when it is not at hand (the mapping is then not checked)."""


def build_framework_data(sheets: WorkbookCells, superseded: Superseded | None = None
                         ) -> tuple[dict[str, Any], Framework]:
    """The framework file's content and the loaded framework; WorkbookFaults if any fault.

    With ``superseded``, the edition's mapping is checked against the old edition it gives
    (``edition_mapping.mapping_faults``), each fault named by the cell it comes from.
    """
    b = _Builder(sheets)
    data = b.build()
    if b.faults:
        raise WorkbookFaults(b.faults)
    try:
        fw = parse_framework(data, _SOURCE)
    except FrameworkError as e:
        m = _LOADER_FAULT.match(str(e))
        path, problem = (m.group(1) or "", m.group(2)) if m else ("", str(e))
        if not path and (missing := _MISSING_KEY.match(problem)):
            key = missing.group(1)
            sheet = next((s for s, keys in SECTIONS.items() if key in keys), "Framework")
            problem = _("no row gives {key!r} (a row with the path {key}, or its "
                        "parts)").format(key=key)
            o = Origin(sheet, None, "path")
        else:
            o = b.origin_of(path) if path else Origin("Framework", None, None)
        raise WorkbookFaults([fault(o.sheet, o.row, o.column, problem,
                                    TABLES.get(o.sheet, SECTION_COLUMNS))]) from None
    old = superseded(fw.supersedes) if superseded is not None else None
    if old is not None:
        faults = [_mapping_fault_line(b, f) for f in mapping_fault_places(old, fw)]
        if faults:
            raise WorkbookFaults(faults)
    return data, fw


def _mapping_fault_line(b: _Builder, f: MappingFault) -> str:
    """A mapping fault named by its cell.

    The item's continues (or continues shared) cell, or the Framework sheet's supersedes row.
    """
    row = b.item_rows.get(f.item) if f.item is not None else None
    if row is None:
        o = b.origins.get("supersedes.id") or b.origin_of("supersedes")
        return fault(o.sheet, o.row, o.column, f.message, SECTION_COLUMNS)
    cell = row["continues shared" if f.key == "continues_shared" else "continues"]
    return fault(cell.sheet, cell.row, cell.column, f.message, TABLES[cell.sheet])


def framework_file_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build_framework_file(workbook: Path, out: Path, superseded: Superseded | None = None
                         ) -> Framework:
    """Read, check and build ``workbook``; write ``out`` atomically only if all is sound."""
    data, fw = build_framework_data(read_workbook(workbook), superseded)
    write_atomic(out, framework_file_bytes(data))
    return fw
