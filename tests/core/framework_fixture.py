"""A small but complete framework, built in code, for rule tests that need exact control."""

from __future__ import annotations

import copy
from typing import Any

from hmip_desktop.frameworks.loader import parse_framework
from hmip_desktop.frameworks.model import Framework

BANDS = [
    {"band": "inadequate", "label": "Minority", "min_percent": 0},
    {"band": "requires_improvement", "label": "Too few", "min_percent": 50},
    {"band": "good", "label": "Reasonable majority", "min_percent": 65},
    {"band": "outstanding", "label": "Large majority", "min_percent": 80},
]


def _kq(kid: str, n_prompts: int = 2, **extra: Any) -> dict[str, Any]:
    return {
        "id": kid,
        "text": f"Key question {kid}?",
        "guidance": "Look for it.",
        "prompts": [
            {"id": f"{kid}.{chr(97 + i)}", "text": f"Prompt {i}?", "guidance": "g"}
            for i in range(n_prompts)
        ],
        **extra,
    }


def tiny_framework_data() -> dict[str, Any]:
    """Domain 1 lead-rated (1.1); domain 2 case-rated (2.1; 2.2 adjustable, one qualitative KQ)."""
    return copy.deepcopy({
        "format": 1,
        "id": "tiny-test",
        "version": "1",
        "title": "Tiny test framework",
        "programme": "probation",
        "rated": True,
        "source": {"documents": ["invented for tests"], "notes": "All text drafted for tests."},
        "rating_bands": BANDS,
        "overall_bands": [
            {"rating": "inadequate", "min_score": 0, "max_score": 1},
            {"rating": "requires_improvement", "min_score": 2, "max_score": 4},
            {"rating": "good", "min_score": 5, "max_score": 7},
            {"rating": "outstanding", "min_score": 8, "max_score": 9},
        ],
        "discretion": {"margin_points": 5, "small_sample_max": 5},
        "qa": {"majority_no_share": 0.5, "min_feedback_chars": 40,
               "rosh_pairs": {"inspector_rosh": "rosh"}},
        "case_facts": [
            {"id": "sentence_type", "label": "Sentence",
             "choices": [{"value": "community", "label": "Community"},
                         {"value": "post_custody", "label": "Post-custody"}]},
            {"id": "rosh", "label": "Recorded RoSH",
             "choices": [{"value": v, "label": v} for v in ("low", "medium", "high")]},
        ],
        "case_questions": [
            {"id": "inspector_rosh", "label": "Inspector's RoSH", "guidance": "",
             "choices": [{"value": v, "label": v} for v in ("low", "medium", "high")]},
        ],
        "domains": [
            {"id": "1", "title": "Organisational", "standards": [
                {"id": "1.1", "title": "Leadership", "text": "Leads.", "rated_by": "lead",
                 "key_questions": [_kq("1.1.1", qualitative=True)]},
            ]},
            {"id": "2", "title": "Cases", "standards": [
                {"id": "2.1", "title": "Assessment", "text": "Assesses.", "rated_by": "cases",
                 "key_questions": [_kq("2.1.1"), _kq("2.1.2", 3), _kq("2.1.3", 4)]},
                {"id": "2.2", "title": "Unpaid work", "text": "Works.", "rated_by": "cases",
                 "adjustable": True,
                 "key_questions": [_kq("2.2.1"), _kq("2.2.2", qualitative=True)]},
            ]},
        ],
        "applicability": [
            {"id": "post_custody_only", "items": ["2.1.2.c"],
             "applies_when": {"ref": "sentence_type", "in": ["post_custody"]},
             "reason": "Post-custody cases only."},
            {"id": "rosh_not_low", "items": ["2.1.3"],
             "applies_when": {"not": {"ref": "inspector_rosh", "in": ["low"]}},
             "reason": "Not applicable where the inspector judges the RoSH low."},
        ],
        "hurdles": [
            {"id": "safeguarding", "when": {"ref": "2.1.3.d", "in": ["no"]}, "item": "2.1.3",
             "forces": "no", "reason": "Insufficient safeguarding assessment."},
        ],
    })


def tiny_framework(data: dict[str, Any] | None = None) -> Framework:
    return parse_framework(data or tiny_framework_data(), "tiny-test.json")
