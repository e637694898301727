"""Many answers saved in one go: a JSON Lines file of ``{"case", "item", "value"}`` objects.

A data team or a lead preparing inspections in bulk fills hundreds of answers from a script;
opening the workspace once per answer costs a key derivation each time. The whole file is read
and every line checked before anything is written, then every answer is saved through
``save_answer`` and so ``Workspace.save_item`` (validated, hurdles applied, audited exactly as
if saved singly) inside one transaction, so the file is applied whole or not at all. With
``partial`` each bad line is left out and named instead, and the good lines are still one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hmip_desktop.assessment.applicability import Answered, save_answer
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.strict_json import JsonError, parse_json_text
from hmip_desktop.text_rules import printable

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace

FIELDS = ("case", "item", "value")


@dataclass(frozen=True)
class BatchLine:
    """One answer of the file; ``number`` counts the file's lines from 1."""

    number: int
    case: str
    item: str
    value: str


@dataclass(frozen=True)
class BadLine:
    number: int
    reason: str

    def __str__(self) -> str:
        return _("line {n}: {reason}").format(n=self.number, reason=self.reason)


@dataclass(frozen=True)
class BatchResult:
    """What was saved (with the line each came from) and, when partial, what was not.

    Each saved answer says, as a single save does, when its item does not apply to the case.
    """

    saved: tuple[tuple[int, Answered], ...]
    bad: tuple[BadLine, ...]

    @property
    def changed(self) -> int:
        return sum(1 for _n, done in self.saved if done.change.changed)


class BatchRefused(UserError):
    """The file was refused whole; nothing was saved."""


def parse_lines(text: str) -> tuple[list[BatchLine], list[BadLine]]:
    """The file's answers and its lines that are not one answer each. Blank lines are skipped."""
    lines: list[BatchLine] = []
    bad: list[BadLine] = []
    # Lines end at a line feed only: JSON text may hold U+2028 and the like inside a string.
    for number, ended in enumerate(text.split("\n"), start=1):
        raw = ended.removesuffix("\r")
        if not raw.strip():
            continue
        try:
            value = parse_json_text(raw)
        except JsonError as e:
            bad.append(BadLine(number, str(e)))
            continue
        if not isinstance(value, dict):
            bad.append(BadLine(number, _('not an object such as {"case": …, "item": …, '
                                         '"value": …}')))
            continue
        missing = [k for k in FIELDS if k not in value]
        extra = sorted(k for k in value if k not in FIELDS)
        if missing or extra:
            what = (_("missing {keys}").format(keys=", ".join(missing)) if missing
                    else _("unknown {keys}").format(keys=", ".join(map(printable, extra))))
            bad.append(BadLine(number, what))
            continue
        if not all(isinstance(value[k], str) for k in FIELDS):
            bad.append(BadLine(number, _("case, item and value must each be text")))
            continue
        lines.append(BatchLine(number, value["case"], value["item"], value["value"]))
    return lines, bad


def apply_batch(ws: Workspace, text: str, *, partial: bool = False,
                strict: bool = False) -> BatchResult:
    """Save every answer of ``text`` in one transaction, or raise BatchRefused naming the line.

    Refused whole (unless ``partial``): a line that is not one answer, an unknown case, the
    same case and item twice, or any value ``save_item`` refuses (not valid for the item, a
    case of someone else's, a hurdle's forced value, a blocked form; with ``strict``, an item
    that does not apply to the case).
    """
    lines, bad = parse_lines(text)
    if bad and not partial:
        raise BatchRefused(_("nothing saved: {line}").format(line=bad[0]))
    resolved, unresolved = _resolve(ws, lines)
    bad.extend(unresolved)
    if bad and not partial:
        raise BatchRefused(_("nothing saved: {line}").format(line=min(bad, key=_number)))
    saved: list[tuple[int, Answered]] = []
    with ws.transaction():
        for line, case_id in resolved:
            try:
                saved.append((line.number, save_answer(ws, case_id, line.item, line.value,
                                                       strict=strict)))
            except UserError as e:
                # save_item ran in a savepoint of this transaction: its own writes are undone.
                if not partial:
                    raise BatchRefused(_("nothing saved: {line}").format(
                        line=BadLine(line.number, str(e)))) from None
                bad.append(BadLine(line.number, str(e)))
    return BatchResult(tuple(saved), tuple(sorted(bad, key=_number)))


def _number(line: BadLine) -> int:
    return line.number


def _resolve(ws: Workspace, lines: Sequence[BatchLine],
             ) -> tuple[list[tuple[BatchLine, str]], list[BadLine]]:
    """Each line with its case's id; unknown cases and repeated (case, item) pairs are bad."""
    found: dict[str, str] = {}
    first: dict[tuple[str, str], int] = {}
    good: list[tuple[BatchLine, str]] = []
    bad: list[BadLine] = []
    for line in lines:
        if line.case not in found:
            try:
                found[line.case] = ws.find_case(line.case).id
            except UserError as e:
                bad.append(BadLine(line.number, str(e)))
                continue
        case_id = found[line.case]
        key = (case_id, line.item)
        if key in first:
            bad.append(BadLine(line.number, _(
                "the same case and item as line {n}; give each answer once").format(
                    n=first[key])))
            continue
        first[key] = line.number
        good.append((line, case_id))
    return good, bad
