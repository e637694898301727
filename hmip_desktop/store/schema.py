"""Schema migrations: numbered steps, each run in one exclusive transaction.

A new workspace runs the same chain from step 1, so every workspace has been through the same
code. ``PRAGMA user_version`` holds the schema version; ``PRAGMA application_id`` marks the
file as a hmip-desktop workspace. Never edit a released step: add a new one, and keep a keyed
fixture of the old version in tests/fixtures/workspaces/.
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.i18n import _
from hmip_desktop.store.errors import NotAWorkspaceError, WorkspaceTooNewError
from hmip_desktop.store.failures import guarded, rollback_quietly

APPLICATION_ID = 0x484D4950  # "HMIP"

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The framework files themselves, so a workspace needs nothing else to show its forms.
CREATE TABLE frameworks (
    hash TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    content BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE inspections (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    organisation TEXT NOT NULL,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    framework_hash TEXT NOT NULL REFERENCES frameworks(hash),
    fieldwork_start TEXT,
    fieldwork_end TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('assessor', 'qa', 'lead')),
    office TEXT NOT NULL DEFAULT '',
    qa_partner_id TEXT REFERENCES members(id)
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    case_ref TEXT NOT NULL,
    person_name TEXT NOT NULL DEFAULT '',
    pdu TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    office TEXT NOT NULL DEFAULT '',
    practitioner TEXT NOT NULL DEFAULT '',
    prison TEXT NOT NULL DEFAULT '',
    report_type TEXT NOT NULL DEFAULT '',
    facts TEXT NOT NULL DEFAULT '{}',
    UNIQUE (inspection_id, case_ref)
);

CREATE TABLE assignments (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    interview_at TEXT,
    interview_minutes INTEGER
);

CREATE TABLE assessments (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'complete', 'queried', 'signed_off')),
    revision INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT,
    updated_by TEXT
);

-- Every per-case value: prompt answers and key-question judgements (by their framework ids),
-- evidence notes ("note:<KQ id>"), case questions ("case:<id>") and the case record
-- ("record:<field>"). One table keeps saving, auditing, undo and bundling uniform.
CREATE TABLE items (
    case_id TEXT NOT NULL REFERENCES cases(id),
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, item)
) WITHOUT ROWID;
-- Consolidation groups answers by item and value.
CREATE INDEX items_by_item_value ON items (item, value);

CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    what_might_happen TEXT NOT NULL,
    how_serious TEXT NOT NULL,
    how_imminent TEXT NOT NULL,
    action_asked TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TEXT
);
CREATE INDEX alerts_by_case ON alerts (case_id);

-- Append-only history of every change. Each case's rows form a hash chain
-- (hash = SHA-256 over the previous hash and the row), so history can travel and be checked.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    item TEXT NOT NULL,
    old TEXT,
    new TEXT,
    revision INTEGER,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_case ON audit (case_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
"""

