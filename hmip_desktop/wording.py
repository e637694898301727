"""Words shown to inspectors for the values the core stores.

One place for every screen, printed sheet and command: a status, a severity, a role.
Stored keys never reach the page.
"""

from __future__ import annotations

import re

from hmip_desktop.i18n import N_, Labels, _

# Tables of labels are translated when read (``Labels``): a sheet may be printed in the other
# language than the window's.
STATUS_LABELS = Labels({
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "complete": N_("Complete"),
    "queried": N_("Queried"),
    "signed_off": N_("Signed off"),
})

SEVERITY_LABELS = Labels({"must_fix": N_("Must fix"), "worth_a_look": N_("Worth a look")})


def status_label(status: str) -> str:
    """The case status as the case list words it."""
    return STATUS_LABELS.get(status, status)

# What each row of a case's audit trail did, as ``history`` words it (its --json keeps the key).
AUDIT_ACTIONS = Labels({
    "add_case": N_("case added"),
    "assign": N_("assigned"),
    "set": N_("answered"),
    "undo": N_("undone"),
    "hurdle": N_("set by a hurdle"),
    "status": N_("status"),
    "alert": N_("alert raised"),
    "acknowledge": N_("alert acknowledged"),
    "alert_step": N_("alert step"),
    "alert_action": N_("action on an alert"),
    "override_conflict": N_("allowed despite a conflict"),
    "case_language": N_("language"),
    "pack": N_("arrived in a pack"),
    "import": N_("applied from a bundle"),
    "receipt": N_("received by the lead"),
    "release": N_("released"),
    "released": N_("released"),
    "query": N_("query"),
    "reply": N_("reply"),
    "close_query": N_("query closed"),
    "signoff": N_("signed off"),
    "import_query": N_("query received"),
    "import_reply": N_("reply received"),
    "import_close": N_("query closed (received)"),
    "import_signoff": N_("sign-off received"),
    "reassign": N_("reassigned"),
    "reassigned": N_("reassigned (from a pack)"),
    "received": N_("taken from a pack"),
    "conflict": N_("version kept aside"),
    "resolve": N_("conflict resolved"),
    "conflict_notice": N_("conflict reported"),
    "adopt": N_("resolution taken from a pack"),
    "case_edition": N_("edition"),
    "edition": N_("moved to a new edition"),
    "edition_item": N_("changed by an edition move"),
    "edition_chosen": N_("chosen to move edition"),
})


def audit_action_label(action: str) -> str:
    """An audit row's action in words; an action this table does not know, as stored."""
    return AUDIT_ACTIONS.get(action, action.replace("_", " "))


ROLE_LABELS = Labels({
    "assessor": N_("Assessor"),
    "qa": N_("QA partner"),
    "lead": N_("Lead inspector"),
    "deputy": N_("Deputy lead inspector"),
    "partner": N_("Partner inspector"),
})


def role_label(role: str) -> str:
    """A member's role as a person reads it ("QA partner", never the stored "qa")."""
    return ROLE_LABELS.get(role, capitalised(role.replace("_", " ")))


# The reference manuals by the prefix of their file name (the seeds' index, README.md there):
# frameworks and notes cite "(000_ §2.3)"; a person reads the manual's title and the section.
MANUALS = Labels({
    "000": N_("Probation inspections external guidance manual"),
    "001": N_("Youth offending service inspections external guidance manual"),
    "002": N_("Dynamic inspection of public protection guidance manual"),
    "003": N_("Consultation on standards and ratings for inspecting probation services"),
    "004": N_("Changes to inspections of probation services in 2019-2020"),
})
_CITED = re.compile(r"\b(\d{3})_(?:[0-9a-f]{16}\.txt)?"
                    r"(?:\s*§\s*(\d+(?:\.\d+)*(?:-\d+(?:\.\d+)*)?))?")
_CITED_ANNEX = re.compile(r"\b(\d{3})_(?:[0-9a-f]{16}\.txt)?\s+(Annex [A-Z])")


def _manual(m: re.Match[str]) -> str:
    title = MANUALS.get(m.group(1))
    if title is None:
        return m.group(0)
    if m.group(2):
        return _("{manual}, section {section}").format(manual=title, section=m.group(2))
    return title


def cite_manuals(text: str) -> str:
    """Cite each manual by its title and section, not by its file's prefix.

    "(000_ §2.3)" becomes "(Probation inspections external guidance manual, section 2.3)";
    "003_ Annex F" keeps its annex.
    """
    text = _CITED_ANNEX.sub(lambda m: (f"{MANUALS[m.group(1)]}, {m.group(2)}"
                                       if m.group(1) in MANUALS else m.group(0)), text)
    return _CITED.sub(_manual, text)


def capitalised(text: str) -> str:
    """The message as a sentence starts: its first letter a capital, the rest as written.

    A message that starts with a file's name or path ("robin-1.hmipb was not imported") keeps
    it as written.
    """
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if "/" in first or "\\" in first or re.search(r"\.\w", first):
        return text
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if not ch.isspace() and ch not in "\"'“‘(":
            return text
    return text
