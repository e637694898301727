"""Framework files: every shipped one loads; a broken one is refused with file, place, fault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import (
    FrameworkError,
    available_frameworks,
    load_framework,
    load_framework_file,
)
from hmip_desktop.frameworks.loader import content_hash
from tests.core.framework_fixture import tiny_framework, tiny_framework_data

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "frameworks"


def test_the_four_required_frameworks_are_shipped() -> None:
    ids = [fw.id for fw in available_frameworks()]
    for word in ("nps", "crc", "youth", "dipp"):
        assert any(word in i for i in ids), f"no framework id containing {word!r}: {ids}"


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.json")), ids=lambda p: p.stem)
def test_every_shipped_framework_loads_and_is_sound(path: Path) -> None:
    fw = load_framework_file(path)
    assert path.stem == fw.id
    assert fw.hash == content_hash(json.loads(path.read_text("utf-8")))
    assert fw.source_notes and fw.source_documents
    for s in fw.standards:
        for k in s.key_questions:
            assert k.guidance.strip(), f"{fw.id} {k.id} has no guidance"
            for p in k.prompts:
                assert p.guidance.strip(), f"{fw.id} {p.id} has no guidance"
    if fw.rated:
        assert fw.overall_bands[-1].max_score == 3 * len(fw.standards)
        assert fw.case_key_questions(), "a rated framework needs case-answered key questions"


def test_standard_counts_match_the_manuals() -> None:
    counts = {fw.id: len(fw.standards) for fw in available_frameworks()}
    by_word = {w: next(v for k, v in counts.items() if w in k) for w in ("nps", "crc", "youth")}
    assert by_word == {"nps": 10, "crc": 10, "youth": 12}
    dipp = next(fw for fw in available_frameworks() if "dipp" in fw.id)
    assert not dipp.rated


def test_unknown_framework_id_names_the_known_ones() -> None:
    with pytest.raises(FrameworkError, match=r"unknown framework 'nope'.*known: "):
        load_framework("nope")


def test_hash_ignores_layout_but_not_words(tmp_path: Path) -> None:
    data = tiny_framework_data()
    a = tmp_path / "a.json"
    a.write_text(json.dumps(data, indent=2))
    b = tmp_path / "b.json"
    b.write_text(json.dumps(data, separators=(",", ":")).replace("\n", "\r\n"))
    assert load_framework_file(a).hash == load_framework_file(b).hash
    data["domains"][1]["standards"][0]["key_questions"][0]["text"] += " "
    b.write_text(json.dumps(data))
    assert load_framework_file(a).hash != load_framework_file(b).hash


def _set(data: dict[str, Any], path: list[Any], value: Any) -> None:
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value


_DELETE = object()
KQ = ["domains", 1, "standards", 0, "key_questions", 0]


@pytest.mark.parametrize(("path", "value", "place", "fault"), [
    (["format"], 2, "format", "unsupported format"),
    (["title"], _DELETE, "", "missing key 'title'"),
    (["rated"], "yes", "rated", "expected true or false"),
    ([*KQ, "id"], "2.2.9", "domains[1].standards[0].key_questions[0].id", "does not sit under"),
    ([*KQ, "prompts", 0, "id"], "2.1.1.A", "prompts[0].id", "must be 2.1.1.<letter>"),
    ([*KQ, "prompts", 1, "id"], "2.1.1.a", "prompts[1].id", "duplicate id '2.1.1.a'"),
    ([*KQ, "colour"], "red", "key_questions[0]", "unknown key 'colour'"),
    ([*KQ, "text"], "  ", "key_questions[0].text", "must not be empty"),
    (["domains", 0, "standards", 0, "key_questions", 0, "qualitative"], False,
     "domains[0].standards[0].key_questions[0]", "must be qualitative"),
    (["applicability", 0, "applies_when", "ref"], "sentence", "applies_when.ref",
     "is not a case fact"),
    (["applicability", 0, "applies_when", "in"], ["licence"], "applies_when.in[0]",
     "not a value of 'sentence_type'"),
    (["applicability", 1, "items"], ["9.9"], "applicability[1].items[0]", "not a standard"),
    (["hurdles", 0, "item"], "2.1.3.a", "hurdles[0].item", "not a key question"),
    (["overall_bands", 1, "min_score"], 3, "overall_bands[1]", "without gap or overlap"),
    (["overall_bands", 3, "max_score"], 10, "overall_bands", "must end at 9"),
    (["rating_bands", 2, "min_percent"], 40, "rating_bands[2].min_percent", "must rise"),
    (["case_facts", 0, "choices"], [], "case_facts[0].choices", "must not be empty"),
    (["domains", 1, "standards", 0, "rating_characteristics"],
     {"outstanding": ["Agile."], "inadequate": ["Slow."]},
     "domains[1].standards[0].rating_characteristics", "only a lead-rated standard"),
    (["rating_characteristics"], {"outstanding": ["Agile."]}, "rating_characteristics",
     "missing key 'inadequate'"),
    (["domains", 0, "standards", 0, "rating_characteristics"],
     {"outstanding": [], "inadequate": ["Slow."]},
     "domains[0].standards[0].rating_characteristics.outstanding", "must not be empty"),
    # A framework travels in the lead's pack: its texts reach every member's screen.
    ([*KQ, "text"], "Does it \x1b[2J clear?", "key_questions[0].text",
     "contains a control character (U+001B)"),
    ([*KQ, "prompts", 0, "text"], "Left \u202e thgir?", "prompts[0].text",
     "reverses the direction of text (U+202E)"),
    ([*KQ, "prompts", 0, "guidance"], "Read <img src='x.png'> here", "prompts[0].guidance",
     "contains markup"),
    (["title"], "<b>Bold</b> inspection", "title", "contains markup"),
    (["domains", 0, "standards", 0, "rating_characteristics"],
     {"outstanding": ["Agile &amp; quick."], "inadequate": ["Slow."]},
     "rating_characteristics.outstanding[0]", "contains markup"),
])
def test_broken_file_names_file_place_and_fault(
    tmp_path: Path, path: list[Any], value: Any, place: str, fault: str
) -> None:
    data = tiny_framework_data()
    _set(data, path, value)
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(data))
    with pytest.raises(FrameworkError) as info:
        load_framework_file(f)
    message = str(info.value)
    assert message.startswith("broken.json")
    assert place in message
    assert fault in message
    assert "\n" not in message


def test_not_json_gives_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.json"
    f.write_text('{\n  "format": 1,\n  "id": oops\n}')
    with pytest.raises(FrameworkError, match=r"bad\.json: not valid JSON at line 3, column 9"):
        load_framework_file(f)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match=r"missing\.json: cannot read the file"):
        load_framework_file(tmp_path / "missing.json")


def test_the_fixture_itself_is_valid() -> None:
    fw = tiny_framework()
    assert [s.id for s in fw.standards] == ["1.1", "2.1", "2.2"]
    assert [k.id for k in fw.case_key_questions()] == ["2.1.1", "2.1.2", "2.1.3", "2.2.1"]



def test_a_standard_s_own_rating_characteristics_come_before_the_general_ones() -> None:
    data = tiny_framework_data()
    data["rating_characteristics"] = {"outstanding": ["Open."], "inadequate": ["Closed."]}
    fw = tiny_framework(data)
    general = fw.characteristics_of("1.1")
    assert general is not None and general.outstanding == ("Open.",)
    data["domains"][0]["standards"][0]["rating_characteristics"] = {
        "outstanding": ["Leaders inspire."], "inadequate": ["Leaders blame."]}
    own = tiny_framework(data).characteristics_of("1.1")
    assert own is not None and own.inadequate == ("Leaders blame.",)
    assert tiny_framework(tiny_framework_data()).characteristics_of("1.1") is None


def test_plain_text_with_a_less_than_sign_or_an_ampersand_is_allowed(tmp_path: Path) -> None:
    data = tiny_framework_data()
    _set(data, [*KQ, "text"], "Were fewer than 3 < 4 contacts missed, and R & D kept?")
    _set(data, [*KQ, "prompts", 0, "guidance"], "First line.\n\tSecond, indented.")
    f = tmp_path / "fine.json"
    f.write_text(json.dumps(data))
    fw = load_framework_file(f)
    assert fw.key_questions_by_id["2.1.1"].text.startswith("Were fewer than 3 < 4")
