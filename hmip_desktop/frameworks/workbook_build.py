"""Build a framework file's content from a workbook's rows, and validate it with the loader.

Every fault found in the rows is one line naming the sheet, the row, the column and the
problem; all of them are reported at once. When the rows are sound, the loader checks the
whole file as it checks any framework, and its first fault is named by the cell it came from.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.frameworks.flat_json import PathError, loader_path, parse_path, place
from hmip_desktop.frameworks.loader import FrameworkError, parse_framework
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.frameworks.workbook_layout import SECTION_COLUMNS, SECTIONS, TABLES
from hmip_desktop.frameworks.workbook_read import (
    Cell,
    WorkbookCells,
    WorkbookFaults,
    fault,
    read_workbook,
)

_SOURCE = "workbook"
_LOADER_FAULT = re.compile(r"^workbook(?: at (.+?))?: (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Origin:
    sheet: str
    row: int | None
    column: str | None


class _Builder:
    def __init__(self, sheets: WorkbookCells) -> None:
        self.sheets = sheets
        self.faults: list[str] = list(sheets.faults)
        self.origins: dict[str, Origin] = {}
        self.skipped: set[str] = set()  # ids of rows already faulted, so not faulted again

    # -- cells ----------------------------------------------------------------------------

    def bad(self, cell: Cell, problem: str) -> None:
        if cell.faulted:
            return
        self.faults.append(fault(cell.sheet, cell.row, cell.column, problem,
                                 TABLES.get(cell.sheet, SECTION_COLUMNS)))

    def text(self, row: dict[str, Cell], column: str, *, required: bool = True) -> str:
        cell = row[column]
        v = cell.value
        if cell.faulted:
            return ""
        if v is None or v == "":
            if required:
                self.bad(cell, "must not be empty")
            return ""
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            self.bad(cell, f"expected text, found {v!r}: type it as text")
            return ""
        if isinstance(v, int | float):
            return str(int(v))
        if not isinstance(v, str):
            self.bad(cell, "expected text, found a date or time: type it as text")
            return ""
        return v

    def yes(self, row: dict[str, Cell], column: str) -> bool:
        v = self.text(row, column, required=False).strip().lower()
        if v not in ("", "yes", "no"):
            self.bad(row[column], f"{v!r} is not 'yes' (or empty)")
        return v == "yes"

    def source(self, row: dict[str, Cell]) -> tuple[bool, str]:
        """(drafted, section) from the source column."""
        v = self.text(row, "source").strip()
        if v == "drafted":
            return True, ""
        head, colon, section = v.partition(":")
        if head.strip() == "verbatim" and (not colon or section.strip()):
            return False, section.strip()
        if v:
            self.bad(row["source"], f"{v!r} is neither 'drafted' nor 'verbatim' (optionally "
                     "'verbatim: ' and the manual's section)")
        return False, ""

    def note(self, path: str, cell: Cell | None, sheet: str = "", row: int | None = None) -> None:
        if cell is not None:
            self.origins[path] = Origin(cell.sheet, cell.row, cell.column)
        else:
            self.origins[path] = Origin(sheet, row, None)

    def unique(self, seen: dict[str, Any], key: str, cell: Cell, what: str) -> bool:
        if key in seen:
            self.bad(cell, f"duplicate {what} {key!r}")
            return False
        return True

    # -- sheets ---------------------------------------------------------------------------

    def sections(self, data: dict[str, Any]) -> None:
        for sheet, keys in SECTIONS.items():
            for _row_no, row in self.sheets[sheet].rows:
                path = self.text(row, "path")
                kind = self.text(row, "type")
                if not path or not kind:
                    continue
                try:
                    tokens = parse_path(path)
                except PathError as e:
                    self.bad(row["path"], str(e))
                    continue
                if tokens[0] not in keys:
                    self.bad(row["path"], f"{tokens[0]!r} is not part of this sheet "
                             f"(it holds {', '.join(keys)})")
                    continue
                value = self.value(row, kind)
                if value is _BAD:
                    continue
                welsh = self.text(row, "value (Welsh)", required=False)
                try:
                    place(data, tokens, value)
                except PathError as e:
                    self.bad(row["path"], str(e))
                    continue
                self.note(loader_path(tokens), row["value"])
                if welsh:
                    if len(tokens) != 1 or kind != "text":
                        self.bad(row["value (Welsh)"], "the framework file holds Welsh here "
                                 "only for the title; leave it empty")
                        continue
                    data[f"{tokens[0]}_cy"] = welsh
                    self.note(f"{tokens[0]}_cy", row["value (Welsh)"])

    def value(self, row: dict[str, Cell], kind: str) -> Any:
        cell = row["value"]
        v = cell.value
        if cell.faulted:
            return _BAD
        if kind == "text":
            return "" if v is None else self.text(row, "value")
        if kind in ("empty list", "empty object"):
            if v not in (None, ""):
                self.bad(cell, f"an {kind} holds no value; leave it empty")
                return _BAD
            return [] if kind == "empty list" else {}
        if kind == "true or false":
            if isinstance(v, bool):
                return v
            if isinstance(v, str) and v.strip().upper() in ("TRUE", "FALSE"):
                return v.strip().upper() == "TRUE"
            self.bad(cell, f"expected TRUE or FALSE, found {v!r}")
            return _BAD
        if kind in ("whole number", "number"):
            if isinstance(v, str):
                with contextlib.suppress(ValueError):
                    v = json.loads(v.strip())
            if isinstance(v, bool) or not isinstance(v, int | float):
                self.bad(cell, f"expected a number, found {v!r}")
                return _BAD
            if kind == "whole number":
                if isinstance(v, float) and not v.is_integer():
                    self.bad(cell, f"expected a whole number, found {v!r}")
                    return _BAD
                return int(v)
            return float(v)
        self.bad(row["type"], f"{kind!r} is not one of text, number, whole number, true or "
                 "false, empty list, empty object")
        return _BAD

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

    def item_texts(self, item: dict[str, Any], row: dict[str, Cell], path: str,
                   text_key: str, column: str) -> None:
        item[text_key] = self.text(row, column)
        self.note(f"{path}.{text_key}", row[column])
        welsh = self.text(row, f"{column} (Welsh)", required=False)
        if welsh:
            item[f"{text_key}_cy"] = welsh
            self.note(f"{path}.{text_key}_cy", row[f"{column} (Welsh)"])

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
                    self.bad(row["domain"], f"{parent!r} is not a domain on the Domains sheet")
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
                             f"{parent!r} is not a standard on the Standards sheet")
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
                             f"{parent!r} is not a key question on the Key questions sheet")
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
            self.attach(p, path, guidance, used)
            kqs[parent]["prompts"].append(p)
            prompts[pid] = p
        self._guidance_used = used
        self.ids = {"standard": set(standards), "kq": set(kqs), "prompt": set(prompts)}
        return list(domains.values())

    def provenance(self, item: dict[str, Any], row: dict[str, Cell], path: str) -> None:
        drafted, section = self.source(row)
        if drafted:
            item["drafted"] = True
            self.note(f"{path}.drafted", row["source"])
        if section:
            item["source_section"] = section
            self.note(f"{path}.source_section", row["source"])

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
                    self.bad(row["kind"], f"{kind!r} is not 'fact' or 'question'")
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
                    self.bad(row["case fact"], f"{fid!r} is not on the Case facts sheet")
                continue
            path = f"{paths[fid]}.choices[{len(fields[fid]['choices'])}]"
            c: dict[str, Any] = {"value": self.text(row, "value")}
            self.note(path, None, "Choices", row_no)
            self.note(f"{path}.value", row["value"])
            self.item_texts(c, row, path, "label", "label")
            fields[fid]["choices"].append(c)
        for item, (_g, _text, cell) in guidance.items():
            if item not in used and item not in self.skipped:
                self.bad(cell, f"{item!r} is not a key question, prompt, case fact or case "
                         "question of this workbook")
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
                    self.bad(row["kind"], f"{kind!r} is not 'outstanding' or 'inadequate'")
                continue
            text = self.text(row, "text")
            if self.text(row, "text (Welsh)", required=False):
                self.bad(row["text (Welsh)"], "the framework file does not hold Welsh for "
                         "rating characteristics yet; leave it empty")
            if sid and sid not in by_id:
                self.bad(row["standard"], f"{sid!r} is not a standard on the Standards sheet")
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
        return general

    def rules(self, data: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        conditions = self.conditions()
        rules: list[Any] = []
        hurdles: list[Any] = []
        seen: dict[str, Any] = {}
        items = self.ids["standard"] | self.ids["kq"] | self.ids["prompt"]
        for row_no, row in self.sheets["Applicability"].rows:
            rid = self.text(row, "id")
            if not rid or not self.unique(seen, rid, row["id"], "rule id"):
                continue
            seen[rid] = True
            path = f"applicability[{len(rules)}]"
            self.note(path, None, "Applicability", row_no)
            listed = [x.strip() for x in self.text(row, "items").split(",") if x.strip()]
            for x in listed:
                if x not in items:
                    self.bad(row["items"], f"{x!r} is not a standard, key question or prompt "
                             "of this workbook")
            r: dict[str, Any] = {"id": rid, "items": listed}
            self.note(f"{path}.items", row["items"])
            r["applies_when"] = self.condition_of(conditions, rid, row["id"], path,
                                                  "applies_when")
            self.item_texts(r, row, path, "reason", "reason")
            rules.append(r)
        for row_no, row in self.sheets["Hurdles"].rows:
            hid = self.text(row, "id")
            if not hid or not self.unique(seen, hid, row["id"], "rule id"):
                continue
            seen[hid] = True
            path = f"hurdles[{len(hurdles)}]"
            self.note(path, None, "Hurdles", row_no)
            item = self.text(row, "key question")
            if item and item not in self.ids["kq"]:
                where = ("a prompt, not a key question" if item in self.ids["prompt"]
                         else "not a key question on the Key questions sheet")
                self.bad(row["key question"], f"{item!r} is {where}")
            h: dict[str, Any] = {"id": hid, "item": item}
            self.note(f"{path}.item", row["key question"])
            h["when"] = self.condition_of(conditions, hid, row["id"], path, "when")
            h["forces"] = self.text(row, "forces")
            self.note(f"{path}.forces", row["forces"])
            self.item_texts(h, row, path, "reason", "reason")
            hurdles.append(h)
        for rid, nodes in conditions.items():
            if rid not in seen:
                cell = next(iter(nodes.values()))[1]["rule"]
                self.bad(cell, f"{rid!r} is not a rule on the Applicability or Hurdles sheet")
        return rules, hurdles

    def conditions(self) -> dict[str, dict[str, tuple[int, dict[str, Cell]]]]:
        out: dict[str, dict[str, tuple[int, dict[str, Cell]]]] = {}
        for row_no, row in self.sheets["Conditions"].rows:
            rid, node = self.text(row, "rule"), self.text(row, "node").strip()
            if not rid or not node:
                continue
            if not re.fullmatch(r"1(\.[1-9][0-9]*)*", node):
                self.bad(row["node"], f"{node!r} is not a node such as 1, 1.2 or 1.2.1")
                continue
            nodes = out.setdefault(rid, {})
            if node in nodes:
                self.bad(row["node"], f"node {node} of {rid!r} is given twice")
                continue
            nodes[node] = (row_no, row)
        return out

    def condition_of(self, conditions: dict[str, dict[str, tuple[int, dict[str, Cell]]]],
                     rid: str, cell: Cell, path: str, key: str) -> Any:
        nodes = conditions.get(rid, {})
        if "1" not in nodes:
            self.bad(cell, f"the rule {rid!r} has no condition (node 1 on the Conditions sheet)")
            return {}
        return self.node(nodes, "1", f"{path}.{key}")

    def node(self, nodes: dict[str, tuple[int, dict[str, Cell]]], node: str, path: str) -> Any:
        row_no, row = nodes[node]
        self.note(path, None, "Conditions", row_no)
        op = self.text(row, "operator").strip()
        children = [n for n in nodes if n.rpartition(".")[0] == node]
        if op == "in":
            ref = self.text(row, "refers to")
            fields, prompts = self.ids["field"], self.ids["prompt"]
            allowed = (self.field_values.get(ref) if ref in fields
                       else {"yes", "no", "na"} if ref in prompts else None)
            if ref and allowed is None:
                self.bad(row["refers to"], f"{ref!r} is not a case fact, case question or "
                         "prompt of this workbook")
            values = [v.strip() for v in self.text(row, "values").split(",") if v.strip()]
            for v in values:
                if allowed is not None and v not in allowed:
                    self.bad(row["values"], f"{v!r} is not a value of {ref!r}")
            if children:
                self.bad(row["operator"], "an 'in' node has no parts under it")
            self.note(f"{path}.ref", row["refers to"])
            self.note(f"{path}.in", row["values"])
            return {"ref": ref, "in": values}
        if op not in ("all", "any", "not"):
            self.bad(row["operator"], f"{op!r} is not one of all, any, not, in")
            return {}
        ordered = sorted(children, key=lambda n: int(n.rpartition(".")[2]))
        if [int(n.rpartition(".")[2]) for n in ordered] != list(range(1, len(ordered) + 1)):
            self.bad(row["node"], f"the parts of node {node} must be numbered "
                     f"{node}.1, {node}.2, … without a gap")
            return {}
        if op == "not":
            if len(ordered) != 1:
                self.bad(row["operator"], "a 'not' node has exactly one part under it")
                return {}
            return {"not": self.node(nodes, ordered[0], f"{path}.not")}
        if not ordered:
            self.bad(row["operator"], f"an '{op}' node needs parts under it ({node}.1, …)")
            return {}
        return {op: [self.node(nodes, n, f"{path}.{op}[{i}]")
                     for i, n in enumerate(ordered)]}

    def origin_of(self, path: str) -> Origin:
        probe = path
        while probe:
            if probe in self.origins:
                return self.origins[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        top = path.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
        sheet = _TABLE_OF.get(top) or next(
            (s for s, keys in SECTIONS.items() if top in keys), "Framework")
        return Origin(sheet, None, None)


_BAD = object()
_TABLE_OF = {"domains": "Domains", "case_facts": "Case facts", "case_questions": "Case facts",
             "applicability": "Applicability", "hurdles": "Hurdles",
             "rating_characteristics": "Rating characteristics"}
_MISSING_KEY = re.compile(r"^missing key '(\w+)'$")


def _path_of(domains: list[Any], sid: str) -> str:
    for i, d in enumerate(domains):
        for j, s in enumerate(d["standards"]):
            if s["id"] == sid:
                return f"domains[{i}].standards[{j}]"
    return ""


def build_framework_data(sheets: WorkbookCells) -> tuple[dict[str, Any], Framework]:
    """The framework file's content and the loaded framework; WorkbookFaults if any fault."""
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
            problem = f"no row gives {key!r} (a row with the path {key}, or its parts)"
            o = Origin(sheet, None, "path")
        else:
            o = b.origin_of(path) if path else Origin("Framework", None, None)
        raise WorkbookFaults([fault(o.sheet, o.row, o.column, problem,
                                    TABLES.get(o.sheet, SECTION_COLUMNS))]) from None
    return data, fw


def framework_file_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build_framework_file(workbook: Path, out: Path) -> Framework:
    """Read, check and build ``workbook``; write ``out`` atomically only if all is sound."""
    data, fw = build_framework_data(read_workbook(workbook))
    write_atomic(out, framework_file_bytes(data))
    return fw
