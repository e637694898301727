"""The in-memory shape of a framework: domains → standards → key questions → prompts.

Everything here is immutable once loaded; indexes are built once in ``Framework.__post_init__``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from hmip_desktop.sampling.rules import SamplingRules
    from hmip_desktop.setup.week_rules import ScheduleRules

RatedBy = Literal["cases", "lead"]
Answer = Literal["yes", "no", "na"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "na")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class CaseField:
    """A case fact (comes with the sample) or a case question (the inspector answers it)."""

    id: str
    label: str
    guidance: str
    choices: tuple[Choice, ...]
    kind: Literal["fact", "question"]
    drafted: bool = False
    guidance_drafted: bool = True
    """False only where the file says the guidance is the inspectorate's own wording."""

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def label_of(self, value: str) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return value

    @property
    def optional(self) -> bool:
        """True where the case sample may leave the fact out (it has the choice 'not recorded')."""
        return NOT_RECORDED in self.values


NOT_RECORDED = "not_recorded"
"""A case fact's choice that makes the fact optional: the case sample may leave it out, and a
case without it holds this value (framework-format.md, "Publication")."""
DEFAULT_THRESHOLD = 5
"""Cells under this many cases are suppressed where a framework names no threshold."""


@dataclass(frozen=True)
class Publication:
    """What the publishable outputs show and hide: the file's ``publication`` section."""

    sub_groups: tuple[str, ...] = ()
    """The case facts reportable as sub-groups, in the order their tables are shown."""
    threshold: int = DEFAULT_THRESHOLD
    """A published cell of fewer cases than this (but at least one) is suppressed."""


WELSH_SOURCES = ("drafted", "verbatim")
"""``source.welsh``: whose the file's Welsh texts are."""
NO_PREDECESSOR = "none"
"""A ``continues`` that says the item is new in its edition, whatever its id."""


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    guidance: str
    allow_na: bool = False
    drafted: bool = False
    guidance_drafted: bool = True
    """False only where the file says the guidance is the inspectorate's own wording."""
    continues: str | None = None
    """The superseded edition's item whose answers this one carries on (the file's
    ``continues``): an id, ``NO_PREDECESSOR``, or None for the item of the same id."""
    continues_shared: bool = False
    """True where this is one of several items continuing the same old item, said on purpose."""


@dataclass(frozen=True)
class KeyQuestion:
    id: str
    text: str
    guidance: str
    prompts: tuple[Prompt, ...]
    qualitative: bool = False
    allow_na: bool = False
    drafted: bool = False
    guidance_drafted: bool = True
    """False only where the file says the guidance is the inspectorate's own wording."""
    continues: str | None = None
    """As a prompt's ``continues``."""
    continues_shared: bool = False
    informed_by: tuple[str, ...] = ()
    """An organisational key question's link to the case data (the file's ``informed_by``):
    the case-answered key questions and prompts whose figures the lead reads beside its
    findings and rating (004_: "a clearer link" between domain one and the case data)."""


@dataclass(frozen=True)
class Characteristics:
    """What the lead weighs for an 'outstanding' or 'inadequate' rating of a lead-rated standard.

    A guide to the judgement, not a checklist (003_ §4.20, Annex G; 000_ §7.1).
    """

    outstanding: tuple[str, ...]
    inadequate: tuple[str, ...]


@dataclass(frozen=True)
class Standard:
    id: str
    title: str
    text: str
    rated_by: RatedBy
    key_questions: tuple[KeyQuestion, ...]
    adjustable: bool = False
    characteristics: Characteristics | None = None
    """This standard's own rating characteristics, where the framework gives them."""


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    standards: tuple[Standard, ...]


# Conditions (see docs/framework-format.md): a tiny, data-only expression language.
@dataclass(frozen=True)
class Ref:
    ref: str
    values: frozenset[str]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Ref | AllOf | AnyOf | Not


@dataclass(frozen=True)
class ApplicabilityRule:
    id: str
    items: tuple[str, ...]
    applies_when: Condition
    reason: str


@dataclass(frozen=True)
class Hurdle:
    id: str
    when: Condition
    item: str
    forces: Answer
    reason: str


@dataclass(frozen=True)
class RatingBand:
    band: str
    label: str
    min_percent: int


