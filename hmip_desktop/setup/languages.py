"""The languages an inspection works in: what a member can assess in, what a case needs.

In Wales, HM Inspectorate of Probation treats Welsh and English equally, and Welsh-speaking
local assessors join the fieldwork (Dynamic inspection of public protection guidance manual
§5.1). A member holds the languages they can inspect a case in (English unless the lead says
otherwise); a case holds the language of its records and interview (English unless the sample
or the lead says otherwise). Allocation gives a case only to a member who works in its
language (``setup/allocation.py``).

Codes are stored (``en``, ``cy``) and words are shown; a sample's column or the CLI may give
either, in any case: "Welsh", "Cymraeg", "cy".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store import inspections

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace

ENGLISH, WELSH = inspections.ENGLISH, "cy"
CODES = inspections.LANGUAGE_CODES
_NAMES = {ENGLISH: ("en", "english", "saesneg"), WELSH: ("cy", "welsh", "cymraeg")}


class LanguageError(UserError):
    """A language that is not one the product knows (one line saying why)."""


def language_name(code: str) -> str:
    """The language in words, for the screen and paper."""
    return {ENGLISH: _("English"), WELSH: _("Welsh")}.get(code, code)


def languages_text(codes: Iterable[str]) -> str:
    return _(" and ").join(language_name(c) for c in codes)


def language_code(text: str) -> str:
    """``en`` or ``cy`` for a code or a name in either language, or ``LanguageError``."""
    key = " ".join(text.split()).casefold()
    for code, names in _NAMES.items():
        if key in names:
            return code
    raise LanguageError(_("{text!r} is not a language the inspection works in (English or "
                          "Welsh)").format(text=text.strip()[:40]))


def parse_languages(text: str) -> tuple[str, ...]:
    """Codes from "en,cy", "English and Welsh" and the like, in the order of ``CODES``."""
    parts = [p for p in text.replace(" and ", ",").replace(";", ",").replace("/", ",")
             .split(",") if p.strip()]
    if not parts:
        raise LanguageError(_("give at least one language (English or Welsh)"))
    found = {language_code(p) for p in parts}
    return tuple(c for c in CODES if c in found)


def stored_languages(value: str | None) -> tuple[str, ...]:
    """A member's stored ``languages`` column ("en,cy") as codes; English when empty."""
    codes = tuple(c for c in CODES if c in (value or "").split(","))
    return codes or (ENGLISH,)


def language_refusal(ws: Workspace, case_id: str, member_id: str) -> str | None:
    """Why ``member_id`` may not be given the case for its language, or None."""
    case = ws.find_case(case_id)
    m = next((m for m in ws.members(case.inspection_id) if m["id"] == member_id), None)
    if m is None or case.language in stored_languages(m["languages"]):
        return None
    return _("{name} does not inspect in {language}, the language of case {ref}'s records and "
             "interview: give it to a member who does, or record their {language}").format(
        name=m["name"], language=language_name(case.language), ref=case.case_ref)


def _lead_only(ws: Workspace) -> None:
    if ws.owner_role != "lead":
        raise LanguageError(_("only the lead sets the languages of the team and the cases"))


def set_member_languages(ws: Workspace, inspection_id: str, member_id: str,
                         languages: str) -> tuple[str, ...]:
    """The lead records the languages a member inspects in ("English and Welsh", "en,cy")."""
    _lead_only(ws)
    codes = parse_languages(languages)
    if member_id not in {m["id"] for m in ws.members(inspection_id)}:
        raise LanguageError(_("that member is not in this inspection"))
    ws.set_member_languages(member_id, codes)
    return codes


def set_case_language(ws: Workspace, case_ref_or_id: str, language: str) -> str:
    """The lead records the language of a case's records and interview ("Welsh", "cy").

    Refused for an allocated case whose member does not inspect in that language: move the
    case first, or record the member's language.
    """
    _lead_only(ws)
    code = language_code(language)
    case = ws.find_case(case_ref_or_id)
    owner = next((a["member_id"] for a in ws.allocations(case.inspection_id)
                  if a["id"] == case.id), None)
    if owner is not None:
        held = next((m for m in ws.members(case.inspection_id) if m["id"] == owner), None)
        if held is not None and code not in stored_languages(held["languages"]):
            raise LanguageError(_(
                "case {ref} is allocated to {name}, who does not inspect in {language}: "
                "reassign it first, or record {name}'s {language}").format(
                    ref=case.case_ref, name=held["name"], language=language_name(code)))
    ws.set_case_language(case.id, code)
    return code