# Version 2: identities and bundles; the audit log without AUTOINCREMENT (its sqlite_sequence
# row cost every save one more page write, and audit rows are never deleted, so plain rowids
# already rise).
_V2 = """
CREATE TABLE identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    sign_private BLOB NOT NULL,
    kem_private BLOB NOT NULL,
    sign_public BLOB NOT NULL,
    kem_public BLOB NOT NULL,
    key_id BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Member cards this workspace trusts, each confirmed by reading its fingerprint aloud.
CREATE TABLE contacts (
    key_id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    sign_public BLOB NOT NULL,
    kem_public BLOB NOT NULL,
    card BLOB NOT NULL,
    confirmed_at TEXT NOT NULL,
    confirmed_by TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE members ADD COLUMN key_id BLOB REFERENCES contacts(key_id);
-- The lead's key pinned when this workspace first imported a pack of the inspection.
ALTER TABLE inspections ADD COLUMN lead_key_id BLOB REFERENCES contacts(key_id);

-- Every bundle written or read: idempotent imports, replay refusal, provenance.
CREATE TABLE bundle_log (
    file_hash TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    kind TEXT NOT NULL,
    peer_key_id BLOB,
    inspection_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    at TEXT NOT NULL,
    summary TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX bundle_log_by_peer ON bundle_log (direction, peer_key_id, inspection_id, sequence);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Where the lead's copy of each case came from (the provenance sheet of the workbook).
CREATE TABLE case_sources (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    sender_key_id BLOB NOT NULL,
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    bundle_hash TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    applied_at TEXT NOT NULL
) WITHOUT ROWID;

-- The history of each case as its author's workspace recorded it, verified on import.
CREATE TABLE received_audit (
    case_id TEXT NOT NULL REFERENCES cases(id),
    origin_key_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    item TEXT NOT NULL,
    old TEXT,
    new TEXT,
    revision INTEGER,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_id, origin_key_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER received_audit_no_update BEFORE UPDATE ON received_audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER received_audit_no_delete BEFORE DELETE ON received_audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;

-- Receipts from the lead: this revision of the case, with this content, reached the lead.
CREATE TABLE receipts (
    case_id TEXT NOT NULL REFERENCES cases(id),
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (case_id, revision)
) WITHOUT ROWID;

CREATE TABLE audit_new (
    seq INTEGER PRIMARY KEY,
    case_id TEXT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    item TEXT NOT NULL,
    old TEXT,
    new TEXT,
    revision INTEGER,
    hash TEXT NOT NULL
);
INSERT INTO audit_new (seq, case_id, at, actor, action, item, old, new, revision, hash)
    SELECT seq, case_id, at, actor, action, item, old, new, revision, hash FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_by_case ON audit (case_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
"""

# Version 3: lunchtime QA (queries, replies, sign-off) and the lead's consolidation (alert
# actions, lead-rated standards, previous recommendations, ratings-panel decisions).
_V3 = """
-- A query the QA partner raises on one item of a case (000_ §3.10). Queries and their replies
-- travel between workspaces in bundles, so every row has a global id and rows are only added
-- or closed, never edited.
CREATE TABLE queries (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    item TEXT NOT NULL,
    text TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    closed_by TEXT,
    closed_at TEXT
);
CREATE INDEX queries_by_case ON queries (case_id);

CREATE TABLE query_replies (
    id TEXT PRIMARY KEY,
    query_id TEXT NOT NULL REFERENCES queries(id),
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX query_replies_by_query ON query_replies (query_id, at);

-- The QA partner's sign-off of one revision of a case.
CREATE TABLE signoffs (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    revision INTEGER NOT NULL,
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL
) WITHOUT ROWID;

-- Whom a bundle is about, where one sender writes several streams of the same kind: a QA
-- partner numbers one QA bundle per assessor, and the lead may import them in any order.
ALTER TABLE bundle_log ADD COLUMN subject TEXT;

-- What the lead did about an alert, kept apart from the alert as its author raised it.
CREATE TABLE alert_actions (
    alert_id TEXT PRIMARY KEY REFERENCES alerts(id),
    note TEXT NOT NULL,
    noted_by TEXT NOT NULL,
    noted_at TEXT NOT NULL
) WITHOUT ROWID;

-- The lead's rating of each lead-rated standard (domain one), with the evidence and the
-- rating characteristics weighed (000_ §6.2, 003_ Annex G).
CREATE TABLE lead_ratings (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    standard_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    characteristics TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, standard_id)
) WITHOUT ROWID;

-- Progress on the previous inspection's recommendations: shown, never rated (004_).
CREATE TABLE recommendations (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    progress TEXT CHECK (progress IN ('sufficient', 'insufficient', 'none')),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (inspection_id, number)
) WITHOUT ROWID;

-- The ratings panel's decision per standard (000_ §7.2).
CREATE TABLE panel_decisions (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    standard_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'vary')),
    provisional_rating TEXT,
    rating TEXT NOT NULL,
    adjustment INTEGER NOT NULL DEFAULT 0 CHECK (adjustment IN (-1, 0, 1)),
    flags TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, standard_id)
) WITHOUT ROWID;
"""

