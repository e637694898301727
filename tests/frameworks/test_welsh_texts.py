"""A framework's Welsh: kept beside each English text, placeholders alike, and said whose it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.frameworks.loader import FrameworkError, load_framework_bytes

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "frameworks" / "youth-2019-20.json"


def _youth() -> dict:  # type: ignore[type-arg]
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def test_the_welsh_of_a_text_is_found_by_its_english_and_missing_welsh_is_none() -> None:
    data = _youth()
    kq = data["domains"][1]["standards"][0]["key_questions"][0]
    kq["text_cy"] = "A yw'r asesiad yn ddigonol?"
    del kq["prompts"][0]["text_cy"]
    data["source"]["welsh"] = "drafted"
    fw = load_framework_bytes(json.dumps(data).encode(), "youth.json")
    assert fw.in_welsh(kq["text"]) == "A yw'r asesiad yn ddigonol?"
    assert fw.in_welsh(kq["prompts"][0]["text"]) is None
    assert fw.welsh_source == "drafted"


def test_welsh_with_other_placeholders_than_the_english_is_refused_naming_the_item() -> None:
    data = _youth()
    data["domains"][1]["standards"][0]["key_questions"][0]["text_cy"] = "Cwestiwn {achos}"
    with pytest.raises(FrameworkError, match=r"youth\.json at domains\[1\]\.standards\[0\]\."
                       r"key_questions\[0\]\.text_cy: the Welsh has other placeholders"):
        load_framework_bytes(json.dumps(data).encode(), "youth.json")


def test_whose_welsh_it_is_must_be_drafted_or_verbatim() -> None:
    data = _youth()
    data["source"]["welsh"] = "machine"
    with pytest.raises(FrameworkError, match=r"source\.welsh: 'machine' is not one of drafted"):
        load_framework_bytes(json.dumps(data).encode(), "youth.json")


_TEXT_KEYS = ("title", "text", "guidance", "label", "reason", "outstanding", "inadequate")
_NO_WELSH = {"sampling", "schedule", "team", "qa", "alerts", "source", "rating_bands",
             "overall_bands", "discretion"}


def _english_without_welsh(node: object, path: str) -> list[str]:
    missing: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if (not path and key in _NO_WELSH) or key.endswith("_cy"):
                continue
            if key in _TEXT_KEYS and isinstance(value, (str, list)):
                welsh = node.get(f"{key}_cy")
                partial = isinstance(value, list) and (len(welsh or ()) != len(value)
                                                       or not all(welsh))
                if not welsh or partial:
                    missing.append(f"{path}.{key}")
            else:
                missing += _english_without_welsh(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            missing += _english_without_welsh(item, f"{path}[{i}]")
    return missing


def test_the_shipped_youth_framework_has_every_text_in_welsh_marked_drafted() -> None:
    data = _youth()
    assert _english_without_welsh(data, "") == []
    fw = load_framework_bytes(SHIPPED.read_bytes(), SHIPPED.name)
    assert fw.welsh_source == "drafted"
    kq = data["domains"][1]["standards"][0]["key_questions"][0]
    assert fw.in_welsh(kq["text"]) == kq["text_cy"]
