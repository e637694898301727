"""A framework file's content as the workbook's rows, sheet by sheet (the export's half).

Works on the file's parsed JSON, not the loaded model, so every word goes out as the file
holds it (the loader rewords manual citations for the screen) and building the rows again
gives the same content hash.
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.frameworks.flat_json import flatten
from hmip_desktop.frameworks.workbook_layout import SECTIONS

Row = tuple[Any, ...]


def _yes(d: dict[str, Any], key: str) -> str:
    return "yes" if d.get(key) else ""


def source_cell(d: dict[str, Any], *, guidance: bool = False) -> str:
    """'drafted', 'verbatim' or 'verbatim: <section>' for an item's text or its guidance."""
    section = d.get("guidance_source_section" if guidance else "source_section")
    drafted = d.get("guidance_drafted", True) if guidance else d.get("drafted", False)
    if drafted:
        return "drafted"
    return f"verbatim: {section}" if section else "verbatim"


def _continues_cells(d: dict[str, Any]) -> tuple[str, str]:
    """The continues and continues shared cells: the old item's id or 'none', and 'yes'."""
    return d.get("continues", ""), _yes(d, "continues_shared")


def _condition_rows(rule: str, cond: dict[str, Any], node: str, out: list[Row]) -> None:
    if "ref" in cond:
        out.append((rule, node, "in", cond["ref"], ", ".join(cond["in"])))
        return
    op = next(iter(cond))
    out.append((rule, node, op, "", ""))
    parts = [cond[op]] if op == "not" else cond[op]
    for i, part in enumerate(parts, start=1):
        _condition_rows(rule, part, f"{node}.{i}", out)


def framework_rows(data: dict[str, Any]) -> dict[str, list[Row]]:
    """Every sheet's rows (without headings) for the framework file's ``data``."""
    out: dict[str, list[Row]] = {}
    for sheet, keys in SECTIONS.items():
        rows: list[Row] = []
        for key in keys:
            if key not in data:
                continue
            flat = list(flatten(data[key], key))
            beside = {path: value for path, _kind, value in flat if path.endswith("_cy")}
            for path, kind, value in flat:
                if path in beside:
                    continue  # in the Welsh column of its English row
                welsh = beside.get(f"{path}_cy", "")
                if path == "title" and "title_cy" in data:
                    welsh = data["title_cy"]
                rows.append((path, kind, value, welsh))
        out[sheet] = rows
    domains, standards, kqs, prompts, guidance = [], [], [], [], []
    characteristics: list[Row] = []
    if "rating_characteristics" in data:
        for kind in ("outstanding", "inadequate"):
            characteristics += _characteristic_rows("", data["rating_characteristics"], kind)
    for d in data["domains"]:
        domains.append((d["id"], d["title"], d.get("title_cy", "")))
        for s in d["standards"]:
            standards.append((s["id"], d["id"], s["title"], s.get("title_cy", ""), s["text"],
                              s.get("text_cy", ""), s["rated_by"], _yes(s, "adjustable")))
            own = s.get("rating_characteristics")
            if own:
                for kind in ("outstanding", "inadequate"):
                    characteristics += _characteristic_rows(s["id"], own, kind)
            for k in s["key_questions"]:
                kqs.append((k["id"], s["id"], k["text"], k.get("text_cy", ""),
                            _yes(k, "qualitative"), _yes(k, "allow_na"), source_cell(k),
                            *_continues_cells(k), ", ".join(k.get("informed_by", ()))))
                guidance += _guidance_rows(k)
                for p in k["prompts"]:
                    prompts.append((p["id"], k["id"], p["text"], p.get("text_cy", ""),
                                    _yes(p, "allow_na"), source_cell(p),
                                    *_continues_cells(p)))
                    guidance += _guidance_rows(p)
    facts, choices = [], []
    for kind, key in (("fact", "case_facts"), ("question", "case_questions")):
        for f in data[key]:
            facts.append((f["id"], kind, f["label"], f.get("label_cy", ""), source_cell(f)))
            guidance += _guidance_rows(f)
            choices += [(f["id"], c["value"], c["label"], c.get("label_cy", ""))
                        for c in f["choices"]]
    conditions: list[Row] = []
    rules = [(r["id"], ", ".join(r["items"]), r["reason"], r.get("reason_cy", ""))
             for r in data["applicability"]]
    for r in data["applicability"]:
        _condition_rows(r["id"], r["applies_when"], "1", conditions)
    hurdles = [(h["id"], h["item"], h["forces"], h["reason"], h.get("reason_cy", ""))
               for h in data["hurdles"]]
    for h in data["hurdles"]:
        _condition_rows(h["id"], h["when"], "1", conditions)
    out.update({
        "Domains": domains, "Standards": standards, "Key questions": kqs,
        "Prompts": prompts, "Guidance": guidance, "Case facts": facts, "Choices": choices,
        "Rating characteristics": characteristics, "Applicability": rules,
        "Hurdles": hurdles, "Conditions": conditions,
    })
    return out


def _guidance_rows(item: dict[str, Any]) -> list[Row]:
    if "guidance" not in item and "guidance_cy" not in item:
        return []
    return [(item["id"], item.get("guidance", ""), item.get("guidance_cy", ""),
             source_cell(item, guidance=True))]


def _characteristic_rows(standard: str, chars: dict[str, Any], kind: str) -> list[Row]:
    welsh = chars.get(f"{kind}_cy") or [""] * len(chars[kind])
    return [(standard, kind, t, w) for t, w in zip(chars[kind], welsh, strict=True)]
