"""``framework diff``'s core: what changed between two editions of a framework."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.frameworks import Framework, available_frameworks
from hmip_desktop.frameworks.edition_diff import (
    Item,
    Renumbered,
    Words,
    diff_editions,
    diff_lines,
    word_diff,
)
from hmip_desktop.frameworks.loader import load_framework_bytes
from tests.frameworks.workbook_helpers import shipped_data

SHIPPED = [fw.id for fw in available_frameworks()]


def _load(data: dict[str, Any]) -> Framework:
    return load_framework_bytes(json.dumps(data).encode(), "edition.json")


def _kq(data: dict[str, Any], kq_id: str) -> dict[str, Any]:
    return next(k for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
                if k["id"] == kq_id)


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_an_edition_against_itself_shows_no_difference(framework_id: str) -> None:
    fw = _load(shipped_data(framework_id))
    diff = diff_editions(fw, fw)
    assert diff.empty
    assert diff_lines(diff)[-1].startswith("No differences")


def test_a_hand_made_edition_gives_exactly_its_changes() -> None:
    old_data = shipped_data("nps-2019-20")
    data = copy.deepcopy(old_data)
    data["edition"] = "2020-21"
    data["supersedes"] = {"id": "nps-2019-20", "edition": "2019-20"}
    reworded = _kq(data, "2.1.1")["prompts"][0]
    old_text = reworded["text"]
    assert " readiness " in old_text
    reworded["text"] = old_text.replace(" readiness ", " willingness ")
    _kq(data, "2.1.1")["prompts"].append({"id": "2.1.1.z", "text": "Was the victim consulted?"})
    removed = _kq(data, "2.1.2")["prompts"].pop()
    moved = _kq(data, "2.2.1")["prompts"][-1]
    moved_from = moved["id"]
    moved["id"] = "2.2.1.y"
    moved["continues"] = moved_from
    data["hurdles"][0]["when"] = {"ref": "2.1.3.c", "in": ["no"]}
    old, new = _load(old_data), _load(data)

    diff = diff_editions(old, new)

    assert diff.added == (Item("prompt", "2.1.1.z", "Was the victim consulted?", mapped=True),)
    assert diff.removed == (Item("prompt", removed["id"], removed["text"], mapped=True),)
    assert [(r.id, r.old_text, r.new_text) for r in diff.reworded] == [
        ("2.1.1.a", old_text, reworded["text"])]
    assert [w for w in diff.reworded[0].words if w.op != "same"] == [
        Words("removed", "readiness"), Words("added", "willingness")]
    assert diff.renumbered == (Renumbered("prompt", moved_from, "2.2.1.y", moved["text"]),)
    assert [(c.kind, c.change, c.subject) for c in diff.rules] == [
        ("hurdle", "changed", "Hurdle on key question 2.1.3")]
    assert "prompt 2.1.3.c is answered no" in (diff.rules[0].after or "")
    text = "\n".join(diff_lines(diff))
    assert f"Prompt {moved_from} is now 2.2.1.y: {moved['text']}" in text
    assert "[-readiness-] {+willingness+}" in text
    assert "child_safeguarding" not in text  # rule ids are not for inspectors


def test_changed_bands_and_case_facts_are_rules_that_changed() -> None:
    old_data = shipped_data("crc-2019-20")
    data = copy.deepcopy(old_data)
    data["rating_bands"][2]["min_percent"] += 1
    data["case_facts"][0]["choices"][0]["label"] += " (all)"
    diff = diff_editions(_load(old_data), _load(data))
    assert [(c.kind, c.change) for c in diff.rules] == [("rating_band", "changed"),
                                                         ("case_fact", "changed")]
    assert not (diff.added or diff.removed or diff.reworded or diff.renumbered)


def test_the_word_diff_keeps_the_words_in_common() -> None:
    assert word_diff("Is the plan reviewed", "Is the sentence plan reviewed often") == (
        Words("same", "Is the"), Words("added", "sentence"), Words("same", "plan reviewed"),
        Words("added", "often"))


# Prompts a random edition may change: unique text, named by no rule and by no key question's
# link to the case data, in a key question with more than one prompt (so the question keeps one
# when a prompt goes).
_BASE = shipped_data("nps-2019-20")
_TEXTS = [p["text"] for d in _BASE["domains"] for s in d["standards"] for k in s["key_questions"]
          for p in k["prompts"]]
_NAMED = json.dumps([_BASE["applicability"], _BASE["hurdles"],
                     [k.get("informed_by", []) for d in _BASE["domains"] for s in d["standards"]
                      for k in s["key_questions"]]])
_CHANGEABLE = [(k["id"], i) for d in _BASE["domains"] for s in d["standards"]
               for k in s["key_questions"] if len(k["prompts"]) > 1
               for i, p in enumerate(k["prompts"])
               if _TEXTS.count(p["text"]) == 1 and f'"{p["id"]}"' not in _NAMED]
_OLD = _load(_BASE)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_diff_of_random_small_changes_names_each_change(data: st.DataObject) -> None:
    kq_ids = sorted({kq for kq, _ in _CHANGEABLE})
    chosen = data.draw(st.lists(st.sampled_from(kq_ids), min_size=1, max_size=6, unique=True))
    new = copy.deepcopy(_BASE)
    new["edition"], new["supersedes"] = "next", {"id": _OLD.id, "edition": _OLD.edition}
    expect: dict[str, set[tuple[str, ...]]] = {k: set() for k in
                                               ("added", "removed", "reworded", "renumbered")}
    for n, kq_id in enumerate(chosen):
        index = data.draw(st.sampled_from([i for kq, i in _CHANGEABLE if kq == kq_id]))
        action = data.draw(st.sampled_from(["reword", "remove", "renumber", "add"]))
        prompts = _kq(new, kq_id)["prompts"]
        prompt = prompts[index]
        if action == "reword":
            prompt["text"] = f"{prompt['text']} (check {n})"
            expect["reworded"].add((prompt["id"], prompt["text"]))
        elif action == "remove":
            prompts.pop(index)
            expect["removed"].add((prompt["id"],))
        elif action == "renumber":
            expect["renumbered"].add((prompt["id"], f"{kq_id}.zz"))
            prompt["continues"] = prompt["id"]
            prompt["id"] = f"{kq_id}.zz"
        else:
            prompts.append({"id": f"{kq_id}.zy", "text": f"Was check {n} made?"})
            expect["added"].add((f"{kq_id}.zy",))

    rules: set[tuple[str, str]] = set()
    if data.draw(st.booleans()):
        new["hurdles"][0]["reason"] += " Check the record."
        rules.add(("hurdle", new["hurdles"][0]["id"]))
    if data.draw(st.booleans()):
        new["rating_bands"][2]["min_percent"] += 1
        rules.add(("rating_band", new["rating_bands"][2]["band"]))

    diff = diff_editions(_OLD, _load(new))

    assert {(i.id,) for i in diff.added} == expect["added"]
    assert {(i.id,) for i in diff.removed} == expect["removed"]
    assert {(r.id, r.new_text) for r in diff.reworded} == expect["reworded"]
    assert {(r.old_id, r.new_id) for r in diff.renumbered} == expect["renumbered"]
    assert {(c.kind, c.id) for c in diff.rules} == rules
    assert all(c.change == "changed" for c in diff.rules)
