"""What changed between two editions of a framework, item by item and rule by rule.

Items added, removed, re-worded and re-numbered, and the rules that changed
(``edition_rules``).

Items are the domains, standards, key questions and prompts. Where NEW supersedes OLD, key
questions and prompts follow the new edition's mapping (``edition_mapping``): an item
continuing an old one under another number was re-numbered, and re-worded as well if its text
changed; an item continuing none was added (new in this edition: blank on a case moved to it);
an old item no new item continues was removed (its answers stay in the case history only). A
mapping that does not fit OLD is refused (``MappingError``, its first fault).

Otherwise, and always for domains and standards, matching is by text first, then by number: an
item whose number and text are both kept is unchanged; among the rest, an old item whose exact
text is held by a new item of the same kind under another number was re-numbered; an item
still under its number with other text was re-worded (with a word-level difference, from
``difflib``); what is left was removed or added.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from hmip_desktop.frameworks.edition_mapping import EditionMapping, edition_mapping
from hmip_desktop.frameworks.edition_rules import RuleChange, rule_changes
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _

ItemKind = Literal["domain", "standard", "key_question", "prompt"]
KINDS: tuple[ItemKind, ...] = ("domain", "standard", "key_question", "prompt")
MAPPED: tuple[ItemKind, ...] = ("key_question", "prompt")  # the kinds a mapping carries


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    id: str
    text: str
    """A domain's title; a standard's title and text ("Assessment: …"); a question's text."""
    mapped: bool = False
    """Placed by the mapping: an added item is new in its edition (blank on a case moved to
    it); a removed one's answers stay in the case history only."""
    same_text_as: str | None = None
    """An added mapped item: the removed old item of its kind with exactly its text, if any
    (the mapping says it continues none; the author may have meant it to)."""


@dataclass(frozen=True)
class Words:
    """One run of the word-level difference: words kept, taken out or put in."""

    op: Literal["same", "removed", "added"]
    text: str


@dataclass(frozen=True)
class Reworded:
    kind: ItemKind
    id: str
    old_text: str
    new_text: str
    words: tuple[Words, ...]
    old_id: str = ""
    """The old item's number where it was re-numbered as well; else the same as ``id``."""

    def __post_init__(self) -> None:
        if not self.old_id:
            object.__setattr__(self, "old_id", self.id)


@dataclass(frozen=True)
class Renumbered:
    kind: ItemKind
    old_id: str
    new_id: str
    text: str


@dataclass(frozen=True)
class EditionDiff:
    old: Framework
    new: Framework
    added: tuple[Item, ...]
    removed: tuple[Item, ...]
    reworded: tuple[Reworded, ...]
    renumbered: tuple[Renumbered, ...]
    rules: tuple[RuleChange, ...]
    mapped: bool = False
    """Key questions and prompts follow NEW's mapping to OLD (NEW supersedes OLD)."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.renumbered
                    or self.rules)


def items(fw: Framework) -> dict[ItemKind, dict[str, str]]:
    """Each kind's items, number → text, in the framework's order."""
    out: dict[ItemKind, dict[str, str]] = {k: {} for k in KINDS}
    for d in fw.domains:
        out["domain"][d.id] = d.title
        for s in d.standards:
            out["standard"][s.id] = f"{s.title}: {s.text}"
            for k in s.key_questions:
                out["key_question"][k.id] = k.text
                for p in k.prompts:
                    out["prompt"][p.id] = p.text
    return out


def word_diff(old: str, new: str) -> tuple[Words, ...]:
    """The word-level difference of two texts, as runs of kept, removed and added words."""
    a, b = old.split(), new.split()
    runs: list[Words] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(Words("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(Words("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(Words("added", " ".join(b[j1:j2])))
    return tuple(runs)


def diff_editions(old: Framework, new: Framework) -> EditionDiff:
    """Everything that differs between ``old`` and ``new``, items in the new edition's order.

    ``MappingError`` where ``new`` supersedes ``old`` and its mapping does not fit it.
    """
    link = new.supersedes
    mapping = (edition_mapping(old, new) if link is not None
               and (link.id, link.edition) == (old.id, old.edition) else None)
    added: list[Item] = []
    removed: list[Item] = []
    reworded: list[Reworded] = []
    renumbered: list[Renumbered] = []
    old_items, new_items = items(old), items(new)
    for kind in KINDS:
        before, after = old_items[kind], new_items[kind]
        if mapping is not None and kind in MAPPED:
            _by_mapping(kind, before, after, mapping, (added, removed, reworded, renumbered))
            continue
        kept = {i for i in before if after.get(i) == before[i]}
        old_left = {i: t for i, t in before.items() if i not in kept}
        new_left = {i: t for i, t in after.items() if i not in kept}
        by_text: dict[str, list[str]] = {}
        for i, t in old_left.items():
            by_text.setdefault(t, []).append(i)
        moved: dict[str, str] = {}  # new id → old id
        for i, t in new_left.items():
            if by_text.get(t):
                moved[i] = by_text[t].pop(0)
        moved_old = set(moved.values())
        for i, t in new_left.items():
            if i in moved:
                renumbered.append(Renumbered(kind, moved[i], i, t))
            elif i in old_left and i not in moved_old:
                reworded.append(Reworded(kind, i, old_left[i], t, word_diff(old_left[i], t)))
            else:
                added.append(Item(kind, i, t))
        for i, t in old_left.items():
            if i in moved_old or (i in new_left and i not in moved):
                continue
            removed.append(Item(kind, i, t))
    return EditionDiff(old, new, tuple(added), tuple(removed), tuple(reworded),
                       tuple(renumbered), rule_changes(old, new), mapped=mapping is not None)


def _by_mapping(kind: ItemKind, before: dict[str, str], after: dict[str, str],
                mapping: EditionMapping,
                out: tuple[list[Item], list[Item], list[Reworded], list[Renumbered]]) -> None:
    """One kind's changes as the mapping says which old item each new item continues."""
    added, removed, reworded, renumbered = out
    removed_ids = set(mapping.removed)
    gone = [i for i in before if i in removed_ids]
    for i, t in after.items():
        old_id = mapping.carried.get(i)
        if old_id is None:
            twin = next((o for o in gone if before[o] == t), None)
            added.append(Item(kind, i, t, mapped=True, same_text_as=twin))
            continue
        if old_id != i:
            renumbered.append(Renumbered(kind, old_id, i, t))
        if before[old_id] != t:
            reworded.append(Reworded(kind, i, before[old_id], t, word_diff(before[old_id], t),
                                     old_id=old_id))
    removed.extend(Item(kind, i, before[i], mapped=True) for i in gone)