# Version 4: a case's stored status is only ever the assessor's own. Queried and signed off are
# derived from the QA partner's queries and sign-offs; version 1's CHECK still lists them, so
# two triggers refuse them. A case stored with one (only a forged bundle could do that) goes
# back to 'in_progress', which claims nothing the assessor did not: their next bundle brings
# their real status.
_V4 = """
UPDATE assessments SET status = 'in_progress' WHERE status IN ('queried', 'signed_off');
CREATE TRIGGER assessments_status_insert BEFORE INSERT ON assessments
WHEN NEW.status NOT IN ('not_started', 'in_progress', 'complete')
BEGIN SELECT RAISE(ABORT, 'queried and signed off are derived, never stored'); END;
CREATE TRIGGER assessments_status_update BEFORE UPDATE OF status ON assessments
WHEN NEW.status NOT IN ('not_started', 'in_progress', 'complete')
BEGIN SELECT RAISE(ABORT, 'queried and signed off are derived, never stored'); END;
"""

# Version 5: the ratings panel's sitting (000_ §7.2): when it sat and who sat on it. Each
# decision names the sitting it was taken at; one recorded before sittings were kept has NULL.
_V5 = """
CREATE TABLE panel_sittings (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    sat_on TEXT NOT NULL,
    chair TEXT NOT NULL,
    members TEXT NOT NULL DEFAULT '[]',
    note_taker TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, number)
) WITHOUT ROWID;
ALTER TABLE panel_decisions ADD COLUMN sitting INTEGER;
"""

# Version 6: revision conflicts. A bundle that brings a case whose history forks from the one
# held (the same revision with other content, or a history that does not extend the held one)
# is not applied: both versions are kept here until the lead chooses, item by item
# (exchange/conflicts.py). At most one open conflict per case. The owner learns of it from
# the lead's receipt (conflict_notices).
_V6 = """
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    sender_key_id BLOB NOT NULL,
    bundle_hash TEXT NOT NULL,
    held_revision INTEGER NOT NULL,
    held_hash TEXT NOT NULL,
    held TEXT NOT NULL,
    received_revision INTEGER NOT NULL,
    received_hash TEXT NOT NULL,
    received TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT,
    resolved_revision INTEGER
);
CREATE UNIQUE INDEX conflicts_open ON conflicts (case_id) WHERE resolved_at IS NULL;
-- In a member's workspace: the lead's receipt said the lead holds another version of the case.
CREATE TABLE conflict_notices (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    noticed_at TEXT NOT NULL
) WITHOUT ROWID;
"""

# Version 7: the case sample (issue 14). The organisation's long list of each sample kind, the
# lead's decisions on its exclusion flags, the provisional and final draws, what the
# organisation returned about each provisional case, and the reserves swapped in at fieldwork.
# Written by sampling/records.py only.
_V7 = """
-- One long list per (inspection, sample kind): the file it came from, its headings (JSON
-- list, the file's order) and where each column the rules name is (JSON: column id → index).
CREATE TABLE longlists (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    headings TEXT NOT NULL DEFAULT '[]',
    columns TEXT NOT NULL DEFAULT '{}',
    row_count INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind)
) WITHOUT ROWID;

-- Each case of a long list: its row in the spreadsheet, every cell as text (JSON list in the
-- headings' order, unknown columns kept), the exclusion rules it meets (JSON list of
-- {"rule", "words", "source", "firm"}), and what the draw needs: its stratum (JSON list, one
-- value per variable, or the group's label), PDU and practitioner (copies of their cells, so
-- a draw decodes no cell). A rowid table, rows inserted in the file's order: long lists run to
-- tens of thousands of rows of a few hundred bytes, which a rowid table appends and scans
-- several times faster than a table clustered on the case reference.
CREATE TABLE longlist_rows (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    cells TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '[]',
    stratum TEXT NOT NULL DEFAULT '[]',
    pdu TEXT NOT NULL DEFAULT '',
    practitioner TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (inspection_id, kind) REFERENCES longlists(inspection_id, kind)
);
CREATE UNIQUE INDEX longlist_rows_by_case ON longlist_rows (inspection_id, kind, case_ref);

-- The lead's decision on one exclusion flag: confirm (the case is excluded) or overrule.
CREATE TABLE exclusion_decisions (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    rule TEXT NOT NULL,
    confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, case_ref, rule),
    FOREIGN KEY (inspection_id, kind, case_ref)
        REFERENCES longlist_rows(inspection_id, kind, case_ref)
) WITHOUT ROWID;

-- A draw: the provisional list, then the final sample with its reserves. The result (cases,
-- allocation, adjustments, constraints not met, reserves) is JSON; the seed is the user's
-- whole number as decimal text, so anyone can re-run the draw from the long list.
CREATE TABLE draws (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('provisional', 'final')),
    seed TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target >= 0),
    longlist_sha256 TEXT NOT NULL,
    result TEXT NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, stage),
    FOREIGN KEY (inspection_id, kind) REFERENCES longlists(inspection_id, kind)
) WITHOUT ROWID;

-- What the organisation returned about each case of the provisional list.
CREATE TABLE returned_facts (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    available INTEGER NOT NULL CHECK (available IN (0, 1)),
    consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
    late_exclusion TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, case_ref),
    FOREIGN KEY (inspection_id, kind, case_ref)
        REFERENCES longlist_rows(inspection_id, kind, case_ref)
) WITHOUT ROWID;

-- A final case found ineligible at fieldwork, and the reserve of its stratum that replaced it.
CREATE TABLE reserve_swaps (
    id INTEGER PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    out_case TEXT NOT NULL,
    in_case TEXT NOT NULL,
    reason TEXT NOT NULL,
    swapped_by TEXT NOT NULL,
    swapped_at TEXT NOT NULL,
    FOREIGN KEY (inspection_id, kind) REFERENCES longlists(inspection_id, kind)
);
CREATE UNIQUE INDEX reserve_swaps_in_once ON reserve_swaps (inspection_id, kind, in_case);
"""

