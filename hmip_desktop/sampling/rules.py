"""The sampling rules of a framework file (its optional ``sampling`` section), typed and checked.

One ``SampleKind`` per case sample the manuals describe (adult domain two or primary, court
reports, victim contact, unpaid work, Through the Gate; youth post-court and out-of-court; the
one DIPP sample): the long list's columns and their types, the eligibility window relative to
fieldwork, the exclusion rules in the manual's words, the stratification, the size rule, the
constraints, the provisional margin and the reserves. A new edition of the rules is a new
framework file, not new code (docs/framework-format.md, "Sampling").

Parsing is strict like the rest of the framework file: unknown keys, wrong types and references
to columns that are not declared are refused with the JSON path and the fault. This module does
not import the framework model: the loader passes the case facts' values in and turns a
``SamplingRulesError`` into its own one-line refusal naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NoReturn

from hmip_desktop.i18n import _

ColumnType = Literal["text", "date", "number", "choice", "yes_no"]
COLUMN_TYPES: tuple[ColumnType, ...] = ("text", "date", "number", "choice", "yes_no")
YES_NO = ("yes", "no")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


class SamplingRulesError(ValueError):
    """The ``sampling`` section is not valid; ``path`` is the JSON path of the fault."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# -- conditions on long-list columns ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ColumnIn:
    """True when the row's value in ``column`` is one of ``values`` (an empty cell never is)."""

    column: str
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class DaysBetween:
    """True when both dates are filled and ``end`` is at most ``at_most`` days after ``start``."""

    start: str
    end: str
    at_most: int


