"""Read a framework file, check every part of it, and build a ``Framework``.

Parsing is strict: unknown keys, wrong types, ids that do not nest, dangling references and
bands with gaps are all refused with one message naming the file, the JSON path and the fault.
A hand-written parser rather than a JSON-schema library because most of the checks are about
meaning (nesting, references, band coverage) that a schema cannot express, and the parser
builds the typed model in the same pass. Guidance and the reasons of applicability rules and
hurdles are read as people will: a manual cited by its file prefix is cited by its title.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import (
    NO_PREDECESSOR,
    TEAM_ROLES,
    WELSH_SOURCES,
    AlertParams,
    AllOf,
    AnyOf,
    ApplicabilityRule,
    CaseField,
    Characteristics,
    Choice,
    Condition,
    Discretion,
    Domain,
    Framework,
    Hurdle,
    KeyQuestion,
    Not,
    OverallBand,
    Prompt,
    Publication,
    QaParams,
    RatingBand,
    Ref,
    RoshPair,
    Standard,
    Supersedes,
    TeamParams,
)
from hmip_desktop.i18n import _
from hmip_desktop.rules.scale import RATINGS
from hmip_desktop.sampling.rules import SamplingRules, SamplingRulesError, parse_sampling
from hmip_desktop.setup.week_rules import ScheduleRules, ScheduleRulesError, parse_schedule
from hmip_desktop.strict_json import JsonError, parse_json
from hmip_desktop.text_rules import text_fault
from hmip_desktop.wording import cite_manuals

FORMAT_VERSION = 1
MAX_CASES_PER_ROLE = 40
_FRAMEWORK_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMERIC_ID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # a str.format field, as a text might hold one
_PROMPT_LETTER = re.compile(r"^[a-z]{1,2}$")
# What a screen could take for markup: a tag, a comment, a declaration, or an entity.
_MARKUP = re.compile(r"<[A-Za-z/!?]|&(#?[A-Za-z0-9]+);")

T = TypeVar("T")


class FrameworkError(UserError):
    """A framework file is missing, unreadable or not valid; the message says where and why."""


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Reader:
    """Walks the parsed JSON, remembering the path so every error can name its place."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.welsh: dict[str, str] = {}
        """Each English text given a Welsh one, mapped to it (the first, if given twice)."""

    def keep_welsh(self, english: Any, welsh: str, path: str) -> None:
        """Remember the Welsh of a text; its placeholders must be the English's."""
        if not isinstance(english, str):
            return
        if sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(welsh)):
            marks = ", ".join(sorted(_PLACEHOLDER.findall(english))) or _("none")
            self.fail(path, _("the Welsh has other placeholders than the English "
                              "({placeholders})").format(placeholders=marks))
        self.welsh.setdefault(english, welsh)

    def fail(self, path: str, message: str) -> NoReturn:
        if path:
            raise FrameworkError(_("{file} at {place}: {reason}").format(
                file=self.source, place=path, reason=message))
        raise FrameworkError(_("{file}: {reason}").format(file=self.source, reason=message))

    def obj(
        self, value: Any, path: str, required: set[str], optional: set[str] = frozenset()  # type: ignore[assignment]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("expected an object, found {kind}").format(kind=_kind(value)))
        missing = sorted(required - value.keys())
        if missing:
            self.fail(path, _("missing key {key!r}").format(key=missing[0]))
        unknown = sorted(value.keys() - required - optional)
        if unknown:
            self.fail(path, _("unknown key {key!r}").format(key=unknown[0]))
        return value

    def str_(self, d: dict[str, Any], key: str, path: str, *, empty: bool = False) -> str:
        v = d.get(key, "")
        if not isinstance(v, str):
            self.fail(_join(path, key), _("expected text, found {kind}").format(kind=_kind(v)))
        if not empty and not v.strip():
            self.fail(_join(path, key), _("must not be empty"))
        return self.plain(v, _join(path, key))

    def plain(self, text: str, path: str) -> str:
        """``text`` if it is plain text, as every screen shows it.

        A framework travels to every member in the lead's pack, so its texts are held to the
        text rule (no control characters, line separators or direction overrides; newline and
        tab allowed) and hold no markup a label could render.
        """
        fault = text_fault(text, multiline=True)
        if fault is not None:
            self.fail(path, fault)
        if _MARKUP.search(text):
            self.fail(path, _("contains markup (a tag or an entity such as <b> or &amp;): "
                              "framework texts are plain text"))
        return text

    def bool_(self, d: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        v = d.get(key, default)
        if not isinstance(v, bool):
            self.fail(_join(path, key),
                      _("expected true or false, found {kind}").format(kind=_kind(v)))
        return v

    def int_(self, d: dict[str, Any], key: str, path: str) -> int:
        v = d.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            self.fail(_join(path, key),
                      _("expected a whole number ≥ 0, found {kind}").format(kind=_kind(v)))
        return v

    def list_(self, d: dict[str, Any], key: str, path: str, *, empty: bool = True) -> list[Any]:
        v = d.get(key)
        if not isinstance(v, list):
            self.fail(_join(path, key), _("expected a list, found {kind}").format(kind=_kind(v)))
        if not empty and not v:
            self.fail(_join(path, key), _("must not be empty"))
        return v

    def each(
        self, d: dict[str, Any], key: str, path: str, parse: Callable[[Any, str], T], *,
        empty: bool = True,
    ) -> tuple[T, ...]:
        items = self.list_(d, key, path, empty=empty)
        return tuple(parse(item, f"{_join(path, key)}[{i}]") for i, item in enumerate(items))


# Optional on a key question, prompt, case fact or case question: the Welsh of its text and
# guidance, and the manual section its words (or its guidance's) are copied from.
_ITEM_EXTRAS = ("text_cy", "guidance_cy", "source_section", "guidance_source_section",
                "continues", "continues_shared")


def welsh(r: _Reader, d: dict[str, Any], path: str, *keys: str) -> None:
    """Check the optional Welsh beside each text key and the optional source sections.

    ``title`` → ``title_cy``; ``source_section`` as it is: non-empty plain text when present.
    """
    for key in keys:
        extra = key if key.endswith("_section") else f"{key}_cy"
        if extra in d:
            value = _text(r, d[extra], _join(path, extra))
            if extra.endswith("_section") and value != value.strip():
                r.fail(_join(path, extra), _("a manual's section starts or ends with a space"))
            elif not extra.endswith("_section"):
                r.keep_welsh(d.get(key), value, _join(path, extra))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(v: Any) -> str:
    if v is None:
        return _("nothing")
    kinds = {dict: _("an object"), list: _("a list"), str: _("text"), bool: _("true/false")}
    return kinds.get(type(v), type(v).__name__)


def parse_framework(data: Any, source: str) -> Framework:
    r = _Reader(source)
    top = r.obj(
        data, "",
        {"format", "id", "version", "title", "programme", "rated", "source", "rating_bands",
         "overall_bands", "discretion", "case_facts", "case_questions", "domains",
         "applicability", "hurdles"},
        {"alerts", "edition", "publication", "qa", "rating_characteristics", "sampling",
         "schedule", "supersedes", "team", "title_cy"},
    )
    welsh(r, top, "", "title")
    if top["format"] != FORMAT_VERSION:
        r.fail("format", _("unsupported format {format!r}; this app reads format 1").format(
            format=top["format"]))
    fid = r.str_(top, "id", "")
    if not _FRAMEWORK_ID.match(fid):
        r.fail("id", _("{id!r} is not a valid id (lower-case letters, digits and '-')").format(
            id=fid))
    version = r.str_(top, "version", "")
    edition = r.str_(top, "edition", "") if "edition" in top else version
    supersedes = _supersedes(r, top["supersedes"], fid, edition) if "supersedes" in top else None
    programme = r.str_(top, "programme", "")
    if programme not in ("probation", "youth", "public_protection"):
        r.fail("programme", _("{programme!r} is not one of {choices}").format(
            programme=programme, choices="probation, youth, public_protection"))
    rated = r.bool_(top, "rated", "")
    src = r.obj(top["source"], "source", {"documents", "notes"},
                {"guidance_reference", "welsh"})
    welsh_source = r.str_(src, "welsh", "source") if "welsh" in src else ""
    if welsh_source not in ("", *WELSH_SOURCES):
        r.fail("source.welsh", _("{value!r} is not one of {choices}").format(
            value=welsh_source, choices=", ".join(WELSH_SOURCES)))
    docs = r.each(src, "documents", "source", lambda v, p: _text(r, v, p), empty=False)

    fields: dict[str, CaseField] = {}

    def parse_field(kind: str) -> Callable[[Any, str], CaseField]:
        def parse(v: Any, p: str) -> CaseField:
            d = r.obj(v, p, {"id", "label", "choices"},
                      {"guidance", "drafted", "guidance_drafted", "guidance_cy", "source_section",
                       "guidance_source_section", "label_cy"})  # no continues: not mapped
            welsh(r, d, p, "label", "guidance", "source_section", "guidance_source_section")
            fid_ = r.str_(d, "id", p)
            if not _SNAKE.match(fid_):
                r.fail(_join(p, "id"), _("{id!r} is not a snake_case id").format(id=fid_))
            if fid_ in fields:
                r.fail(_join(p, "id"), _("duplicate id {id!r}").format(id=fid_))
            choices = r.each(d, "choices", p, lambda c, cp: _choice(r, c, cp), empty=False)
            values = [c.value for c in choices]
            if len(set(values)) != len(values):
                r.fail(_join(p, "choices"), _("duplicate choice value"))
            f = CaseField(
                id=fid_, label=r.str_(d, "label", p),
                guidance=cite_manuals(r.str_(d, "guidance", p, empty=True)),
                choices=choices, kind=kind,  # type: ignore[arg-type]
                drafted=r.bool_(d, "drafted", p),
                guidance_drafted=r.bool_(d, "guidance_drafted", p, default=True),
            )
            fields[fid_] = f
            return f
        return parse

    facts = r.each(top, "case_facts", "", parse_field("fact"))
    questions = r.each(top, "case_questions", "", parse_field("question"))

    seen_ids: set[str] = set()
    continuing: list[str] = []  # where a ``continues`` was given
    links: list[tuple[str, tuple[str, ...]]] = []  # each ``informed_by`` given, checked below

    def new_id(d: dict[str, Any], p: str, parent: str | None, *, prompt: bool = False) -> str:
        item_id = r.str_(d, "id", p)
        if prompt:
            head, _dot, letter = item_id.rpartition(".")
            if head != parent or not _PROMPT_LETTER.match(letter):
                r.fail(_join(p, "id"), _("prompt id {id!r} must be {parent}.<letter>").format(
                    id=item_id, parent=parent))
        else:
            if not _NUMERIC_ID.match(item_id):
                r.fail(_join(p, "id"), _("{id!r} is not a dotted number such as 2.1.3").format(
                    id=item_id))
            if parent is not None and item_id.rpartition(".")[0] != parent:
                r.fail(_join(p, "id"), _("{id!r} does not sit under {parent!r}").format(
                    id=item_id, parent=parent))
        if item_id in seen_ids:
            r.fail(_join(p, "id"), _("duplicate id {id!r}").format(id=item_id))
        seen_ids.add(item_id)
        return item_id

    def continues(d: dict[str, Any], p: str) -> dict[str, Any]:
        """``continues`` and ``continues_shared``: checked against the old edition elsewhere."""
        if "continues" not in d:
            if "continues_shared" in d:
                r.fail(_join(p, "continues_shared"), _("is given without continues"))
            return {}
        old = r.str_(d, "continues", p)
        head, _dot, letter = old.rpartition(".")
        if old != NO_PREDECESSOR and not _NUMERIC_ID.match(old) and not (
                _NUMERIC_ID.match(head) and _PROMPT_LETTER.match(letter)):
            r.fail(_join(p, "continues"), _("{id!r} is not an item id of the edition this one "
                                            "supersedes, nor {none!r}").format(
                id=old, none=NO_PREDECESSOR))
        shared = r.bool_(d, "continues_shared", p)
        if shared and old == NO_PREDECESSOR:
            r.fail(_join(p, "continues_shared"), _("is given with continues {none!r}").format(
                none=NO_PREDECESSOR))
        continuing.append(_join(p, "continues"))
        return {"continues": old, "continues_shared": shared}

    def parse_prompt(parent: str) -> Callable[[Any, str], Prompt]:
        def parse(v: Any, p: str) -> Prompt:
            d = r.obj(v, p, {"id", "text"},
                      {"guidance", "allow_na", "drafted", "guidance_drafted", *_ITEM_EXTRAS})
            welsh(r, d, p, "text", "guidance", "source_section", "guidance_source_section")
            return Prompt(
                id=new_id(d, p, parent, prompt=True), text=r.str_(d, "text", p),
                guidance=cite_manuals(r.str_(d, "guidance", p, empty=True)),
                allow_na=r.bool_(d, "allow_na", p), drafted=r.bool_(d, "drafted", p),
                guidance_drafted=r.bool_(d, "guidance_drafted", p, default=True),
                **continues(d, p),
            )
        return parse

    def parse_kq(parent: str, lead_rated: bool) -> Callable[[Any, str], KeyQuestion]:
        def parse(v: Any, p: str) -> KeyQuestion:
            d = r.obj(
                v, p, {"id", "text", "prompts"},
                {"guidance", "qualitative", "allow_na", "drafted", "guidance_drafted",
                 "informed_by", *_ITEM_EXTRAS},
            )
            welsh(r, d, p, "text", "guidance", "source_section", "guidance_source_section")
            kid = new_id(d, p, parent)
            qualitative = r.bool_(d, "qualitative", p)
            if lead_rated and not qualitative:
                r.fail(p, _("key question {id} is in a lead-rated standard and must be "
                           "qualitative").format(id=kid))
            informed_by: tuple[str, ...] = ()
            if "informed_by" in d:
                if not (lead_rated or qualitative):
                    r.fail(_join(p, "informed_by"), _(
                        "key question {id} is answered case by case: only an organisational "
                        "key question names the case data that informs it").format(id=kid))
                informed_by = r.each(d, "informed_by", p, lambda x, xp: _text(r, x, xp),
                                     empty=False)
                links.append((_join(p, "informed_by"), informed_by))
            return KeyQuestion(
                id=kid, text=r.str_(d, "text", p),
                guidance=cite_manuals(r.str_(d, "guidance", p, empty=True)),
                prompts=r.each(d, "prompts", p, parse_prompt(kid)),
                qualitative=qualitative, allow_na=r.bool_(d, "allow_na", p),
                drafted=r.bool_(d, "drafted", p),
                guidance_drafted=r.bool_(d, "guidance_drafted", p, default=True),
                informed_by=informed_by, **continues(d, p),
            )
        return parse

    def parse_standard(parent: str) -> Callable[[Any, str], Standard]:
        def parse(v: Any, p: str) -> Standard:
            d = r.obj(
                v, p, {"id", "title", "text", "rated_by", "key_questions"},
                {"adjustable", "rating_characteristics", "title_cy", "text_cy"},
            )
            welsh(r, d, p, "title", "text")
            sid = new_id(d, p, parent)
            rated_by = r.str_(d, "rated_by", p)
            if rated_by not in ("cases", "lead"):
                r.fail(_join(p, "rated_by"), _("{value!r} is not 'cases' or 'lead'").format(
                    value=rated_by))
            adjustable = r.bool_(d, "adjustable", p)
            if adjustable and rated_by != "cases":
                r.fail(_join(p, "adjustable"), _("only a case-rated standard can be adjustable"))
            kqs = r.each(
                d, "key_questions", p, parse_kq(sid, rated_by == "lead"), empty=False
            )
            own = None
            if "rating_characteristics" in d:
                if rated_by != "lead":
                    r.fail(_join(p, "rating_characteristics"),
                           _("only a lead-rated standard has rating characteristics"))
                own = _characteristics(r, d["rating_characteristics"],
                                       _join(p, "rating_characteristics"))
            return Standard(
                id=sid, title=r.str_(d, "title", p), text=r.str_(d, "text", p),
                rated_by=rated_by,  # type: ignore[arg-type]
                key_questions=kqs, adjustable=adjustable, characteristics=own,
            )
        return parse

    def parse_domain(v: Any, p: str) -> Domain:
        d = r.obj(v, p, {"id", "title", "standards"}, {"title_cy"})
        welsh(r, d, p, "title")
        did = new_id(d, p, None)
        if "." in did:
            r.fail(_join(p, "id"), _("domain id {id!r} must be a single number").format(id=did))
        return Domain(
            id=did, title=r.str_(d, "title", p),
            standards=r.each(d, "standards", p, parse_standard(did), empty=False),
        )

    domains = r.each(top, "domains", "", parse_domain, empty=False)
    if continuing and supersedes is None:
        r.fail(continuing[0],
               _("an edition that supersedes none cannot say which item it continues"))
    prompt_ids = {p.id for d in domains for s in d.standards for k in s.key_questions
                  for p in k.prompts}
    kq_ids = {k.id for d in domains for s in d.standards for k in s.key_questions}
    standard_ids = {s.id for d in domains for s in d.standards}
    _check_links(r, domains, links)

    def parse_condition(v: Any, p: str) -> Condition:
        if not isinstance(v, dict) or len(v) == 0:
            r.fail(p, _("expected a condition object"))
        if "ref" in v:
            d = r.obj(v, p, {"ref", "in"})
            ref = r.str_(d, "ref", p)
            allowed: tuple[str, ...]
            if ref in fields:
                allowed = fields[ref].values
            elif ref in prompt_ids:
                allowed = ("yes", "no", "na")
            else:
                r.fail(_join(p, "ref"), _("{ref!r} is not a case fact, case question or "
                                          "prompt").format(ref=ref))
            values = r.each(d, "in", p, lambda x, xp: _text(r, x, xp), empty=False)
            for i, val in enumerate(values):
                if val not in allowed:
                    r.fail(f"{_join(p, 'in')}[{i}]",
                           _("{value!r} is not a value of {ref!r}").format(value=val, ref=ref))
            return Ref(ref=ref, values=frozenset(values))
        if "all" in v:
            d = r.obj(v, p, {"all"})
            return AllOf(r.each(d, "all", p, parse_condition, empty=False))
        if "any" in v:
            d = r.obj(v, p, {"any"})
            return AnyOf(r.each(d, "any", p, parse_condition, empty=False))
        if "not" in v:
            d = r.obj(v, p, {"not"})
            return Not(parse_condition(d["not"], _join(p, "not")))
        r.fail(p, _("a condition needs one of 'ref', 'all', 'any' or 'not'"))

    rule_ids: set[str] = set()

    def rule_id(d: dict[str, Any], p: str) -> str:
        rid = r.str_(d, "id", p)
        if not _SNAKE.match(rid):
            r.fail(_join(p, "id"), _("{id!r} is not a snake_case id").format(id=rid))
        if rid in rule_ids:
            r.fail(_join(p, "id"), _("duplicate rule id {id!r}").format(id=rid))
        rule_ids.add(rid)
        return rid

    def parse_rule(v: Any, p: str) -> ApplicabilityRule:
        d = r.obj(v, p, {"id", "items", "applies_when", "reason"}, {"reason_cy"})
        welsh(r, d, p, "reason")
        rid = rule_id(d, p)
        items = r.each(d, "items", p, lambda x, xp: _text(r, x, xp), empty=False)
        for i, item in enumerate(items):
            if item not in standard_ids | kq_ids | prompt_ids:
                r.fail(f"{_join(p, 'items')}[{i}]", _("{item!r} is not a standard, key "
                                                      "question or prompt of this "
                                                      "framework").format(item=item))
        return ApplicabilityRule(
            id=rid, items=items, applies_when=parse_condition(d["applies_when"],
                                                              _join(p, "applies_when")),
            reason=cite_manuals(r.str_(d, "reason", p)),
        )

    def parse_hurdle(v: Any, p: str) -> Hurdle:
        d = r.obj(v, p, {"id", "when", "item", "forces", "reason"}, {"reason_cy"})
        welsh(r, d, p, "reason")
        hid = rule_id(d, p)
        item = r.str_(d, "item", p)
        if item not in kq_ids:
            r.fail(_join(p, "item"), _("{item!r} is not a key question of this framework").format(
                item=item))
        forces = r.str_(d, "forces", p)
        if forces not in ("yes", "no"):
            r.fail(_join(p, "forces"), _("{value!r} is not 'yes' or 'no'").format(value=forces))
        return Hurdle(
            id=hid, when=parse_condition(d["when"], _join(p, "when")), item=item,
            forces=forces,  # type: ignore[arg-type]
            reason=cite_manuals(r.str_(d, "reason", p)),
        )

    applicability = r.each(top, "applicability", "", parse_rule)
    hurdles = r.each(top, "hurdles", "", parse_hurdle)

    rating_bands = r.each(top, "rating_bands", "", lambda v, p: _rating_band(r, v, p),
                          empty=not rated)
    _check_rating_bands(r, rating_bands)
    n_standards = sum(len(d.standards) for d in domains)
    overall = r.each(top, "overall_bands", "", lambda v, p: _overall_band(r, v, p),
                     empty=not rated)
    if rated:
        _check_overall_bands(r, overall, 3 * n_standards)
    elif overall:
        r.fail("overall_bands", _("an unrated framework has no overall bands"))
    disc = r.obj(top["discretion"], "discretion", {"margin_points", "small_sample_max"})
    qa = _qa_params(r, top["qa"], fields) if "qa" in top else QaParams()
    sampling = _sampling(r, top["sampling"], facts) if "sampling" in top else None
    schedule = _schedule(r, top["schedule"]) if "schedule" in top else None
    team = _team(r, top["team"]) if "team" in top else None
    alerts = _alerts(r, top["alerts"]) if "alerts" in top else AlertParams()
    publication = _publication(r, top["publication"], facts) if "publication" in top \
        else Publication()
    general = (_characteristics(r, top["rating_characteristics"], "rating_characteristics")
               if "rating_characteristics" in top else None)

    return Framework(
        id=fid, version=version, title=r.str_(top, "title", ""),
        programme=programme, rated=rated, source_documents=docs,
        source_notes=r.str_(src, "notes", "source"), rating_bands=rating_bands,
        overall_bands=overall,
        discretion=Discretion(
            margin_points=r.int_(disc, "margin_points", "discretion"),
            small_sample_max=r.int_(disc, "small_sample_max", "discretion"),
        ),
        case_facts=facts, case_questions=questions, domains=domains,
        applicability=applicability, hurdles=hurdles, hash=content_hash(data), path=source,
        qa=qa, characteristics=general,
        guidance_reference=(r.str_(src, "guidance_reference", "source")
                            if "guidance_reference" in src else ""),
        sampling=sampling, schedule=schedule, team=team, alerts=alerts,
        publication=publication, edition=edition, supersedes=supersedes, welsh=dict(r.welsh),
        welsh_source=welsh_source,
    )


def _check_links(r: _Reader, domains: tuple[Domain, ...],
                 links: list[tuple[str, tuple[str, ...]]]) -> None:
    """Each ``informed_by`` names case-answered key questions or their prompts, each once."""
    answered = {k.id: k for d in domains for s in d.standards if s.rated_by == "cases"
                for k in s.key_questions if not k.qualitative}
    case_items = {*answered, *(p.id for k in answered.values() for p in k.prompts)}
    for path, items in links:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item not in case_items:
                r.fail(f"{path}[{i}]", f"{item!r} is not a key question or prompt of this "
                       "framework answered case by case")
            if item in seen:
                r.fail(f"{path}[{i}]", f"{item!r} is named twice")
            seen.add(item)


def _supersedes(r: _Reader, v: Any, fid: str, edition: str) -> Supersedes:
    """The ``supersedes`` link: the id and edition of the framework this edition follows."""
    d = r.obj(v, "supersedes", {"id", "edition"})
    old_id = r.str_(d, "id", "supersedes")
    if not _FRAMEWORK_ID.match(old_id):
        r.fail("supersedes.id", _("{id!r} is not a valid id (lower-case letters, digits and "
                                  "'-')").format(id=old_id))
    old_edition = r.str_(d, "edition", "supersedes")
    if (old_id, old_edition) == (fid, edition):
        r.fail("supersedes", _("edition {edition!r} cannot supersede itself").format(
            edition=edition))
    return Supersedes(id=old_id, edition=old_edition)


def _publication(r: _Reader, v: Any, facts: tuple[CaseField, ...]) -> Publication:
    """The ``publication`` section: the reportable sub-groups and the suppression threshold."""
    d = r.obj(v, "publication", {"sub_groups", "suppression"})
    known = {f.id for f in facts}
    groups = r.each(d, "sub_groups", "publication", lambda x, xp: _text(r, x, xp))
    for i, fid in enumerate(groups):
        where = f"publication.sub_groups[{i}]"
        if fid not in known:
            r.fail(where, f"{fid!r} is not a case fact of this framework")
        if fid in groups[:i]:
            r.fail(where, f"{fid!r} is named twice")
    rule = r.obj(d["suppression"], "publication.suppression", {"threshold"})
    threshold = rule["threshold"]
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        r.fail("publication.suppression.threshold",
               f"expected a whole number, found {_kind(threshold)}")
    if threshold < 1:
        r.fail("publication.suppression.threshold",
               f"a suppression threshold below 1 ({threshold}) would publish cells of any "
               "size: give 1 or more")
    return Publication(groups, threshold)


def _alerts(r: _Reader, v: Any) -> AlertParams:
    """The ``alerts`` section: whether advice below the alert threshold may be recorded, and why."""
    d = r.obj(v, "alerts", {"advice_below_threshold", "source"})
    advice = r.bool_(d, "advice_below_threshold", "alerts")
    return AlertParams(advice, r.str_(d, "source", "alerts"))


def _team(r: _Reader, v: Any) -> TeamParams:
    """The ``team`` section: whole numbers of cases for known roles, and where they come from."""
    d = r.obj(v, "team", {"cases_per_role", "source"})
    source = r.str_(d, "source", "team")
    r.plain(source, "team.source")
    per_role = d["cases_per_role"]
    if not isinstance(per_role, dict) or not per_role:
        r.fail("team.cases_per_role", _("expected an object of role → cases, found "
                                        "{kind}").format(kind=_kind(per_role)))
    for role in per_role:
        if role not in TEAM_ROLES:
            r.fail(f"team.cases_per_role.{role}", _("{value!r} is not one of {choices}").format(
                value=role, choices=", ".join(TEAM_ROLES)))
        n = r.int_(per_role, role, "team.cases_per_role")
        if n > MAX_CASES_PER_ROLE:
            r.fail(f"team.cases_per_role.{role}",
                   _("{n} cases is more than anyone inspects in a week (at most "
                     "{most})").format(n=n, most=MAX_CASES_PER_ROLE))
    return TeamParams(MappingProxyType(dict(per_role)), source)


def _sampling(r: _Reader, v: Any, facts: tuple[CaseField, ...]) -> SamplingRules:
    """The ``sampling`` section, every text in it held to the same plain-text rule."""
    def plain(value: Any, path: str) -> None:
        if isinstance(value, str):
            r.plain(value, path)
        elif isinstance(value, dict):
            for key, item in value.items():
                plain(key, path)
                plain(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                plain(item, f"{path}[{i}]")

    plain(v, "sampling")
    try:
        return parse_sampling(v, {f.id: {c.value: c.label for c in f.choices} for f in facts})
    except SamplingRulesError as e:
        r.fail(e.path, e.message)


def _schedule(r: _Reader, v: Any) -> ScheduleRules:
    """The ``schedule`` section, its labels held to the same plain-text rule."""
    def plain(value: Any, path: str) -> None:
        if isinstance(value, str):
            r.plain(value, path)
        elif isinstance(value, dict):
            for key, item in value.items():
                plain(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                plain(item, f"{path}[{i}]")

    plain(v, "schedule")
    try:
        rules = parse_schedule(v)
    except ScheduleRulesError as e:
        r.fail(e.path, e.message)
    for part in ("weeks", "events", "meetings"):
        for i, item in enumerate(v[part]):
            welsh(r, item, f"schedule.{part}[{i}]", "label", "attendees")
    return rules


def _characteristics(r: _Reader, v: Any, p: str) -> Characteristics:
    d = r.obj(v, p, {"outstanding", "inadequate"}, {"outstanding_cy", "inadequate_cy"})
    for kind in ("outstanding", "inadequate"):
        if f"{kind}_cy" in d:
            _parallel_welsh(r, d, kind, p)
    return Characteristics(
        outstanding=r.each(d, "outstanding", p, lambda x, q: _text(r, x, q), empty=False),
        inadequate=r.each(d, "inadequate", p, lambda x, q: _text(r, x, q), empty=False),
    )


def _parallel_welsh(r: _Reader, d: dict[str, Any], kind: str, p: str) -> None:
    """``outstanding_cy``: the Welsh of each text of ``outstanding``, in order; "" for none."""
    english, welsh, path = d.get(kind), d[f"{kind}_cy"], _join(p, f"{kind}_cy")
    if not isinstance(welsh, list) or not isinstance(english, list) \
            or len(welsh) != len(english):
        r.fail(path, _("expected a list of the Welsh of each of the {kind} texts, in "
                       "order").format(kind=kind))
    for i, text in enumerate(welsh):
        if not isinstance(text, str):
            r.fail(f"{path}[{i}]", _("expected text, found {kind}").format(kind=_kind(text)))
        r.plain(text, f"{path}[{i}]")
        if text.strip():
            r.keep_welsh(english[i], text, f"{path}[{i}]")
    if not any(t.strip() for t in welsh):
        r.fail(path, _("holds no Welsh: leave it out"))


MAX_FEEDBACK_CHARS = 20_000  # the longest text an item may hold (assessment.items.MAX_TEXT)


def _qa_params(r: _Reader, v: Any, fields: dict[str, CaseField]) -> QaParams:
    d = r.obj(v, "qa", {"majority_no_share", "min_feedback_chars", "rosh_pairs"})
    share = d["majority_no_share"]
    is_number = isinstance(share, int | float) and not isinstance(share, bool)
    if not is_number or not 0.5 <= share < 1:
        found = repr(share) if is_number else _kind(share)
        r.fail("qa.majority_no_share",
               _("expected a number from 0.5 up to (not including) 1, found {found}").format(
                   found=found))
    min_chars = r.int_(d, "min_feedback_chars", "qa")
    if min_chars > MAX_FEEDBACK_CHARS:
        r.fail("qa.min_feedback_chars",
               _("{n} is longer than a note may be ({most} characters)").format(
                   n=min_chars, most=f"{MAX_FEEDBACK_CHARS:,}"))
    pairs_raw = d["rosh_pairs"]
    if not isinstance(pairs_raw, dict):
        r.fail("qa.rosh_pairs", _("expected an object of case question → case fact, found "
                                  "{kind}").format(kind=_kind(pairs_raw)))
    pairs: list[RoshPair] = []
    for question, fact in pairs_raw.items():
        p = f"qa.rosh_pairs.{question}"
        q = fields.get(question)
        if q is None or q.kind != "question":
            r.fail(p, _("{id!r} is not a case question of this framework").format(id=question))
        if not isinstance(fact, str):
            r.fail(p, _("expected a case fact id, found {kind}").format(kind=_kind(fact)))
        f = fields.get(fact)
        if f is None or f.kind != "fact":
            r.fail(p, _("{id!r} is not a case fact of this framework").format(id=fact))
        unmatched = [value for value in f.values if value not in q.values]
        if unmatched:
            r.fail(p, _("the fact {fact!r} has the value {value!r}, which the question "
                        "{question!r} does not offer: the inspector could never agree with "
                        "it").format(fact=fact, value=unmatched[0], question=question))
        pairs.append(RoshPair(question=question, fact=fact))
    return QaParams(majority_no_share=float(share), min_feedback_chars=min_chars,
                    rosh_pairs=tuple(pairs))


def _text(r: _Reader, v: Any, p: str) -> str:
    if not isinstance(v, str) or not v.strip():
        r.fail(p, _("expected non-empty text, found {kind}").format(kind=_kind(v)))
    return r.plain(v, p)


def _choice(r: _Reader, v: Any, p: str) -> Choice:
    d = r.obj(v, p, {"value", "label"}, {"label_cy"})
    welsh(r, d, p, "label")
    value = r.str_(d, "value", p)
    if not _SNAKE.match(value):
        r.fail(_join(p, "value"), _("{value!r} is not a snake_case value").format(value=value))
    return Choice(value=value, label=r.str_(d, "label", p))


def _rating_band(r: _Reader, v: Any, p: str) -> RatingBand:
    d = r.obj(v, p, {"band", "label", "min_percent"})
    band = r.str_(d, "band", p)
    if band not in RATINGS:
        r.fail(_join(p, "band"), _("{value!r} is not one of {choices}").format(
            value=band, choices=", ".join(RATINGS)))
    return RatingBand(band=band, label=r.str_(d, "label", p),
                      min_percent=r.int_(d, "min_percent", p))


def _check_rating_bands(r: _Reader, bands: tuple[RatingBand, ...]) -> None:
    if not bands:
        return
    if [b.band for b in bands] != list(RATINGS):
        r.fail("rating_bands", _("bands must be, lowest first: {bands}").format(
            bands=", ".join(RATINGS)))
    if bands[0].min_percent != 0:
        r.fail("rating_bands[0].min_percent", _("the lowest band must start at 0"))
    for i in range(1, len(bands)):
        if not bands[i - 1].min_percent < bands[i].min_percent <= 100:
            r.fail(f"rating_bands[{i}].min_percent", _("thresholds must rise and stay ≤ 100"))


def _overall_band(r: _Reader, v: Any, p: str) -> OverallBand:
    d = r.obj(v, p, {"rating", "min_score", "max_score"})
    rating = r.str_(d, "rating", p)
    if rating not in RATINGS:
        r.fail(_join(p, "rating"), _("{value!r} is not one of {choices}").format(
            value=rating, choices=", ".join(RATINGS)))
    return OverallBand(rating=rating, min_score=r.int_(d, "min_score", p),
                       max_score=r.int_(d, "max_score", p))


def _check_overall_bands(r: _Reader, bands: tuple[OverallBand, ...], top: int) -> None:
    expected = 0
    for i, b in enumerate(bands):
        if b.min_score != expected or b.max_score < b.min_score:
            r.fail(f"overall_bands[{i}]", _("bands must cover 0 to {top} without gap or "
                                             "overlap").format(top=top))
        expected = b.max_score + 1
    if expected != top + 1:
        r.fail("overall_bands", _("bands must end at {top} (3 points for each of {n} "
                                  "standards)").format(top=top, n=top // 3))


def load_framework_file(path: Path) -> Framework:
    """Load and validate one framework file, or raise FrameworkError naming the fault."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FrameworkError(_("{file}: cannot read the file ({reason})").format(
            file=path.name, reason=e.strerror)) from None
    return load_framework_bytes(raw, path.name)


def load_framework_bytes(raw: bytes, source: str) -> Framework:
    try:
        data = parse_json(raw)
    except JsonError as e:
        raise FrameworkError(_("{file}: {reason}").format(file=source, reason=e)) from None
    return parse_framework(data, source)


def _framework_files() -> Iterator[tuple[str, bytes]]:
    from hmip_desktop.shipped_files import resource  # noqa: PLC0415 - keeps import light

    folder = resource("frameworks")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            yield entry.name, entry.read_bytes()


@cache
def _shipped() -> dict[str, Framework]:
    out: dict[str, Framework] = {}
    for name, raw in _framework_files():
        fw = load_framework_bytes(raw, name)
        expected = f"{fw.id}.json"
        if name != expected:
            raise FrameworkError(_("{file}: the file must be named {name} after its id").format(
                file=name, name=expected))
        out[fw.id] = fw
    return out


def available_frameworks() -> tuple[Framework, ...]:
    """Every framework shipped with the app, sorted by id."""
    return tuple(_shipped()[k] for k in sorted(_shipped()))


def superseded_by(fw: Framework) -> Framework | None:
    """The shipped edition that supersedes ``fw`` (names its id and edition), if one does."""
    for other in available_frameworks():
        old = other.supersedes
        if old is not None and (old.id, old.edition) == (fw.id, fw.edition):
            return other
    return None


def current_frameworks() -> tuple[Framework, ...]:
    """The shipped frameworks no shipped edition supersedes, sorted by id.

    What a new inspection is offered first and what the demo is made of. A superseded edition
    still loads (``load_framework``), for the inspections made with it.
    """
    return tuple(fw for fw in available_frameworks() if superseded_by(fw) is None)


def load_framework(framework_id: str) -> Framework:
    """A shipped framework by id; an unknown id raises FrameworkError listing the known ones."""
    shipped = _shipped()
    if framework_id not in shipped:
        known = ", ".join(sorted(shipped)) or _("none")
        raise FrameworkError(_("unknown framework {framework} (known: {known})").format(
            framework=repr(framework_id), known=known))
    return shipped[framework_id]