# Version 8: the fieldwork team. Roles a member holds beyond their workspace's own (the deputy
# lead, a partner inspector; hmip_desktop/team/roles.py), and the debrief on each local assessor.
_V8 = """
CREATE TABLE member_roles (
    member_id TEXT NOT NULL REFERENCES members(id),
    role TEXT NOT NULL CHECK (role IN ('assessor', 'qa', 'lead', 'deputy', 'partner')),
    PRIMARY KEY (member_id, role)
) WITHOUT ROWID;
-- The debrief on each local assessor (000_ §3.10), written in the lead's workspace by the lead,
-- or on the QA partner's laptop by the supporting inspector. One record per assessor and
-- author; never in a bundle (debrief.py).
CREATE TABLE debriefs (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    author TEXT NOT NULL,
    author_role TEXT NOT NULL,
    observation TEXT NOT NULL DEFAULT '',
    qa_meetings TEXT NOT NULL DEFAULT '',
    overall TEXT NOT NULL DEFAULT '',
    written_at TEXT NOT NULL,
    PRIMARY KEY (member_id, author)
) WITHOUT ROWID;

-- An alert about the inspected organisation as a whole (systemic, significant and imminent
-- risk), raised by the lead or a deputy lead; its raising is described in the report.
CREATE TABLE organisational_alerts (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    what_might_happen TEXT NOT NULL,
    how_serious TEXT NOT NULL,
    how_imminent TEXT NOT NULL,
    action_asked TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL
);
CREATE INDEX organisational_alerts_by_inspection ON organisational_alerts (inspection_id);

-- Each step the lead or a deputy lead took on an alert (individual or organisational), at most
-- once per step: acknowledged, assurance sought, evidence of action received, closed; or
-- recorded as advice below the alert threshold, needing no follow-up (002_ §6.7).
CREATE TABLE alert_steps (
    alert_id TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('acknowledged', 'assurance', 'evidence', 'closed',
                                       'advice')),
    note TEXT NOT NULL,
    taken_by TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, step)
) WITHOUT ROWID;

-- An alert received on its own, in an alert bundle, at the lead or a deputy lead, as soon as it
-- was raised; the case's alert itself arrives later with the assessor's next bundle.
CREATE TABLE received_alerts (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    case_id TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    what_might_happen TEXT NOT NULL,
    how_serious TEXT NOT NULL,
    how_imminent TEXT NOT NULL,
    action_asked TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    sender_key_id BLOB NOT NULL,
    received_at TEXT NOT NULL
);
"""

