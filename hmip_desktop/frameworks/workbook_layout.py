"""The framework workbook's sheets and columns, its caps and its instructions.

One place says what the template holds, so the writer (``workbook_write``), the reader
(``workbook_read``) and the builder (``workbook_build``) cannot disagree. See
docs/framework-format.md, "Authoring a framework in a workbook".
"""

from __future__ import annotations

MIB = 1024 * 1024
MAX_FILE_BYTES = 10 * MIB  # the workbook on disk; refused from its size before it is read
MAX_INFLATED_BYTES = 40 * MIB  # every part together, from the zip directory
MAX_PART_BYTES = 16 * MIB  # any one part, from the zip directory
MAX_ROWS = 5_000  # per sheet
MAX_TEXT = 5_000  # characters in a text cell (the longest shipped guidance has 3,703)
MAX_ID = 64  # characters in an id, a kind or a yes/no cell

INSTRUCTIONS = "Instructions"

# Sheets of rows, one item a row, in the order the framework lists them.
TABLES: dict[str, tuple[str, ...]] = {
    "Domains": ("id", "title", "title (Welsh)"),
    "Standards": ("id", "domain", "title", "title (Welsh)", "text", "text (Welsh)",
                  "rated by", "adjustable"),
    "Key questions": ("id", "standard", "text", "text (Welsh)", "qualitative",
                      "allow not applicable", "source", "continues", "continues shared",
                      "informed by"),
    "Prompts": ("id", "key question", "text", "text (Welsh)", "allow not applicable", "source",
                "continues", "continues shared"),
    "Guidance": ("item", "guidance", "guidance (Welsh)", "source"),
    "Case facts": ("id", "kind", "label", "label (Welsh)", "source"),
    "Choices": ("case fact", "value", "label", "label (Welsh)"),
    "Rating characteristics": ("standard", "kind", "text", "text (Welsh)"),
    "Applicability": ("id", "items", "reason", "reason (Welsh)"),
    "Hurdles": ("id", "key question", "forces", "reason", "reason (Welsh)"),
    "Conditions": ("rule", "node", "operator", "refers to", "values"),
}

# Sheets of settings, one value a row, each named by its path in the framework file.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Framework": ("format", "id", "version", "edition", "supersedes", "title", "programme",
                  "rated", "source", "rating_bands", "overall_bands", "discretion"),
    "QA parameters": ("qa",),
    "Team": ("team",),
    "Alerts": ("alerts",),
    "Publication": ("publication",),
    "Sampling": ("sampling",),
    "Schedule": ("schedule",),
}
# Columns a workbook made before they existed may lack: read as empty when their heading is
# missing (the mapping to the edition superseded, "Mapping items to the edition superseded").
# So may "informed by" (an organisational key question's link to the case data).
OPTIONAL_COLUMNS = frozenset({"continues", "continues shared", "informed by"})

SECTION_COLUMNS = ("path", "type", "value", "value (Welsh)")
VALUE_TYPES = ("text", "number", "whole number", "true or false", "empty list", "empty object")

TEXT_COLUMNS = frozenset({"title", "title (Welsh)", "text", "text (Welsh)", "guidance",
                          "guidance (Welsh)", "label", "label (Welsh)", "reason",
                          "reason (Welsh)", "value", "value (Welsh)", "source"})

# Columns holding one id, a kind or a word: held to MAX_ID; every other column to MAX_TEXT.
SHORT_COLUMNS = frozenset({"id", "domain", "standard", "key question", "item", "kind",
                           "case fact", "rule", "node", "operator", "refers to", "type",
                           "rated by", "forces", "adjustable", "qualitative",
                           "allow not applicable", "continues", "continues shared"})

SHEETS: tuple[str, ...] = (*SECTIONS, *TABLES)

