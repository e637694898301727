"""A small next edition of the NPS framework, built from the shipped file for edition tests.

Against the shipped edition it re-words prompt 2.1.1.a, adds prompt 2.1.1.z (new in this
edition), drops prompt 2.1.2.c and re-numbers prompt 2.2.1.d as 2.2.1.y (``continues``).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hmip_desktop.frameworks.loader import load_framework_bytes
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.shipped_files import resource

REWORDED, ADDED, REMOVED, RENUMBERED_FROM, RENUMBERED_TO = (
    "2.1.1.a", "2.1.1.z", "2.1.2.c", "2.2.1.d", "2.2.1.y")


def _kq(data: dict[str, Any], kq_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        k for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
        if k["id"] == kq_id)
    return found


def nps_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("frameworks", "nps-2019-20.json").read_bytes())
    return data


def next_edition_data(old: dict[str, Any] | None = None) -> dict[str, Any]:
    """The next edition's file content (as a dict)."""
    base = old or nps_data()
    data = copy.deepcopy(base)
    data["edition"] = "2020-21"
    data["version"] = "2020.1"
    data["supersedes"] = {"id": data["id"], "edition": base.get("edition", base["version"])}
    prompt = _kq(data, "2.1.1")["prompts"][0]
    prompt["text"] = prompt["text"].replace(" readiness ", " willingness ")
    _kq(data, "2.1.1")["prompts"].append({"id": ADDED, "text": "Was the victim consulted?"})
    _kq(data, "2.1.2")["prompts"] = [p for p in _kq(data, "2.1.2")["prompts"]
                                     if p["id"] != REMOVED]
    moved = _kq(data, "2.2.1")["prompts"][-1]
    assert moved["id"] == RENUMBERED_FROM
    moved["id"], moved["continues"] = RENUMBERED_TO, RENUMBERED_FROM
    return data


def next_edition_bytes() -> bytes:
    return json.dumps(next_edition_data()).encode("utf-8")


def next_edition() -> Framework:
    return load_framework_bytes(next_edition_bytes(), "next-edition.json")
