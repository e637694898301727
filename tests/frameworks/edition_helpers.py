"""Small framework editions for the mapping tests: only the structure the mapping looks at."""

from __future__ import annotations

from typing import Any

from hmip_desktop.frameworks import Framework
from hmip_desktop.frameworks.loader import parse_framework

# An edition's shape: key question id → its prompts' letters, in form order. Key question ids
# are d.s.k, so their domains and standards follow from them.
Shape = dict[str, list[str]]


def edition_data(shape: Shape, edition: str, supersedes: str | None = None,
                 continues: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A valid framework file holding ``shape``; ``continues`` gives items' mapping keys."""
    continues = continues or {}
    domains: dict[str, dict[str, Any]] = {}
    standards: dict[str, dict[str, Any]] = {}
    for kq_id, letters in shape.items():
        d_id, s_id = kq_id.split(".")[0], kq_id.rpartition(".")[0]
        if d_id not in domains:
            domains[d_id] = {"id": d_id, "title": f"Domain {d_id}", "standards": []}
        if s_id not in standards:
            standards[s_id] = {"id": s_id, "title": f"Standard {s_id}", "text": "Is it done?",
                               "rated_by": "cases", "key_questions": []}
            domains[d_id]["standards"].append(standards[s_id])
        prompts = [{"id": f"{kq_id}.{x}", "text": f"Was {kq_id}.{x} done?",
                    **continues.get(f"{kq_id}.{x}", {})} for x in letters]
        standards[s_id]["key_questions"].append(
            {"id": kq_id, "text": f"Was {kq_id} done?", "prompts": prompts,
             **continues.get(kq_id, {})})
    data: dict[str, Any] = {
        "format": 1, "id": "mapped", "version": edition, "title": "Mapped framework",
        "programme": "public_protection", "rated": False,
        "source": {"documents": ["Invented for tests"], "notes": "Invented."},
        "rating_bands": [], "overall_bands": [],
        "discretion": {"margin_points": 5, "small_sample_max": 5},
        "case_facts": [], "case_questions": [{"id": "inspector_view", "label": "View",
                                              "choices": [{"value": "yes", "label": "Yes"}]}],
        "domains": list(domains.values()), "applicability": [], "hurdles": [],
    }
    if supersedes is not None:
        data["supersedes"] = {"id": "mapped", "edition": supersedes}
    return data


def edition(shape: Shape, name: str, supersedes: str | None = None,
            continues: dict[str, dict[str, Any]] | None = None) -> Framework:
    return parse_framework(edition_data(shape, name, supersedes, continues), f"{name}.json")