@dataclass(frozen=True, slots=True)
class Repeats:
    """True when the row's (filled) value in ``column`` appears on more than one row."""

    column: str


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[RowCondition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[RowCondition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: RowCondition


RowCondition = ColumnIn | DaysBetween | Repeats | AllOf | AnyOf | Not


# -- the rules of one sample kind ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Column:
    """A long-list column: its id, the heading people see, its type and other headings."""

    id: str
    label: str
    type: ColumnType
    required: bool = True
    choices: tuple[str, ...] = ()  # the values of a choice or yes/no column
    choice_labels: Mapping[str, str] | None = None  # value → label, also accepted in a cell
    aliases: tuple[str, ...] = ()
    fact: str = ""  # the case fact this column fills, if any


@dataclass(frozen=True, slots=True)
class Window:
    """Eligible dates in ``column``, counted back from the first day of fieldwork.

    On or after fieldwork − ``start_before`` and before fieldwork − ``end_before`` (in ``unit``).
    """

    column: str
    start_before: int
    end_before: int
    unit: Literal["days", "weeks"]

    def days(self) -> tuple[int, int]:
        """(start, end) in days before the first day of fieldwork."""
        k = 7 if self.unit == "weeks" else 1
        return self.start_before * k, self.end_before * k


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An exclusion rule: ``words`` as the manual says it, ``source`` by title and section.

    ``firm`` rules exclude (the lead may still overrule, with a reason); the others are
    potential exclusions the lead considers.
    """

    id: str
    words: str
    source: str
    when: RowCondition
    firm: bool = True


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """Facts that cannot both be true of one case: a row meeting ``when`` is refused."""

    id: str
    words: str
    when: RowCondition


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    when: RowCondition


@dataclass(frozen=True, slots=True)
class Stratification:
    """Either variables (the stratum is the row's value in each) or named groups (first match)."""

    variables: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganisationTable:
    """Sizes by inspected organisation, from the manual's cluster table."""

    sizes: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class SplitRatio:
    """The kind's share of a combined sample whose total is population-driven (youth 60/40)."""

    share_percent: int
    confidence_percent: int
    margin_points: int


@dataclass(frozen=True, slots=True)
class PopulationDriven:
    """A size from the eligible population for ``confidence_percent`` and ±``margin_points``."""

    confidence_percent: int
    margin_points: int


@dataclass(frozen=True, slots=True)
class Fixed:
    """A size the manual estimates rather than calculates."""

    size: int


SizeRule = OrganisationTable | SplitRatio | PopulationDriven | Fixed


@dataclass(frozen=True, slots=True)
class SampleKind:
    id: str
    label: str
    source: str
    columns: tuple[Column, ...]
    case_id_column: str
    window: Window | None
    exclusions: tuple[Exclusion, ...]
    inconsistencies: tuple[Inconsistency, ...]
    stratification: Stratification
    size: SizeRule
    min_per_pdu: int
    max_per_practitioner: int
    provisional_margin_percent: int
    reserves: int
    pdu_column: str = ""
    practitioner_column: str = ""
    marked_exclusion_column: str = ""  # where the organisation marks potential exclusions
    sample_value: str = ""  # the value of the case fact ``sample`` its cases take
    spread: bool = False  # stage 1: each stratum's cases spread across the PDUs (000_ §4.2)

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)


@dataclass(frozen=True, slots=True)
class SamplingRules:
    kinds: tuple[SampleKind, ...]
    organisations: Mapping[str, str]  # name → cluster, from the manual's table

    def kind(self, kind_id: str) -> SampleKind:
        for k in self.kinds:
            if k.id == kind_id:
                return k
        raise KeyError(kind_id)


# -- parsing ---------------------------------------------------------------------------------

def _fail(path: str, message: str) -> NoReturn:
    raise SamplingRulesError(path, message)


def _obj(v: Any, path: str, required: set[str], optional: set[str] | None = None
         ) -> dict[str, Any]:
    if not isinstance(v, dict):
        _fail(path, _("expected an object"))
    missing = sorted(required - v.keys())
    if missing:
        _fail(path, _("missing key {key!r}").format(key=missing[0]))
    unknown = sorted(v.keys() - required - (optional or set()))
    if unknown:
        _fail(path, _("unknown key {key!r}").format(key=unknown[0]))
    return v


def _str(d: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
    v = d.get(key, default)
    if not isinstance(v, str) or not v.strip():
        _fail(f"{path}.{key}", _("expected non-empty text"))
    return v


def _int(d: dict[str, Any], key: str, path: str, default: int | None = None, *,
         low: int = 0, high: int = 1_000_000) -> int:
    v = d.get(key, default)
    if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high:
        _fail(f"{path}.{key}", _("expected a whole number from {low} to {high}").format(
            low=low, high=high))
    return v


def _list(d: dict[str, Any], key: str, path: str, *, empty: bool = True) -> list[Any]:
    v = d.get(key, [])
    if not isinstance(v, list):
        _fail(f"{path}.{key}", _("expected a list"))
    if not empty and not v:
        _fail(f"{path}.{key}", _("must not be empty"))
    return v


def _snake(d: dict[str, Any], key: str, path: str) -> str:
    v = _str(d, key, path)
    if not _SNAKE.match(v):
        _fail(f"{path}.{key}", _("{id!r} is not a snake_case id").format(id=v))
    return v


def parse_sampling(data: Any, facts: Mapping[str, Mapping[str, str]]) -> SamplingRules:
    """The typed rules of a ``sampling`` section; ``facts`` is each case fact's value → label."""
    top = _obj(data, "sampling", {"kinds"}, {"organisations"})
    orgs_raw = top.get("organisations", {})
    if not isinstance(orgs_raw, dict):
        _fail("sampling.organisations", _("expected an object of organisation → cluster"))
    organisations: dict[str, str] = {}
    for name, cluster in orgs_raw.items():
        if not isinstance(cluster, str) or not cluster.strip():
            _fail(f"sampling.organisations.{name}", _("expected the cluster as text"))
        organisations[name] = cluster
    kinds_raw = _list(top, "kinds", "sampling", empty=False)
    kinds = tuple(_kind(v, f"sampling.kinds[{i}]", facts, organisations)
                  for i, v in enumerate(kinds_raw))
    ids = [k.id for k in kinds]
    if len(set(ids)) != len(ids):
        _fail("sampling.kinds", _("two kinds have the same id"))
    return SamplingRules(kinds=kinds, organisations=organisations)


def _kind(v: Any, p: str, facts: Mapping[str, Mapping[str, str]],
          organisations: Mapping[str, str]) -> SampleKind:
    d = _obj(v, p, {"id", "label", "source", "columns", "case_id_column", "stratification",
                    "size", "provisional_margin_percent", "reserves"},
             {"window", "exclusions", "inconsistencies", "constraints", "pdu_column",
              "practitioner_column", "marked_exclusion_column", "sample_value", "spread"})
    columns = tuple(_column(c, f"{p}.columns[{i}]", facts)
                    for i, c in enumerate(_list(d, "columns", p, empty=False)))
    by_id = {c.id: c for c in columns}
    if len(by_id) != len(columns):
        _fail(f"{p}.columns", _("two columns have the same id"))

    def ref(key: str, *, types: tuple[ColumnType, ...] = COLUMN_TYPES) -> str:
        if key not in d:
            return ""
        name = _str(d, key, p)
        if name not in by_id:
            _fail(f"{p}.{key}", _("{name!r} is not a column of this kind").format(name=name))
        if by_id[name].type not in types:
            _fail(f"{p}.{key}", _("{name!r} must be a {types} column").format(
                name=name, types=" / ".join(types)))
        return name

    case_id = ref("case_id_column", types=("text",))
    if not by_id[case_id].required:
        _fail(f"{p}.case_id_column", _("the case id column must be required"))
    window = None
    if "window" in d:
        w = _obj(d["window"], f"{p}.window", {"column", "start_before", "end_before", "unit"})
        column = _str(w, "column", f"{p}.window")
        if column not in by_id or by_id[column].type != "date":
            _fail(f"{p}.window.column", _("{name!r} is not a date column of this kind").format(
                name=column))
        unit = _str(w, "unit", f"{p}.window")
        if unit not in ("days", "weeks"):
            _fail(f"{p}.window.unit", _("{unit!r} is not 'days' or 'weeks'").format(unit=unit))
        start = _int(w, "start_before", f"{p}.window", high=520)
        end = _int(w, "end_before", f"{p}.window", high=520)
        if end >= start:
            _fail(f"{p}.window", _("start_before must be further from fieldwork than end_before"))
        window = Window(column=column, start_before=start, end_before=end,
                        unit=unit)  # type: ignore[arg-type]

    def cond(x: Any, cp: str) -> RowCondition:
        return _condition(x, cp, by_id)

    exclusions = []
    for i, x in enumerate(_list(d, "exclusions", p)):
        xp = f"{p}.exclusions[{i}]"
        e = _obj(x, xp, {"id", "words", "source", "when"}, {"firm"})
        firm = e.get("firm", True)
        if not isinstance(firm, bool):
            _fail(f"{xp}.firm", _("expected true or false"))
        exclusions.append(Exclusion(id=_snake(e, "id", xp), words=_str(e, "words", xp),
                                    source=_str(e, "source", xp), when=cond(e["when"],
                                                                            f"{xp}.when"),
                                    firm=firm))
    if len({e.id for e in exclusions}) != len(exclusions):
        _fail(f"{p}.exclusions", _("two exclusions have the same id"))
    inconsistencies = []
    for i, x in enumerate(_list(d, "inconsistencies", p)):
        xp = f"{p}.inconsistencies[{i}]"
        e = _obj(x, xp, {"id", "words", "when"})
        inconsistencies.append(Inconsistency(id=_snake(e, "id", xp), words=_str(e, "words", xp),
                                             when=cond(e["when"], f"{xp}.when")))
    strat = _stratification(d["stratification"], f"{p}.stratification", by_id, cond)
    size = _size(d["size"], f"{p}.size", organisations)
    constraints = _obj(d.get("constraints", {}), f"{p}.constraints", set(),
                       {"min_per_pdu", "max_per_practitioner"})
    pdu = ref("pdu_column", types=("text", "choice"))
    practitioner = ref("practitioner_column", types=("text",))
    min_pdu = _int(constraints, "min_per_pdu", f"{p}.constraints", 0, high=1000)
    max_prac = _int(constraints, "max_per_practitioner", f"{p}.constraints", 0, high=1000)
    if min_pdu and not pdu:
        _fail(f"{p}.constraints.min_per_pdu", _("a minimum per PDU needs a pdu_column"))
    if max_prac and not practitioner:
        _fail(f"{p}.constraints.max_per_practitioner",
              _("a maximum per practitioner needs a practitioner_column"))
    spread = d.get("spread", False)
    if not isinstance(spread, bool):
        _fail(f"{p}.spread", _("expected true or false"))
    if spread and not pdu:
        _fail(f"{p}.spread", _("spreading across PDUs needs a pdu_column"))
    sample_value = ""
    if "sample_value" in d:
        sample_value = _str(d, "sample_value", p)
        if sample_value not in facts.get("sample", {}):
            _fail(f"{p}.sample_value", _("{value!r} is not a value of the case fact "
                                         "'sample'").format(value=sample_value))
    return SampleKind(
        id=_snake(d, "id", p), label=_str(d, "label", p), source=_str(d, "source", p),
        columns=columns, case_id_column=case_id, window=window, exclusions=tuple(exclusions),
        inconsistencies=tuple(inconsistencies), stratification=strat, size=size,
        min_per_pdu=min_pdu, max_per_practitioner=max_prac,
        provisional_margin_percent=_int(d, "provisional_margin_percent", p, high=100),
        reserves=_int(d, "reserves", p, high=1000), pdu_column=pdu,
        practitioner_column=practitioner,
        marked_exclusion_column=ref("marked_exclusion_column"), sample_value=sample_value,
        spread=spread,
    )


def _column(v: Any, p: str, facts: Mapping[str, Mapping[str, str]]) -> Column:
    d = _obj(v, p, {"id", "label", "type"}, {"required", "choices", "aliases", "fact"})
    ctype = _str(d, "type", p)
    if ctype not in COLUMN_TYPES:
        _fail(f"{p}.type", _("{value!r} is not one of {choices}").format(
            value=ctype, choices=", ".join(COLUMN_TYPES)))
    required = d.get("required", True)
    if not isinstance(required, bool):
        _fail(f"{p}.required", _("expected true or false"))
    aliases = tuple(_str({"a": a}, "a", f"{p}.aliases[{i}]")
                    for i, a in enumerate(_list(d, "aliases", p)))
    labels: dict[str, str] = {}
    fact = ""
    if "fact" in d:
        fact = _str(d, "fact", p)
        if fact not in facts:
            _fail(f"{p}.fact", _("{id!r} is not a case fact of this framework").format(id=fact))
        if ctype != "choice" or "choices" in d:
            _fail(f"{p}.fact", _("a column filling a case fact is a choice column whose choices "
                  "are the fact's"))
        labels = dict(facts[fact])
    elif ctype == "choice":
        for i, c in enumerate(_list(d, "choices", p, empty=False)):
            cp = f"{p}.choices[{i}]"
            cd = _obj(c, cp, {"value", "label"})
            value = _snake(cd, "value", cp)
            if value in labels:
                _fail(cp, _("duplicate choice value {value!r}").format(value=value))
            labels[value] = _str(cd, "label", cp)
    elif "choices" in d:
        _fail(f"{p}.choices", _("only a choice column has choices"))
    elif ctype == "yes_no":
        labels = {"yes": "Yes", "no": "No"}
    return Column(id=_snake(d, "id", p), label=_str(d, "label", p), type=ctype,
                  required=required, choices=tuple(labels), choice_labels=labels or None,
                  aliases=aliases, fact=fact)


def _condition(v: Any, p: str, columns: Mapping[str, Column]) -> RowCondition:
    if not isinstance(v, dict) or not v:
        _fail(p, _("expected a condition object"))
    if "column" in v:
        d = _obj(v, p, {"column", "in"})
        name = _str(d, "column", p)
        column = columns.get(name)
        if column is None:
            _fail(f"{p}.column", _("{name!r} is not a column of this kind").format(name=name))
        values = _list(d, "in", p, empty=False)
        for i, val in enumerate(values):
            if column.choices and val not in column.choices:
                _fail(f"{p}.in[{i}]", _("{value!r} is not a value of {ref!r}").format(
                    value=val, ref=name))
            if not isinstance(val, str):
                _fail(f"{p}.in[{i}]", _("expected text"))
        return ColumnIn(column=name, values=frozenset(values))
    if "days_between" in v:
        d = _obj(v, p, {"days_between", "at_most"})
        pair = d["days_between"]
        if (not isinstance(pair, list) or len(pair) != 2
                or any(c not in columns or columns[c].type != "date" for c in pair)):
            _fail(f"{p}.days_between", _("expected two date columns of this kind"))
        return DaysBetween(start=pair[0], end=pair[1], at_most=_int(d, "at_most", p))
    if "repeats" in v:
        d = _obj(v, p, {"repeats"})
        name = _str(d, "repeats", p)
        if name not in columns:
            _fail(f"{p}.repeats", _("{name!r} is not a column of this kind").format(name=name))
        return Repeats(column=name)
    if "all" in v or "any" in v:
        key = "all" if "all" in v else "any"
        d = _obj(v, p, {key})
        parts = tuple(_condition(x, f"{p}.{key}[{i}]", columns)
                      for i, x in enumerate(_list(d, key, p, empty=False)))
        return AllOf(parts) if key == "all" else AnyOf(parts)
    if "not" in v:
        d = _obj(v, p, {"not"})
        return Not(_condition(d["not"], f"{p}.not", columns))
    _fail(p, _("a condition needs one of 'column', 'days_between', 'repeats', 'all', 'any' "
          "or 'not'"))


def _stratification(v: Any, p: str, columns: Mapping[str, Column],
                    cond: Any) -> Stratification:
    d = _obj(v, p, set(), {"variables", "groups"})
    if "variables" in d and "groups" in d:
        _fail(p, _("give variables or groups, not both"))
    variables = []
    for i, name in enumerate(_list(d, "variables", p)):
        if not isinstance(name, str) or name not in columns:
            _fail(f"{p}.variables[{i}]", _("{name!r} is not a column of this kind").format(
                name=name))
        if columns[name].type not in ("choice", "yes_no", "text") or not columns[name].required:
            _fail(f"{p}.variables[{i}]", _("{name!r} must be a required choice or text "
                                           "column").format(name=name))
        variables.append(name)
    groups = []
    for i, g in enumerate(_list(d, "groups", p)):
        gp = f"{p}.groups[{i}]"
        gd = _obj(g, gp, {"label", "when"})
        groups.append(Group(label=_str(gd, "label", gp), when=cond(gd["when"], f"{gp}.when")))
    if len({g.label for g in groups}) != len(groups):
        _fail(f"{p}.groups", _("two groups have the same label"))
    return Stratification(variables=tuple(variables), groups=tuple(groups))


def _size(v: Any, p: str, organisations: Mapping[str, str]) -> SizeRule:
    d = _obj(v, p, {"rule"}, {"sizes", "share_percent", "confidence_percent", "margin_points",
                              "size"})
    rule = _str(d, "rule", p)
    if rule == "organisation_table":
        _obj(d, p, {"rule", "sizes"})
        sizes = d["sizes"]
        if not isinstance(sizes, dict) or not sizes:
            _fail(f"{p}.sizes", _("expected an object of organisation → size"))
        for name in sizes:
            if name not in organisations:
                _fail(f"{p}.sizes", _("{name!r} is not in sampling.organisations").format(
                    name=name))
            _int(sizes, name, f"{p}.sizes", low=1, high=10_000)
        return OrganisationTable(sizes=dict(sizes))
    if rule == "split":
        _obj(d, p, {"rule", "share_percent", "confidence_percent", "margin_points"})
        return SplitRatio(share_percent=_int(d, "share_percent", p, low=1, high=100),
                          confidence_percent=_int(d, "confidence_percent", p, low=50, high=99),
                          margin_points=_int(d, "margin_points", p, low=1, high=50))
    if rule == "population":
        _obj(d, p, {"rule", "confidence_percent", "margin_points"})
        return PopulationDriven(
            confidence_percent=_int(d, "confidence_percent", p, low=50, high=99),
            margin_points=_int(d, "margin_points", p, low=1, high=50))
    if rule == "fixed":
        _obj(d, p, {"rule", "size"})
        return Fixed(size=_int(d, "size", p, low=1, high=10_000))
    _fail(f"{p}.rule", _("{value!r} is not one of {choices}").format(
        value=rule, choices="organisation_table, split, population, fixed"))
