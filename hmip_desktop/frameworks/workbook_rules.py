"""The applicability rules, hurdles and their conditions of a framework workbook."""

from __future__ import annotations

import re
from typing import Any

from hmip_desktop.frameworks.workbook_cells import CellBuilder
from hmip_desktop.frameworks.workbook_read import Cell
from hmip_desktop.i18n import _

Nodes = dict[str, tuple[int, dict[str, Cell]]]


class RulesBuilder(CellBuilder):
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
                    self.bad(row["items"], _("{x!r} is not a standard, key question or prompt "
                             "of this workbook").format(x=x))
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
                self.bad(row["key question"], _("{item!r} is {where}").format(
                    item=item, where=where))
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
                self.bad(cell, _(
                    "{rid!r} is not a rule on the Applicability or Hurdles sheet").format(rid=rid))
        return rules, hurdles

    def conditions(self) -> dict[str, dict[str, tuple[int, dict[str, Cell]]]]:
        out: dict[str, dict[str, tuple[int, dict[str, Cell]]]] = {}
        for row_no, row in self.sheets["Conditions"].rows:
            rid, node = self.text(row, "rule"), self.text(row, "node").strip()
            if not rid or not node:
                continue
            if not re.fullmatch(r"1(\.[1-9][0-9]*)*", node):
                self.bad(row["node"], _("{node!r} is not a node such as 1, 1.2 or 1.2.1").format(
                    node=node))
                continue
            nodes = out.setdefault(rid, {})
            if node in nodes:
                self.bad(row["node"], _("node {node} of {rid!r} is given twice").format(
                    node=node, rid=rid))
                continue
            nodes[node] = (row_no, row)
        return out

    def condition_of(self, conditions: dict[str, dict[str, tuple[int, dict[str, Cell]]]],
                     rid: str, cell: Cell, path: str, key: str) -> Any:
        nodes = conditions.get(rid, {})
        if "1" not in nodes:
            self.bad(cell, _("the rule {rid!r} has no condition (node 1 on the Conditions "
                             "sheet)").format(rid=rid))
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
                self.bad(row["refers to"], _("{ref!r} is not a case fact, case question or "
                         "prompt of this workbook").format(ref=ref))
            values = [v.strip() for v in self.text(row, "values").split(",") if v.strip()]
            for v in values:
                if allowed is not None and v not in allowed:
                    self.bad(row["values"], _("{v!r} is not a value of {ref!r}").format(
                        v=v, ref=ref))
            if children:
                self.bad(row["operator"], _("an 'in' node has no parts under it"))
            self.note(f"{path}.ref", row["refers to"])
            self.note(f"{path}.in", row["values"])
            return {"ref": ref, "in": values}
        if op not in ("all", "any", "not"):
            self.bad(row["operator"], _("{op!r} is not one of all, any, not, in").format(op=op))
            return {}
        ordered = sorted(children, key=lambda n: int(n.rpartition(".")[2]))
        if [int(n.rpartition(".")[2]) for n in ordered] != list(range(1, len(ordered) + 1)):
            self.bad(row["node"], _("the parts of node {node} must be numbered "
                     "{node}.1, {node}.2, … without a gap").format(node=node))
            return {}
        if op == "not":
            if len(ordered) != 1:
                self.bad(row["operator"], _("a 'not' node has exactly one part under it"))
                return {}
            return {"not": self.node(nodes, ordered[0], f"{path}.not")}
        if not ordered:
            self.bad(row["operator"], _("an '{op}' node needs parts under it ({node}.1, …)").format(
                op=op, node=node))
            return {}
        return {op: [self.node(nodes, n, f"{path}.{op}[{i}]")
                     for i, n in enumerate(ordered)]}
