"""Inspections, their frameworks, members and cases, and who is allocated which case."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlcipher3

from hmip_desktop.frameworks.loader import available_frameworks, load_framework_bytes
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.audit import AuditTrail
from hmip_desktop.store.errors import StoreError, ValidationError
from hmip_desktop.store.retention import default_retain_until
from hmip_desktop.store.stamps import new_id, now
from hmip_desktop.store.transactions import write_transaction
from hmip_desktop.text_rules import check_text

ROLES = ("assessor", "qa", "lead")
ENGLISH = "en"
LANGUAGE_CODES = ("en", "cy")  # English, Welsh: words for them in hmip_desktop/setup/languages.py


def _language_codes(languages: Sequence[str]) -> str:
    """The stored form of a member's languages ("en,cy"), or ``ValidationError``."""
    unknown = [c for c in languages if c not in LANGUAGE_CODES]
    if unknown or not languages:
        raise ValidationError(_("a member works in at least one of English (en) and Welsh (cy), "
                                "not {codes!r}").format(codes=",".join(languages)))
    return ",".join(c for c in LANGUAGE_CODES if c in languages)


class Inspections(AuditTrail):
    """Setting an inspection up: its framework, members, cases and allocations."""

    def store_framework(self, framework_bytes: bytes, *, came_from: str = "",
                        from_name: str = "") -> Framework:
        """Hold a framework file, with where it came from (frameworks list; docs/data-model.md).

        ``came_from`` 'shipped', 'file' or 'pack'; left empty, a file with a shipped
        framework's content is 'shipped' and any other a 'file'. A file held already keeps
        the provenance it was first stored with.
        """
        fw = load_framework_bytes(framework_bytes, "framework")
        if not came_from:
            shipped = {f.hash: f.id for f in available_frameworks()}
            came_from = "shipped" if fw.hash in shipped else "file"
            from_name = from_name or shipped.get(fw.hash, "")
        with write_transaction(self._conn):
            self._conn.execute(
                "INSERT OR IGNORE INTO frameworks (hash, id, version, content, came_from,"
                " from_name, received_at) VALUES (?,?,?,?,?,?,?)",
                (fw.hash, fw.id, fw.version, framework_bytes, came_from, from_name, now()),
            )
        self._frameworks[fw.hash] = fw
        return fw

    def framework(self, framework_hash: str) -> Framework:
        if framework_hash not in self._frameworks:
            row = self._conn.execute(
                "SELECT content FROM frameworks WHERE hash = ?", (framework_hash,)
            ).fetchone()
            if row is None:
                raise StoreError(_("framework {framework} is not in this workspace").format(
                    framework=framework_hash[:12]))
            fw = load_framework_bytes(bytes(row[0]), "stored framework")
            if fw.hash != framework_hash:
                raise StoreError(_("stored framework {framework} fails its hash check").format(
                    framework=framework_hash[:12]))
            self._frameworks[framework_hash] = fw
        return self._frameworks[framework_hash]

    def create_inspection(self, *, title: str, organisation: str, framework_bytes: bytes,
                          fieldwork_start: str | None = None, fieldwork_end: str | None = None,
                          inspection_id: str | None = None, training: bool = False) -> str:
        """Create an inspection; its retention date follows the default rule (store/retention).

        ``training`` makes it a training event's inspection (000_ §3.10), whose work never
        mixes with a real inspection's (hmip_desktop/training/).
        """
        fw = self.store_framework(framework_bytes)
        iid = inspection_id or new_id()
        created = now()
        retain_until = default_retain_until(fieldwork_end, created)
        with write_transaction(self._conn):
            self._conn.execute(
                "INSERT INTO inspections (id, title, organisation, framework_id,"
                " framework_version, framework_hash, fieldwork_start, fieldwork_end, created_at,"
                " retain_until, training) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (iid, title, organisation, fw.id, fw.version, fw.hash, fieldwork_start,
                 fieldwork_end, created, retain_until, int(training)),
            )
            self._audit(None, "create_training_inspection" if training else "create_inspection",
                        iid, None, title)
            self._audit(None, "retention_date", iid, None, retain_until)
        return iid

    def inspections(self) -> list[dict[str, Any]]:
        return list(self._db.query("SELECT * FROM inspections ORDER BY created_at"))

    def inspection_title(self, inspection_id: str) -> str:
        row = self._conn.execute("SELECT title FROM inspections WHERE id = ?",
                                (inspection_id,)).fetchone()
        if row is None:
            raise StoreError(_("no inspection {inspection} in this workspace").format(
                inspection=repr(inspection_id)))
        return str(row[0])

    def case_refs(self) -> dict[str, str]:
        """Every case's reference, by case id."""
        return {str(cid): str(ref) for cid, ref in self._conn.execute(
            "SELECT id, case_ref FROM cases")}

    def allocations(self, inspection_id: str) -> list[dict[str, Any]]:
        """Each case of the inspection with its member and interview slot, by reference.

        Keys: ``id``, ``case_ref``, ``practitioner``, ``office``, ``member_id`` and
        ``interview_at`` (the last two None while the case is not allocated).
        """
        return list(self._db.query(
            "SELECT c.id, c.case_ref, c.practitioner, c.office, a.member_id, a.interview_at"
            " FROM cases c LEFT JOIN assignments a ON a.case_id = c.id"
            " WHERE c.inspection_id = ? ORDER BY c.case_ref", [inspection_id]))

    def inspection_framework(self, inspection_id: str) -> Framework:
        row = self._conn.execute(
            "SELECT framework_hash FROM inspections WHERE id = ?", (inspection_id,)
        ).fetchone()
        if row is None:
            raise StoreError(_("no inspection {inspection} in this workspace").format(
                inspection=repr(inspection_id)))
        return self.framework(row[0])

    def case_framework(self, case_id: str) -> Framework:
        """The edition a case is assessed against: its own where it stayed on an earlier one."""
        row = self._conn.execute(
            "SELECT coalesce(c.framework_hash, i.framework_hash) FROM cases c"
            " JOIN inspections i ON i.id = c.inspection_id WHERE c.id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise StoreError(_("no case {case} in this workspace").format(case=repr(case_id)))
        return self.framework(row[0])

    def inspection_editions(self, inspection_id: str) -> list[Framework]:
        """The editions a case of the inspection may be on, newest first.

        The inspection's own, then the edition it supersedes, and the one that supersedes,
        and so on, as long as this workspace holds each (every file held of that id and
        edition). A case stays on one of these when the inspection moves to a later edition.
        """
        out = [self.inspection_framework(inspection_id)]
        seen = {out[0].hash}
        link = out[0].supersedes
        while link is not None:
            held = [fw for fw in (self.framework(str(h)) for (h,) in self._conn.execute(
                "SELECT hash FROM frameworks WHERE id = ? ORDER BY hash", (link.id,)))
                    if fw.edition == link.edition and fw.hash not in seen]
            if not held:
                break
            out.extend(held)
            seen.update(fw.hash for fw in held)
            link = held[0].supersedes
        return out

    def add_member(self, inspection_id: str, *, name: str, role: str, office: str = "",
                   member_id: str | None = None, languages: Sequence[str] = (ENGLISH,)) -> str:
        if role not in ROLES:
            raise ValidationError(_("role {role} is not one of {roles}").format(
                role=repr(role), roles=", ".join(ROLES)))
        codes = _language_codes(languages)
        mid = member_id or new_id()
        with write_transaction(self._conn):
            self._conn.execute(
                "INSERT INTO members (id, inspection_id, name, role, office, languages)"
                " VALUES (?,?,?,?,?,?)", (mid, inspection_id, name, role, office, codes),
            )
            self._audit(None, "add_member", mid, None, f"{name} ({role})")
        return mid

    def set_member_languages(self, member_id: str, languages: Sequence[str]) -> str:
        """The languages a member can inspect a case in (``en``, ``cy``), audited.

        Returns the stored value ("en,cy"); an unknown code or none at all is refused.
        """
        codes = _language_codes(languages)
        with write_transaction(self._conn):
            row = self._conn.execute("SELECT languages FROM members WHERE id = ?",
                                     (member_id,)).fetchone()
            if row is None:
                raise ValidationError(_("no member {id!r} in this workspace").format(
                    id=member_id))
            if row[0] != codes:
                self._conn.execute("UPDATE members SET languages = ? WHERE id = ?",
                                   (codes, member_id))
                self._audit(None, "member_languages", member_id, row[0], codes)
        return codes

    def set_case_language(self, case_id: str, language: str) -> None:
        """The language a case's records and interview are in (``en``, ``cy``), audited."""
        if language not in LANGUAGE_CODES:
            raise ValidationError(_("{code!r} is not a language the inspection works in "
                                    "(en, cy)").format(code=language))
        with write_transaction(self._conn):
            row = self._conn.execute("SELECT language FROM cases WHERE id = ?",
                                     (case_id,)).fetchone()
            if row is None:
                raise ValidationError(_("no case {id!r} in this workspace").format(id=case_id))
            if row[0] != language:
                self._conn.execute("UPDATE cases SET language = ? WHERE id = ?",
                                   (language, case_id))
                self._audit(case_id, "case_language", "case", row[0], language)

    def members(self, inspection_id: str) -> list[dict[str, Any]]:
        return list(self._db.query(
            "SELECT * FROM members WHERE inspection_id = ? ORDER BY name", [inspection_id]))

    def add_case(self, inspection_id: str, *, case_ref: str, facts: Mapping[str, str],
                 person_name: str = "", pdu: str = "", team: str = "", office: str = "",
                 practitioner: str = "", prison: str = "", report_type: str = "",
                 case_id: str | None = None, language: str = ENGLISH) -> str:
        return self.add_cases(inspection_id, [{
            "case_ref": case_ref, "facts": facts, "person_name": person_name, "pdu": pdu,
            "team": team, "office": office, "practitioner": practitioner, "prison": prison,
            "report_type": report_type, "case_id": case_id, "language": language}])[0]

    def add_cases(self, inspection_id: str, cases: list[Mapping[str, Any]]) -> list[str]:
        """Add cases (``add_case``'s keyword arguments each) all together or not at all."""
        fw = self.inspection_framework(inspection_id)
        fields = {"case_ref": _("the case reference"), "person_name": _("the person's name"),
                  "pdu": _("the PDU"), "team": _("the team"), "office": _("the office"),
                  "practitioner": _("the practitioner"), "prison": _("the prison"),
                  "report_type": _("the report type")}
        for c in cases:
            for field, label in fields.items():  # they travel in packs: one line each
                check_text(str(c.get(field) or ""),
                           _("case {case}: {field}").format(case=repr(c["case_ref"]),
                                                            field=label),
                           error=ValidationError)
            if (c.get("language") or ENGLISH) not in LANGUAGE_CODES:
                raise ValidationError(_("case {case}: the language must be one of "
                                        "{languages}").format(
                    case=repr(c["case_ref"]), languages=", ".join(LANGUAGE_CODES)))
            for key, value in c["facts"].items():
                f = fw.fields_by_id.get(key)
                if f is None or f.kind != "fact":
                    raise ValidationError(
                        _("case {case}: {fact} is not a case fact of {framework}").format(
                            case=c["case_ref"], fact=repr(key), framework=fw.id))
                if value not in f.values:
                    raise ValidationError(
                        _("case {case}: {value} is not a value of {fact} ({values})").format(
                            case=c["case_ref"], value=repr(value), fact=key,
                            values=", ".join(f.values)))
        ids = [c.get("case_id") or new_id() for c in cases]
        columns = ("person_name", "pdu", "team", "office", "practitioner", "prison",
                   "report_type")
        rows = [(cid, inspection_id, c["case_ref"], *(c.get(k) or "" for k in columns),
                 json.dumps(dict(c["facts"]), sort_keys=True), c.get("language") or ENGLISH)
                for cid, c in zip(ids, cases, strict=True)]
        # One statement for all the cases, one for their assessments and one for their audit
        # rows (one each, chained as ``_audit`` chains them): a row at a time, each statement
        # cost more than the rest of drawing the final sample (docs/performance.md).
        with write_transaction(self._conn):
            try:
                with write_transaction(self._conn):  # a savepoint: a refused batch is undone
                    self._conn.executemany(
                        "INSERT INTO cases (id, inspection_id, case_ref, person_name, pdu, team,"
                        " office, practitioner, prison, report_type, facts, language)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            except sqlcipher3.IntegrityError:
                refused = self._first_case_refused(inspection_id, ids, cases)
                if refused is None:
                    raise
                raise ValidationError(_("case {case} is already in this inspection").format(
                    case=refused)) from None
            self._conn.executemany("INSERT INTO assessments (case_id) VALUES (?)",
                                   [(cid,) for cid in ids])
            self._audit_many([(cid, "add_case", "case", None, c["case_ref"])
                              for cid, c in zip(ids, cases, strict=True)])
        return ids

    def _first_case_refused(self, inspection_id: str, ids: Sequence[str],
                            cases: Sequence[Mapping[str, Any]]) -> str | None:
        """The reference of the first case that cannot be added, as one at a time would find.

        Its reference is already in the inspection, or earlier in ``cases``; or its id is
        already taken, or earlier in ``cases``. None if none is (then the refusal is a bug).
        """
        taken_refs = {r[0] for r in self._conn.execute(
            "SELECT case_ref FROM cases WHERE inspection_id = ?", (inspection_id,))}
        taken_ids = {r[0] for r in self._conn.execute(
            "SELECT id FROM cases WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),))}
        for cid, c in zip(ids, cases, strict=True):
            if c["case_ref"] in taken_refs or cid in taken_ids:
                return str(c["case_ref"])
            taken_refs.add(c["case_ref"])
            taken_ids.add(cid)
        return None

    def assign(self, case_id: str, member_id: str, *, interview_at: str | None = None,
               interview_minutes: int | None = None) -> None:
        check_text(interview_at or "", _("the interview time"), error=ValidationError)
        with write_transaction(self._conn):
            held = self._conn.execute(
                "SELECT c.case_ref, m.name FROM assignments a JOIN cases c ON c.id = a.case_id"
                " JOIN members m ON m.id = a.member_id WHERE a.case_id = ? AND a.member_id <> ?",
                (case_id, member_id)).fetchone()
            if held is not None:  # a change of owner is a reassignment (setup/reassign.py)
                raise ValidationError(_(
                    "case {ref} is already allocated to {name}: to give it to someone else, "
                    "reassign it with a reason").format(ref=held[0], name=held[1]))
            self._conn.execute(
                "INSERT INTO assignments (case_id, member_id, interview_at, interview_minutes)"
                " VALUES (?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET"
                " member_id=excluded.member_id,"
                " interview_at=excluded.interview_at,"
                " interview_minutes=excluded.interview_minutes",
                (case_id, member_id, interview_at, interview_minutes),
            )
            self._audit(case_id, "assign", "assignment", None,
                        f"{member_id} {interview_at or ''}".strip())
