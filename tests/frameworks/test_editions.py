"""A framework's edition and the edition it supersedes: read, refused when wrong, kept by the
workbook round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.frameworks import Framework, FrameworkError, available_frameworks
from hmip_desktop.frameworks.loader import load_framework_bytes
from hmip_desktop.frameworks.model import Supersedes
from hmip_desktop.frameworks.workbook_build import build_framework_file
from hmip_desktop.frameworks.workbook_write import write_framework_workbook
from tests.frameworks.workbook_helpers import shipped_data


def _load(data: dict[str, object]) -> Framework:
    return load_framework_bytes(json.dumps(data).encode(), "edition.json")


def test_the_shipped_editions_and_their_lineage() -> None:
    lineage = {fw.id: (fw.edition, fw.supersedes) for fw in available_frameworks()}
    assert lineage == {
        "nps-2017": ("2017", None),
        "nps-2019-20": ("2019-20", Supersedes("nps-2017", "2017")),
        "crc-2017": ("2017", None),
        "crc-2019-20": ("2019-20", Supersedes("crc-2017", "2017")),
        "youth-2019-20": ("2019.1", None),  # a first edition named by its version
        "dipp-2025": ("2025.1", None),
    }


def test_an_edition_and_what_it_supersedes_are_read_from_the_file() -> None:
    data = shipped_data("nps-2019-20")
    data["edition"] = "2020-21"
    data["supersedes"] = {"id": "nps-2019-20", "edition": "2019-20"}
    fw = _load(data)
    assert fw.edition == "2020-21"
    assert fw.supersedes == Supersedes("nps-2019-20", "2019-20")


@pytest.mark.parametrize(("supersedes", "message"), [
    ({"id": "nps-2019-20", "edition": "2019-20"}, "at supersedes: edition '2019-20' cannot "
     "supersede itself"),
    ({"id": "NPS 2017", "edition": "2017.1"}, "at supersedes.id: 'NPS 2017' is not a valid id"),
    ({"id": "nps-2017"}, "at supersedes: missing key 'edition'"),
    ({"id": "nps-2017", "edition": " "}, "at supersedes.edition: must not be empty"),
    ({"id": "nps-2017", "edition": "2017.1", "date": "2017"}, "at supersedes: unknown key 'date'"),
    ("nps-2017", "at supersedes: expected an object, found text"),
])
def test_a_wrong_supersedes_link_is_refused_with_its_place(supersedes: object,
                                                           message: str) -> None:
    data = shipped_data("nps-2019-20")
    data["supersedes"] = supersedes
    with pytest.raises(FrameworkError, match=message):
        _load(data)


def test_an_empty_edition_is_refused() -> None:
    data = shipped_data("crc-2019-20")
    data["edition"] = ""
    with pytest.raises(FrameworkError, match="at edition: must not be empty"):
        _load(data)


def test_the_workbook_carries_the_edition_and_lineage_with_the_same_hash(tmp_path: Path) -> None:
    data = shipped_data("youth-2019-20")
    data["edition"] = "2020-21"
    data["supersedes"] = {"id": "youth-2019-20", "edition": "2019.1"}
    book = write_framework_workbook(data, tmp_path / "youth.xlsx")
    fw = build_framework_file(book, tmp_path / "youth.json")
    assert fw.hash == _load(data).hash
    assert fw.edition == "2020-21"
    assert fw.supersedes == Supersedes("youth-2019-20", "2019.1")