_V9 = """
-- The partner inspector's read-only review with comments.
-- At the lead: which cases the lead gave which partner inspector to review (001_ §6.1).
CREATE TABLE review_given (
    case_id TEXT NOT NULL REFERENCES cases(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    given_at TEXT NOT NULL,
    PRIMARY KEY (case_id, member_id)
) WITHOUT ROWID;
-- At the partner inspector: a read-only copy of each case given, with its answers as the lead
-- held them when the review bundle was written (items: JSON object, item key to value).
CREATE TABLE review_cases (
    case_id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    case_ref TEXT NOT NULL,
    items TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
-- A partner inspector's comment on a case given for review, on the whole case (kq_id NULL) or
-- one key question. Written on the partner's laptop (received_at NULL) and sent to the lead,
-- where it is kept beside the case (received_at set). Never an answer, count or rating.
CREATE TABLE review_comments (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    case_id TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    kq_id TEXT,
    text TEXT NOT NULL,
    author_member_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    written_at TEXT NOT NULL,
    received_at TEXT
);
CREATE INDEX review_comments_by_case ON review_comments (case_id);
-- Languages at allocation.
-- The languages a member can inspect in and the language a case needs (its records and
-- interview), so that allocation gives a Welsh case only to a member who works in Welsh
-- (002_ §5.1; hmip_desktop/setup/languages.py). Codes: 'en', 'cy'; a member's joined by ','.
ALTER TABLE members ADD COLUMN languages TEXT NOT NULL DEFAULT 'en';
ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'cy'));
-- An alert's state received back at the member who raised it.
-- The steps the lead or a deputy lead took on an alert, as an alert-state bundle brought them
-- to the member who raised it (exchange/alert_states.py). The lead's and the deputies' own
-- tracking is alert_steps; this is the raiser's read-only copy, one row per step.
CREATE TABLE alert_state_steps (
    alert_id TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('acknowledged', 'assurance', 'evidence', 'closed',
                                       'advice')),
    note TEXT NOT NULL,
    taken_by TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    sender_key_id BLOB NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, step)
) WITHOUT ROWID;
-- Each long list stored compactly (issue 14).
-- A long list is stored in parts of up to 5,000 cases, each three compressed texts (the case
-- references, what else the draw reads, and every case's cells), instead of one row per case:
-- tens of thousands of rows with a unique index cost more to write, encrypt and commit than
-- all the checking. The lead's decisions and the returned facts now refer to the long list
-- (their case is checked to be on it by sampling/service.py before either is written), so
-- both are rebuilt, keeping every row; each stored list becomes one part of plain JSON text
-- ('json', read as written). Written by sampling/records.py only.
CREATE TABLE longlist_parts (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    part INTEGER NOT NULL CHECK (part >= 0),
    cases INTEGER NOT NULL CHECK (cases >= 0),
    packing TEXT NOT NULL CHECK (packing IN ('zlib', 'json')),
    case_refs BLOB NOT NULL,
    draw BLOB NOT NULL,
    cells BLOB NOT NULL,
    PRIMARY KEY (inspection_id, kind, part),
    FOREIGN KEY (inspection_id, kind) REFERENCES longlists(inspection_id, kind)
);
INSERT INTO longlist_parts (inspection_id, kind, part, cases, packing, case_refs, draw, cells)
    SELECT inspection_id, kind, 0, count(*), 'json', json_group_array(case_ref),
        json_object('row', json_group_array(row_number),
                    'flags', json_group_array(json(flags)),
                    'stratum', json_group_array(stratum),
                    'pdu', json_group_array(pdu),
                    'practitioner', json_group_array(practitioner)),
        group_concat(cells, char(10))
    FROM (SELECT * FROM longlist_rows ORDER BY rowid)
    GROUP BY inspection_id, kind;
CREATE TABLE exclusion_decisions_new (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    rule TEXT NOT NULL,
    confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, case_ref, rule),
    FOREIGN KEY (inspection_id, kind) REFERENCES longlists(inspection_id, kind)
) WITHOUT ROWID;
INSERT INTO exclusion_decisions_new SELECT * FROM exclusion_decisions;
DROP TABLE exclusion_decisions;
ALTER TABLE exclusion_decisions_new RENAME TO exclusion_decisions;
CREATE TABLE returned_facts_new (
    inspection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    available INTEGER NOT NULL CHECK (available IN (0, 1)),
    consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
    late_exclusion TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, case_ref),
    FOREIGN KEY (inspection_id, kind) REFERENCES longlists(inspection_id, kind)
) WITHOUT ROWID;
INSERT INTO returned_facts_new SELECT * FROM returned_facts;
DROP TABLE returned_facts;
ALTER TABLE returned_facts_new RENAME TO returned_facts;
DROP TABLE longlist_rows;
-- The unused items_by_item_value index dropped.
-- No query reads items by (item, value): EXPLAIN QUERY PLAN over every statement the tests run
-- never names it (benchmarks/query_plans.py; docs/performance.md "## Bundles"). It cost a
-- b-tree insert for every item written, grew with the workspace, and made a lead's import slow
-- down as cases arrived.
DROP INDEX IF EXISTS items_by_item_value;
"""