@dataclass(frozen=True)
class OverallBand:
    rating: str
    min_score: int
    max_score: int


@dataclass(frozen=True)
class Discretion:
    margin_points: int
    small_sample_max: int


@dataclass(frozen=True)
class RoshPair:
    """A case question holding the inspector's own judgement of a level the case records."""

    question: str
    """Case question id, e.g. ``inspector_rosh``."""
    fact: str
    """Case fact id with the recorded level, e.g. ``rosh``."""


@dataclass(frozen=True)
class Supersedes:
    """The edition a framework follows (the file's ``supersedes``): its id and edition."""

    id: str
    edition: str


TEAM_ROLES = ("assessor", "qa", "lead", "deputy")


@dataclass(frozen=True)
class TeamParams:
    """How many cases each role of the fieldwork team takes (the file's ``team`` section).

    Keys are ``assessor`` (a local assessor), ``qa`` (an inspector or assistant inspector, who
    also supports the local assessors), ``lead`` and ``deputy``; a role left out takes the
    product's default (``setup.allocation.DEFAULT_CAPACITY``).
    """

    cases_per_role: Mapping[str, int]
    source: str = ""
    """Where the numbers come from, by manual title and section."""


@dataclass(frozen=True)
class AlertParams:
    """What the alert process of the framework's manual allows (the file's ``alerts`` section).

    The default (a file without the section, such as one stored in a workspace before it
    existed) allows no advice below the alert threshold.
    """

    advice_below_threshold: bool = False
    """Whether an alert may be recorded as advice below the alert threshold, needing no
    follow-up (only the DIPP manual §6.7 describes such advice)."""
    source: str = ""
    """Where the rule comes from, by manual title and section."""