INSTRUCTIONS_TEXT = (
    "How to fill in this workbook",
    "",
    "This workbook is one inspection framework. Build it into the framework file the app "
    "loads with:  hmip-desktop framework build THIS.xlsx --out FRAMEWORK.json",
    "Every fault is reported on one line naming the sheet, the row, the column and the "
    "problem, and nothing is written until there are none.",
    "",
    "Keep every sheet and the headings in row 1. Rows are read in order: the order of the "
    "rows is the order on the form. Empty rows are skipped.",
    "Type values, never formulas: a formula is refused (its saved value is shown in the "
    "message so it can be typed instead).",
    "A text cell holds at most 5,000 characters; an id at most 64.",
    "Ids are text: a spreadsheet may turn 2.1 into a number, which is refused (2.10 would "
    "become 2.1). Type such an id with an apostrophe first ('2.1), or format the column as "
    "Text.",
    "",
    "English and Welsh: every text has an English column and a Welsh column. The Welsh may "
    "be left empty; the form then shows the English.",
    "Source: 'drafted' when the text was written for this product; 'verbatim' when it is "
    "copied from the inspectorate's published text, optionally followed by a colon and the "
    "manual and section it is copied from (verbatim: Probation inspections external "
    "guidance manual, §6.2).",
    "Yes/no columns (adjustable, qualitative, allow not applicable, continues shared): 'yes', "
    "or leave empty.",
    "",
    "A new edition of a framework (one that names the edition it supersedes on the Framework "
    "sheet) says which old key question or prompt each of its own continues, so that answers "
    "move with it: leave 'continues' empty for the old item of the same id (if the old edition "
    "has one), give the old item's id when it was re-numbered, or type 'none' for an item new "
    "in this edition. Two items may continue one old item only if each says 'yes' in "
    "'continues shared'. The build checks this against the old edition when the app has it "
    "(a shipped framework, or the file given with --previous).",
    "",
    "Sheets",
    "Framework: the framework's id, version, edition (where it differs from the version), "
    "the edition it supersedes (supersedes.id and supersedes.edition), title, programme, "
    "whether it is rated, its sources, rating bands, overall bands and discretion — one value "
    "a row.",
    "QA parameters, Team, Alerts, Sampling, Schedule: those sections of the framework, one value a "
    "row. 'path' names the value (kinds[0].label is the label of the first sample kind), "
    "'type' is one of: text, number, whole number, true or false, empty list, empty object.",
    "Domains: id (1, 2, 3) and title.",
    "Standards: id (2.1), its domain, title, text, rated by ('cases' or 'lead') and whether "
    "the lead may adjust its rating.",
    "Key questions: id (2.1.1), its standard, text, whether it is qualitative (judged from "
    "other evidence, never answered per case), whether 'not applicable' is allowed, source, "
    "the old item it continues (new editions only), and, for an organisational key question "
    "(judged by the lead), the case key questions and prompts whose figures inform it "
    "('informed by', separated by commas).",
    "Prompts: id (2.1.1.a), its key question, text, whether 'not applicable' is allowed, "
    "source, and the old item it continues (new editions only).",
    "Guidance: the guidance of a key question, prompt, case fact or case question (named by "
    "its id); source says whether the guidance was drafted for this product or is the "
    "inspectorate's own.",
    "Case facts: facts that come with the case sample (kind 'fact') and case-level questions "
    "the inspector answers (kind 'question'); their choices are on the Choices sheet.",
    "Rating characteristics: what the lead weighs when rating a lead-rated standard; kind "
    "'outstanding' or 'inadequate'; leave the standard empty for those that apply to every "
    "lead-rated standard.",
    "Applicability: rules that make standards, key questions or prompts not applicable to a "
    "case (items separated by commas), with the reason shown.",
    "Hurdles: rules that force a key question's judgement, with the reason shown.",
    "Conditions: the condition of each applicability rule and hurdle, one node a row: node 1 "
    "is the whole condition, 1.1 and 1.2 its parts, and so on. Operator 'all', 'any' or "
    "'not' combines the parts; 'in' is true when the case fact, case question or prompt in "
    "'refers to' has one of the 'values' (separated by commas; a prompt's values are yes, "
    "no, na).",
)