_V10 = """
-- Retention at the lead.
-- The date after which the lead is reminded to archive or purge the inspection (retain_until,
-- YYYY-MM-DD): set at creation to 12 months after the last day of fieldwork (or after the day
-- it was created), editable by the lead (retention/dates.py). Inspections already held get the
-- same rule. NULL in a member's workspace, where the lead's pack brought the inspection.
ALTER TABLE inspections ADD COLUMN retain_until TEXT;
UPDATE inspections SET retain_until = date(substr(coalesce(fieldwork_end, created_at), 1, 10),
                                           '+12 months')
    WHERE lead_key_id IS NULL OR lead_key_id = (SELECT key_id FROM identity);
-- An inspection archived at the lead: its case-level data was removed and what is kept of it
-- is here (figures: JSON of the published key-question table, the ratings, the counts behind
-- them, the provenance without case references, the sample's fairness and the alerts counted;
-- retention/figures.py). override: the lead's words when the archive went ahead with cases in
-- conflict or not signed off ('' when nothing was overridden). Written by store/retention.py.
CREATE TABLE archives (
    inspection_id TEXT PRIMARY KEY REFERENCES inspections(id),
    archived_at TEXT NOT NULL,
    archived_by TEXT NOT NULL,
    override TEXT NOT NULL DEFAULT '',
    cases INTEGER NOT NULL CHECK (cases >= 0),
    figures TEXT NOT NULL
);
-- The audit rows of a case stay append-only, except while an archive or a purge removes the
-- whole inspection's cases: the inspection is then in retention_removals, inside that one
-- transaction only (store/retention.py empties it before the commit). The workspace's own
-- chain (rows of no case) can never be deleted.
CREATE TABLE retention_removals (
    inspection_id TEXT PRIMARY KEY
) WITHOUT ROWID;
DROP TRIGGER audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN OLD.case_id IS NULL OR NOT EXISTS (SELECT 1 FROM retention_removals r
    JOIN cases c ON c.inspection_id = r.inspection_id WHERE c.id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
DROP TRIGGER received_audit_no_delete;
CREATE TRIGGER received_audit_no_delete BEFORE DELETE ON received_audit
WHEN NOT EXISTS (SELECT 1 FROM retention_removals r
    JOIN cases c ON c.inspection_id = r.inspection_id WHERE c.id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;

-- The laptop's return: exports tracked, the lead's releases, wipe certificates.
-- Every file the app wrote outside the workspace that can hold case data (a PDF, workbook or
-- CSV), so that "Ready to return" can list it and "Prepare for return" can remove it
-- (laptop_return/exports.py). confirmed: NULL until the user says it was removed or handed over.
CREATE TABLE exports (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    what TEXT NOT NULL,
    written_at TEXT NOT NULL,
    written_by TEXT NOT NULL,
    confirmed TEXT CHECK (confirmed IN ('removed', 'handed_over')),
    confirmed_at TEXT,
    confirmed_by TEXT
);
-- At a member: the cases the lead said, in a signed release, it no longer needs from this
-- laptop (laptop_return/release.py). One row per case; a later release adds cases.
CREATE TABLE releases (
    case_id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    released_by TEXT NOT NULL,
    released_at TEXT NOT NULL,
    sender_key_id BLOB NOT NULL,
    received_at TEXT NOT NULL
) WITHOUT ROWID;
-- At the lead: each member's signed wipe certificate, as imported (laptop_return/certificates.py).
CREATE TABLE wipe_certificates (
    workspace_id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_name TEXT NOT NULL,
    wiped_at TEXT NOT NULL,
    cases INTEGER NOT NULL CHECK (cases >= 0),
    released INTEGER NOT NULL CHECK (released >= 0),
    files_removed INTEGER NOT NULL CHECK (files_removed >= 0),
    sender_key_id BLOB NOT NULL,
    received_at TEXT NOT NULL
) WITHOUT ROWID;

-- The recovery key's escrow.
-- At a member: which recovery key (by its public id) went to which inspection's lead, when.
CREATE TABLE recovery_escrow_sent (
    recovery_id TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    lead_key_id BLOB NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (recovery_id, inspection_id)
) WITHOUT ROWID;
-- At the lead: each member workspace's recovery key as it last arrived, and the key a
-- recovery file for that workspace is sealed to.
CREATE TABLE recovery_escrow (
    member_key_id BLOB PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    workspace_id TEXT NOT NULL,
    recovery_id TEXT NOT NULL,
    recovery_key BLOB NOT NULL,
    file_key BLOB NOT NULL,
    received_at TEXT NOT NULL,
    issued_at TEXT
) WITHOUT ROWID;
"""

