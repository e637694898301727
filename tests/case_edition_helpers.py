"""Small test editions of a shipped framework, and an inspection put on a later edition.

An edition here is a shipped framework with ``supersedes`` set and one change: a prompt
re-worded only (its key question stays the same), or a prompt added to a key question (that
key question is no longer the same). ``put_on_edition`` stands in for the move of an
inspection to a later edition, with some cases staying on the one before.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hmip_desktop.shipped_files import resource
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

NEW_PROMPT = "2.1.1.z"
"""The prompt ``next_edition(..., add_prompt=True)`` adds, to key question 2.1.1."""
REWORDED = "2.1.1.a"
RENUMBERED = "2.1.9"


def shipped(framework_id: str = "nps-2019-20") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("frameworks", f"{framework_id}.json")
                                      .read_bytes())
    return data


def next_edition(base: dict[str, Any], edition: str = "2020.1", *, reword: bool = True,
                 add_prompt: bool = False, renumber: bool = False) -> dict[str, Any]:
    """``base``'s next edition: a prompt of 2.1.1 re-worded, a prompt added if asked, and
    2.1.1 re-numbered as ``RENUMBERED`` (its prompts with it, each continuing its old one)."""
    data = copy.deepcopy(base)
    data["supersedes"] = {"id": base["id"], "edition": base.get("edition", base["version"])}
    data["edition"] = edition
    kq = next(k for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
              if k["id"] == "2.1.1")
    if reword:
        prompt = next(p for p in kq["prompts"] if p["id"] == REWORDED)
        prompt["text"] = prompt["text"].replace("Does assessment", "Does the assessment")
    if add_prompt:
        kq["prompts"].append({"id": NEW_PROMPT, "text": "Does the assessment draw on what "
                              "the service user's family say about engaging?"})
    if renumber:
        kq["id"], kq["continues"] = RENUMBERED, kq["id"]
        for p in kq["prompts"]:
            p["continues"], p["id"] = p["id"], f"{RENUMBERED}.{p['id'].rsplit('.', 1)[1]}"
    return data


def as_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=1).encode()


def put_on_edition(ws: Workspace, iid: str, data: dict[str, Any], staying: list[str]) -> str:
    """Move the inspection to the edition ``data``; the cases ``staying`` keep the one before.

    Returns the hash of the edition the inspection was on.
    """
    fw = ws.store_framework(as_bytes(data))
    with ws.transaction():
        (old,) = connection(ws).execute("SELECT framework_hash FROM inspections WHERE id = ?",
                                        (iid,)).fetchone()
        connection(ws).execute(
            "UPDATE inspections SET framework_hash = ?, framework_version = ? WHERE id = ?",
            (fw.hash, fw.version, iid))
        connection(ws).executemany("UPDATE cases SET framework_hash = ? WHERE id = ?",
                                   [(old, cid) for cid in staying])
    return str(old)