def diff_json(diff: EditionDiff) -> dict[str, Any]:
    """The difference as the JSON docs/cli.md gives for ``framework diff``."""
    def edition(fw: Framework) -> dict[str, str]:
        return {"id": fw.id, "edition": fw.edition, "title": fw.title, "hash": fw.hash}

    return {
        "old": edition(diff.old),
        "new": edition(diff.new),
        "mapped": diff.mapped,
        "added": [{"kind": i.kind, "id": i.id, "text": i.text, "new_in_edition": i.mapped,
                   "same_text_as": i.same_text_as} for i in diff.added],
        "removed": [{"kind": i.kind, "id": i.id, "text": i.text,
                     "answers_kept_in_history": i.mapped} for i in diff.removed],
        "reworded": [{"kind": r.kind, "id": r.id, "old_id": r.old_id, "old_text": r.old_text,
                      "new_text": r.new_text,
                      "words": [{"op": w.op, "text": w.text} for w in r.words]}
                     for r in diff.reworded],
        "renumbered": [{"kind": r.kind, "old_id": r.old_id, "new_id": r.new_id,
                        "text": r.text} for r in diff.renumbered],
        "rules": [{"kind": c.kind, "change": c.change, "id": c.id, "subject": c.subject,
                   "before": c.before, "after": c.after} for c in diff.rules],
    }


def kind_word(kind: ItemKind) -> str:
    """The kind of item as the text names it, through the message catalogue."""
    return {"domain": _("Domain"), "standard": _("Standard"),
            "key_question": _("Key question"), "prompt": _("Prompt")}[kind]


def marked_words(words: tuple[Words, ...]) -> str:
    """A re-wording on one line: kept words as they are, [-taken out-] and {+put in+}."""
    return " ".join(w.text if w.op == "same" else
                    (f"[-{w.text}-]" if w.op == "removed" else f"{{+{w.text}+}}")
                    for w in words)


def _added_line(i: Item) -> str:
    line = f"{kind_word(i.kind)} {i.id}: {i.text}"
    if not i.mapped:
        return line
    line += "\n  " + _("new in this edition: left blank on cases moved to it")
    if i.same_text_as is not None:
        line += "\n  " + _("the same words as {kind} {old}, removed: if it continues that "
                           "item, the edition must say so").format(
            kind=kind_word(i.kind).lower(), old=i.same_text_as)
    return line


def _removed_line(i: Item) -> str:
    line = f"{kind_word(i.kind)} {i.id}: {i.text}"
    if i.mapped:
        line += "\n  " + _("its answers stay in the case history only")
    return line


def _reworded_line(r: Reworded) -> str:
    if r.old_id == r.id:
        return f"{kind_word(r.kind)} {r.id}: {marked_words(r.words)}"
    return _("{kind} {new} (was {old}): {words}").format(
        kind=kind_word(r.kind), new=r.id, old=r.old_id, words=marked_words(r.words))


def diff_lines(diff: EditionDiff) -> list[str]:
    """The difference for an inspector: each item by its number and text, rules in words."""
    def name(fw: Framework) -> str:
        return _("{title}, edition {edition}").format(title=fw.title, edition=fw.edition)

    out = [_("From {old} to {new}").format(old=name(diff.old), new=name(diff.new))]
    if diff.empty:
        return [*out, _("No differences: the two editions hold the same items and rules.")]

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.append(f"{title} ({len(lines)}):")
            out.extend(f"  {line}" for entry in lines for line in entry.split("\n"))

    if diff.mapped:
        out.append(_("Key questions and prompts follow the new edition's mapping: which old "
                     "item each one continues."))
    section(_("Added"), [_added_line(i) for i in diff.added])
    section(_("Removed"), [_removed_line(i) for i in diff.removed])
    section(_("Re-worded"), [_reworded_line(r) for r in diff.reworded])
    section(_("Re-numbered"), [_("{kind} {old} is now {new}: {text}").format(
        kind=kind_word(r.kind), old=r.old_id, new=r.new_id, text=r.text)
        for r in diff.renumbered])
    rules: list[str] = []
    for c in diff.rules:
        if c.change == "added":
            rules.append(_("{rule}, added: {words}").format(rule=c.subject, words=c.after))
        elif c.change == "removed":
            rules.append(_("{rule}, removed: {words}").format(rule=c.subject, words=c.before))
        else:  # three lines: the rule, what it was, what it is now
            rules.append(_("{rule}, changed:\n  was: {before}\n  now: {after}").format(
                rule=c.subject, before=c.before, after=c.after))
    section(_("Rules changed"), rules)
    if diff.reworded:
        out.append(_("[-…-] words taken out, {+…+} words put in"))
    return out