_V11 = """
-- Framework editions.
-- The edition a case is assessed against where it is not the inspection's own: a case that
-- stayed on an earlier edition when the inspection moved to a later one (NULL: the
-- inspection's framework_hash).
ALTER TABLE cases ADD COLUMN framework_hash TEXT REFERENCES frameworks(hash);
-- Where each framework file in the workspace came from and when (shown by the frameworks
-- list): came_from is 'shipped', 'file' or 'pack'; from_name the file's name or the lead's
-- name for a pack ('' where unknown, as for every file held before version 11).
ALTER TABLE frameworks ADD COLUMN came_from TEXT NOT NULL DEFAULT '';
ALTER TABLE frameworks ADD COLUMN from_name TEXT NOT NULL DEFAULT '';
ALTER TABLE frameworks ADD COLUMN received_at TEXT;

-- The lead's findings on the organisational key questions and their prompts (domain one of a
-- rated framework, the organisational questions of an unrated one): a strength or an area for
-- improvement, with the evidence behind it as JSON {"documents": [numbers], "meetings":
-- [texts], "cases": [texts]}. Numbered per inspection; never rated here.
CREATE TABLE findings (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    number INTEGER NOT NULL,
    item TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('strength', 'improvement')),
    text TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, number)
) WITHOUT ROWID;
-- Evidence in advance (000_ §3.6, 001_ §3.6): the register of the documents the organisation
-- sent, each speaking to at least one key question or prompt (items: a JSON list of ids).
-- Referenced by default (location says where it is kept); a stored copy is in evidence_copies.
CREATE TABLE evidence_documents (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    dated TEXT NOT NULL,
    items TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    stored_name TEXT,
    stored_size INTEGER,
    stored_sha256 TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, number)
) WITHOUT ROWID;
CREATE TABLE evidence_copies (
    inspection_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (inspection_id, number),
    FOREIGN KEY (inspection_id, number) REFERENCES evidence_documents(inspection_id, number)
);
-- The organisation's narrative per key question (at most 300 words, 004_).
CREATE TABLE evidence_narratives (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    key_question TEXT NOT NULL,
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, key_question)
) WITHOUT ROWID;
-- The edition a case given for review is on, at the partner inspector (NULL: the inspection's).
ALTER TABLE review_cases ADD COLUMN framework_hash TEXT;
"""

