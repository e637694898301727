"""Sub-group tables: each case-answered key question by the groups of a reportable case fact.

003_ §5.9: "We will collect data on protected characteristics during our inspections, enabling
us to periodically report in an aggregated way on the delivery for differing sub-groups." The
framework names the facts reported on (``publication.sub_groups``: gender, age band, ethnic
group, disability in the shipped files). A table counts exactly the cases the consolidation
counted (``counting.CountRule``), with their effective judgements, so its "All cases" column is
the key-question table's. A case without a value for the fact (one imported before the fact
existed) is counted as "Not recorded".

These are the internal figures. Published, they go through ``suppression``
(``published_lines``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hmip_desktop.consolidation.counting import case_rows
from hmip_desktop.consolidation.suppression import SuppressedLine, suppress_line
from hmip_desktop.consolidation.tables import Consolidation
from hmip_desktop.frameworks.model import NOT_RECORDED, CaseField
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import whole_percent
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class GroupCell:
    yes: int
    n: int
    """Cases judged yes or no on the key question in the group."""

    @property
    def percent(self) -> int | None:
        return None if self.n == 0 else whole_percent(self.yes, self.n)


@dataclass(frozen=True)
class SubgroupRow:
    kq_id: str
    text: str
    cells: tuple[GroupCell, ...]
    """One per group, in ``SubgroupTable.groups`` order."""
    total: GroupCell


@dataclass(frozen=True)
class SubgroupTable:
    fact_id: str
    label: str
    groups: tuple[tuple[str, str], ...]
    """(value, label) of each group, the framework's order, "Not recorded" last."""
    cases: tuple[int, ...]
    """Counted cases in each group."""
    rows: tuple[SubgroupRow, ...]

    @property
    def counted(self) -> int:
        return sum(self.cases)


def subgroup_tables(ws: Workspace, c: Consolidation) -> tuple[SubgroupTable, ...]:
    """One table per reportable case fact of the inspection's framework."""
    fw = c.framework
    facts = {r.id: r.facts for r in case_rows(ws, c.inspection_id)}
    return tuple(group_table(fw.fields_by_id[fid], c, facts)
                 for fid in fw.publication.sub_groups if fid in fw.fields_by_id)


def group_table(fact: CaseField, c: Consolidation,
                facts: Mapping[str, Mapping[str, str]]) -> SubgroupTable:
    """The table for one fact, from the counted cases' facts and judgements."""
    values = list(fact.values)
    labels = {ch.value: ch.label for ch in fact.choices}
    if NOT_RECORDED not in values:
        values.append(NOT_RECORDED)
        labels[NOT_RECORDED] = _("Not recorded")
    else:  # "Not recorded" last, whatever the file's order
        values.remove(NOT_RECORDED)
        values.append(NOT_RECORDED)
    column = {v: i for i, v in enumerate(values)}
    kq_rows = [r for t in c.tables for r in t.rows]
    index = {r.kq_id: k for k, r in enumerate(kq_rows)}
    yes = [[0] * len(values) for _ in kq_rows]
    n = [[0] * len(values) for _ in kq_rows]
    cases = [0] * len(values)
    for cid in c.counted_case_ids:
        g = column.get(facts.get(cid, {}).get(fact.id, NOT_RECORDED), column[NOT_RECORDED])
        cases[g] += 1
        for kq_id, judged in c.judgements.get(cid, {}).items():
            k = index.get(kq_id)
            if k is None or judged not in ("yes", "no"):
                continue
            n[k][g] += 1
            if judged == "yes":
                yes[k][g] += 1
    rows = tuple(
        SubgroupRow(r.kq_id, r.text,
                    tuple(GroupCell(y, m) for y, m in zip(yes[k], n[k], strict=True)),
                    GroupCell(sum(yes[k]), sum(n[k])))
        for k, r in enumerate(kq_rows))
    return SubgroupTable(fact.id, fact.label, tuple((v, labels[v]) for v in values),
                         tuple(cases), rows)


def published_lines(table: SubgroupTable, threshold: int
                    ) -> tuple[SuppressedLine, tuple[SuppressedLine, ...]]:
    """The table's lines as published: the cases per group, then each key question's."""
    return (suppress_line(table.cases, threshold),
            tuple(suppress_line([cell.n for cell in row.cells], threshold)
                  for row in table.rows))