@dataclass(frozen=True)
class QaParams:
    """Parameters of the quality assurance checks (``hmip_desktop.qa``).

    The defaults apply to a framework file without a ``qa`` section (frameworks stored in
    workspaces before the section existed): no judgement pairs are compared.
    """

    majority_no_share: float = 0.5
    """A 'yes' judgement is queried when more than this share of its answered prompts is 'no'."""
    min_feedback_chars: int = 40
    """A 'no' judgement needs an evidence note at least this long (spaces at the ends aside)."""
    rosh_pairs: tuple[RoshPair, ...] = ()
    """Judgement/recorded-level pairs; a difference needs a reason."""


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: str
    programme: str
    rated: bool
    source_documents: tuple[str, ...]
    source_notes: str
    rating_bands: tuple[RatingBand, ...]
    overall_bands: tuple[OverallBand, ...]
    discretion: Discretion
    case_facts: tuple[CaseField, ...]
    case_questions: tuple[CaseField, ...]
    domains: tuple[Domain, ...]
    applicability: tuple[ApplicabilityRule, ...]
    hurdles: tuple[Hurdle, ...]
    hash: str
    path: str = ""
    qa: QaParams = QaParams()
    characteristics: Characteristics | None = None
    """The rating characteristics of every lead-rated standard without its own."""
    guidance_reference: str = ""
    """The manual, by title and section, that names the CARaG this framework's guidance
    summarises (``source.guidance_reference``); empty where the file gives none."""
    sampling: SamplingRules | None = None
    """How the case samples are drawn (the file's ``sampling`` section); None where it has none."""
    schedule: ScheduleRules | None = None
    """The fieldwork week (the file's ``schedule`` section); None where it has none."""
    team: TeamParams | None = None
    """Cases per role (the file's ``team`` section); None where it has none."""
    alerts: AlertParams = AlertParams()
    """What the alert process allows (the file's ``alerts`` section)."""
    publication: Publication = Publication()
    """The reportable sub-groups and the suppression rule (the file's ``publication``)."""
    edition: str = ""
    """The framework's edition (the file's ``edition``; its ``version`` where it gives none)."""
    supersedes: Supersedes | None = None
    """The edition this one follows; None for a first edition."""
    welsh: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The Welsh of each text the file gives one for, keyed by the English text."""
    welsh_source: str = ""
    """``source.welsh``: "drafted" (translated for the product, to be reviewed), "verbatim"
    (the inspectorate's own Welsh), or "" where the file says nothing."""

    def in_welsh(self, english: str) -> str | None:
        """The file's Welsh for a text, or None where it has none (show the English, marked)."""
        return self.welsh.get(english)
    # Indexes, built after construction.
    standards_by_id: Mapping[str, Standard] = field(init=False, repr=False, compare=False)
    key_questions_by_id: Mapping[str, KeyQuestion] = field(init=False, repr=False, compare=False)
    prompts_by_id: Mapping[str, Prompt] = field(init=False, repr=False, compare=False)
    fields_by_id: Mapping[str, CaseField] = field(init=False, repr=False, compare=False)
    parent_of: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def characteristics_of(self, standard_id: str) -> Characteristics | None:
        """The standard's own rating characteristics, else the framework's general ones."""
        own = self.standards_by_id[standard_id].characteristics
        return own if own is not None else self.characteristics

    def __post_init__(self) -> None:
        standards: dict[str, Standard] = {}
        kqs: dict[str, KeyQuestion] = {}
        prompts: dict[str, Prompt] = {}
        parent: dict[str, str] = {}
        for d in self.domains:
            for s in d.standards:
                standards[s.id] = s
                parent[s.id] = d.id
                for k in s.key_questions:
                    kqs[k.id] = k
                    parent[k.id] = s.id
                    for p in k.prompts:
                        prompts[p.id] = p
                        parent[p.id] = k.id
        object.__setattr__(self, "standards_by_id", standards)
        object.__setattr__(self, "key_questions_by_id", kqs)
        object.__setattr__(self, "prompts_by_id", prompts)
        object.__setattr__(
            self, "fields_by_id", {f.id: f for f in (*self.case_facts, *self.case_questions)}
        )
        object.__setattr__(self, "parent_of", parent)

    @property
    def standards(self) -> tuple[Standard, ...]:
        held: tuple[Standard, ...] | None = self.__dict__.get("_standards")
        if held is None:
            held = tuple(s for d in self.domains for s in d.standards)
            object.__setattr__(self, "_standards", held)
        return held

    def standard_of(self, kq_id: str) -> Standard:
        return self.standards_by_id[self.parent_of[kq_id]]

    def is_case_answered(self, kq: KeyQuestion) -> bool:
        """True for a key question that every inspected case answers yes or no."""
        return not kq.qualitative and self.standard_of(kq.id).rated_by == "cases"

    def case_key_questions(self) -> tuple[KeyQuestion, ...]:
        """Worked out once per framework (it is frozen): every check and count asks for it."""
        held: tuple[KeyQuestion, ...] | None = self.__dict__.get("_case_key_questions")
        if held is None:
            held = tuple(
                k for s in self.standards for k in s.key_questions if self.is_case_answered(k)
            )
            object.__setattr__(self, "_case_key_questions", held)
        return held

    def subtrees(self) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], dict[str, range]]:
        """Standards, key questions and prompts in applicability order, and each one's subtree.

        The order is each key question's prompts then the key question, its standard after
        all of them; each item comes with its chain (standard, key question, prompt: outermost
        first). ``spans[id]`` is the range of that order the item and everything under it
        take. Worked out once per framework (it is frozen), for ``evaluate_case``.
        """
        held = self.__dict__.get("_subtrees")
        if held is None:
            order: list[tuple[str, tuple[str, ...]]] = []
            spans: dict[str, range] = {}
            for st in self.standards:
                s_start = len(order)
                for k in st.key_questions:
                    k_start = len(order)
                    for pr in k.prompts:
                        spans.setdefault(pr.id, range(len(order), len(order) + 1))
                        order.append((pr.id, (st.id, k.id, pr.id)))
                    order.append((k.id, (st.id, k.id)))
                    spans.setdefault(k.id, range(k_start, len(order)))
                order.append((st.id, (st.id,)))
                spans.setdefault(st.id, range(s_start, len(order)))
            held = (tuple(order), spans)
            object.__setattr__(self, "_subtrees", held)
        return held

    def ancestors(self, item_id: str) -> tuple[str, ...]:
        """The item's parents, nearest first (prompt → key question → standard → domain)."""
        out: list[str] = []
        cur = item_id
        while cur in self.parent_of:
            cur = self.parent_of[cur]
            out.append(cur)
        return tuple(out)

    def summary(self) -> dict[str, object]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "rated": self.rated,
            "hash": self.hash,
        }