# Version 12: training events (000_ §3.10). A training inspection is flagged on its inspection
# row; its work never mixes with a real inspection's (docs/security.md, "Training").
_V12 = """
-- 1 for a training inspection: at the lead, the training event whose cases the lead assesses
-- as the benchmark; at a trainee, the practice copy a training pack made. 0 for every real one.
ALTER TABLE inspections ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
-- The lead's benchmark answers for a training event, one row per version marked: the prompt
-- answers, key-question judgements and evidence notes of every training case as JSON
-- {case id: {item: value}}. Versions count from 1; a row is never changed.
CREATE TABLE training_benchmarks (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    answers TEXT NOT NULL,
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, version)
) WITHOUT ROWID;
-- Each trainee's answers on each training case, from their latest training bundle (at the
-- lead only): JSON {item: value}, with the bundle's revision of the case and when it arrived.
CREATE TABLE training_answers (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    revision INTEGER NOT NULL,
    answers TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (member_id, case_id)
) WITHOUT ROWID;
-- Double assessment during fieldwork (000_ §3.10's observation case, or a routine benchmark):
-- a case of a real inspection assessed independently by a second member. At the lead: the
-- marking, and which of the two assessments is the case's record (NULL: not named yet, the
-- allocated assessor's counts). At the second member: one row per case they hold as a second
-- assessment (its second_member_id is themselves; the record columns stay NULL).
CREATE TABLE double_assessments (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    second_member_id TEXT NOT NULL REFERENCES members(id),
    reason TEXT NOT NULL CHECK (reason IN ('observation', 'benchmark')),
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    record_member_id TEXT REFERENCES members(id),
    recorded_by TEXT,
    recorded_at TEXT
) WITHOUT ROWID;
-- The second member's answers on a double-assessed case, from their latest second-assessment
-- bundle (at the lead only), kept apart from the case's items: JSON {item: value}, with the
-- bundle's revision and status of their copy and when it arrived.
CREATE TABLE double_answers (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    revision INTEGER NOT NULL,
    status TEXT NOT NULL,
    answers TEXT NOT NULL,
    received_at TEXT NOT NULL
) WITHOUT ROWID;
-- The lead's selection after a training event (000_ §3.10), one row per trainee: selected,
-- reserve or not selected, with developmental feedback. In the lead's workspace only: no
-- bundle or export carries it. Allocation reads it by the trainee's name (setup/apply.py).
CREATE TABLE training_selections (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    decision TEXT NOT NULL CHECK (decision IN ('selected', 'reserve', 'not_selected')),
    feedback TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, member_id)
) WITHOUT ROWID;
-- Practice cases on an assessor's laptop (000_ §3.10: "practise completing case assessment
-- using their own cases"), typed in with invented references. Apart from every inspection:
-- no case, assignment or audit chain of a case refers to them, and only hmip_desktop.practice
-- reads them, so no bundle or export can carry them. Erased with one action, and before the
-- laptop is prepared for return. facts and items are JSON {name: value}.
CREATE TABLE practice_cases (
    id TEXT PRIMARY KEY,
    case_ref TEXT NOT NULL UNIQUE,
    framework_id TEXT NOT NULL,
    facts TEXT NOT NULL DEFAULT '{}',
    items TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12)
LATEST = len(MIGRATIONS)


def schema_state(conn: Any) -> tuple[int, int, int]:
    """(application_id, user_version, number of tables)."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    return int(app), int(version), int(tables)


def check_schema(conn: Any) -> tuple[int, int, int]:
    """Refuse a non-workspace or a newer version's workspace; return ``schema_state``.

    An empty database may still become a workspace. Only reads.
    """
    app, version, tables = schema_state(conn)
    if app != APPLICATION_ID and not (app == 0 and version == 0 and tables == 0):
        raise NotAWorkspaceError(_("the database is not a hmip-desktop workspace"))
    if version > LATEST:
        raise WorkspaceTooNewError(
            _("this workspace has schema version {version}; this hmip-desktop knows up to "
              "{latest}: install a newer hmip-desktop").format(version=version, latest=LATEST)
        )
    return app, version, tables


def migrate(conn: Any) -> int:
    """Bring the schema up to LATEST; return the version the file had before."""
    app, version, _tables = check_schema(conn)
    if app == 0:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for step in range(version, LATEST):
        with guarded(conn):
            conn.execute("BEGIN EXCLUSIVE")
            try:
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step + 1}")
                conn.execute("COMMIT")
            except BaseException:
                rollback_quietly(conn)  # never hides the error that led here
                raise
    return version


def _statements(script: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if line.rstrip().endswith(";") and (
            "CREATE TRIGGER" not in joined or line.strip().upper().startswith("BEGIN")
            or line.strip().upper() == "END;" or joined.rstrip().upper().endswith("END;")
        ):
            out.append(joined)
            buf = []
    if buf:
        out.append("\n".join(buf))
    return out
