"""The assessment service as the GUI and the CLI use it, on the real NPS framework.

Every save is validated, applies the framework's rules, is audited and is durable on return;
what the form shows (applicability, hurdles, completeness, alerts) follows from what is stored.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from hmip_desktop.assessment.completeness import required_items
from hmip_desktop.store.errors import IncompleteError, StoreError, ValidationError
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.records import AuditEntry
from hmip_desktop.store.workspace import DB_NAME, Workspace
from tests.store.helpers import (
    OWNER,
    PASSPHRASE,
    SUPERVISION,
    assert_one_line,
    audit_count,
    new_workspace,
)

KEEPING_SAFE = ["2.2.3.a", "2.2.3.b", "2.2.3.c", "2.2.3.d", "2.2.3"]


@dataclasses.dataclass
class Setup:
    folder: Path
    ws: Workspace
    inspection_id: str
    case_id: str
    other_case_id: str


@pytest.fixture
def s(tmp_path: Path) -> Iterator[Setup]:
    folder = tmp_path / "ws"
    ws, iid, (cid, other) = new_workspace(folder, cases=2)
    yield Setup(folder, ws, iid, cid, other)
    ws.close()


def _items(s: Setup, case_id: str | None = None) -> dict[str, str]:
    return dict(s.ws.read_assessment(case_id or s.case_id).items)


def _revision(s: Setup, case_id: str | None = None) -> int:
    return s.ws.read_assessment(case_id or s.case_id).revision


def _value_for(ws: Workspace, case_id: str, item: str) -> str:
    """A valid answer for a required item (no conflict, interviewed, not excluded)."""
    fixed = {"record:conflict_declared": "no", "record:interview_mode": "in_person",
             "record:excluded": "no", "case:inspector_rosh": "high"}
    if item in fixed:
        return fixed[item]
    fw = ws.read_assessment(case_id).framework
    if item.startswith("case:"):
        return fw.fields_by_id[item[len("case:"):]].values[0]
    return "yes"


def _fill_required(ws: Workspace, case_id: str, *, leave_out: str | None = None) -> None:
    while True:
        a = ws.read_assessment(case_id)
        todo = [i for i in required_items(a.framework, a.rules, a.items)
                if not a.items.get(i) and i != leave_out]
        if not todo:
            return
        for item in todo:
            ws.save_item(case_id, item, _value_for(ws, case_id, item))


# -- saving ------------------------------------------------------------------------------------


def test_a_save_is_durable_when_it_returns(s: Setup) -> None:
    saves = {"2.1.1.a": "yes", "2.1.1.b": "no", "2.1.1": "yes",
             "note:2.1.1": "Risk assessment used the OASys review of March.",
             "case:inspector_rosh": "medium", "record:interview_mode": "phone",
             "record:interview_notes": "Spoke to the practitioner for 45 minutes."}
    for item, value in saves.items():
        change = s.ws.save_item(s.case_id, item, value)
        assert (change.item, change.new, change.changed) == (item, value, True)
    s.ws.close()  # no flush, no checkpoint: the commits are all there is
    s.ws = Workspace.open(s.folder, PASSPHRASE)
    assert _items(s) == saves
    assert _items(s, s.other_case_id) == {}
    assert [(e.item, e.new) for e in s.ws.history(s.case_id) if e.action == "set"] == list(
        saves.items())


def test_text_is_trimmed_at_the_end_and_an_empty_value_clears(s: Setup) -> None:
    s.ws.save_item(s.case_id, "note:2.1.1", "  Indented, with trailing space.  \n")
    assert _items(s)["note:2.1.1"] == "  Indented, with trailing space."
    change = s.ws.save_item(s.case_id, "note:2.1.1", "")
    assert (change.old, change.new) == ("  Indented, with trailing space.", None)
    assert "note:2.1.1" not in _items(s)
    assert s.ws.history(s.case_id, item="note:2.1.1")[-1].new is None


def test_the_revision_rises_with_every_change_and_only_then(s: Setup) -> None:
    assert _revision(s) == 0
    assert s.ws.read_assessment(s.case_id).status == "not_started"
    seen = []
    for item, value in [("2.1.1.a", "yes"), ("2.1.1.b", "yes"), ("2.1.1.a", "no"),
                        ("note:2.1.1", "first"), ("note:2.1.1", "second"), ("2.1.1.a", "")]:
        seen.append(s.ws.save_item(s.case_id, item, value).revision)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert _revision(s) == 6
    assert s.ws.read_assessment(s.case_id).status == "in_progress"
    assert _revision(s, s.other_case_id) == 0

    audits = audit_count(s.ws)
    for item, value in [("2.1.1.b", "yes"), ("note:2.1.1", "second"),
                        ("note:2.1.1", "second   "), ("2.1.1.a", "")]:
        change = s.ws.save_item(s.case_id, item, value)
        assert not change.changed
        assert change.revision == 6
    assert _revision(s) == 6
    assert audit_count(s.ws) == audits


INVALID = [
    ("2.1.1.a", "maybe"),  # not an answer
    ("2.1.1.a", "YES"),  # answers are exact
    ("2.1.1.a", "na"),  # this prompt has no 'not applicable'
    ("2.1.1", "partly"),
    ("1.1.1", "yes"),  # a lead-rated, qualitative key question: never answered per case
    ("9.9.9.z", "yes"),  # no such item
    ("9.9.9.z", ""),
    ("", "yes"),
    ("note:9.9", "a note for nothing"),
    ("note:2.1.1", "x" * 20_001),  # over the length limit
    ("note:2.1.1", "a NUL \x00 inside"),
    ("case:sample", "victim"),  # a case fact comes with the sample; it is not an answer
    ("case:inspector_rosh", "extreme"),
    ("case:no_such_question", "low"),
    ("record:interview_mode", "telepathy"),
    ("record:no_such_field", "x"),
]


@pytest.mark.parametrize(("item", "value"), INVALID)
def test_an_invalid_value_is_refused_and_nothing_is_written(s: Setup, item: str,
                                                             value: str) -> None:
    s.ws.save_item(s.case_id, "2.1.1.a", "yes")
    s.ws.save_item(s.case_id, "note:2.1.1", "kept")
    before = (_items(s), _revision(s), audit_count(s.ws))
    with pytest.raises(ValidationError) as caught:
        s.ws.save_item(s.case_id, item, value)
    assert_one_line(caught.value)
    assert (_items(s), _revision(s), audit_count(s.ws)) == before
    assert not s.ws._conn.in_transaction


def test_saving_to_an_unknown_case_is_refused(s: Setup) -> None:
    before = audit_count(s.ws)
    with pytest.raises(StoreError, match="no case"):
        s.ws.save_item("NO-SUCH-CASE", "2.1.1.a", "yes")
    assert audit_count(s.ws) == before


def test_a_case_can_be_found_by_its_reference(s: Setup) -> None:
    change = s.ws.save_item("CASE-001", "2.1.1.a", "no")
    assert change.case_id == s.other_case_id
    assert _items(s, s.other_case_id) == {"2.1.1.a": "no"}


# -- applicability and hurdles -----------------------------------------------------------------


def test_applicability_flips_both_ways_and_keeps_the_answers(s: Setup) -> None:
    s.ws.save_item(s.case_id, "case:inspector_rosh", "high")
    answers = dict(zip(KEEPING_SAFE, ["yes", "no", "yes", "yes", "yes"], strict=True))
    for item, value in answers.items():
        s.ws.save_item(s.case_id, item, value)
    a = s.ws.read_assessment(s.case_id)
    assert a.rules.applies("2.2.3")
    required = {m.item for m in a.completeness.missing} | set(a.items)
    assert set(KEEPING_SAFE) <= required

    s.ws.save_item(s.case_id, "case:inspector_rosh", "low")
    a = s.ws.read_assessment(s.case_id)
    assert not a.rules.applies("2.2.3")
    assert not a.rules.applies("2.3.3") and not a.rules.applies("2.4.3")
    assert {k: a.items[k] for k in KEEPING_SAFE} == answers  # hidden, not deleted
    assert not {m.item for m in a.completeness.missing} & {"2.3.3", "2.3.3.a", "2.4.3"}
    assert "2.2.3" not in required_items(a.framework, a.rules, a.items)

    s.ws.save_item(s.case_id, "case:inspector_rosh", "very_high")
    a = s.ws.read_assessment(s.case_id)
    assert a.rules.applies("2.2.3")
    assert {k: a.items[k] for k in KEEPING_SAFE} == answers
    assert "2.2.3" in required_items(a.framework, a.rules, a.items)


def test_a_court_report_case_is_not_asked_domain_two(s: Setup) -> None:
    cid = s.ws.add_case(s.inspection_id, case_ref="PSR-001",
                        facts={**SUPERVISION, "sample": "court_report",
                               "sentence_type": "pre_sentence"})
    a = s.ws.read_assessment(cid)
    required = required_items(a.framework, a.rules, a.items)
    assert "3.1.1" in required and "2.1.1" not in required and "3.2.1" not in required


def test_a_hurdle_forces_and_locks_its_judgement_and_undo_restores_both(s: Setup) -> None:
    s.ws.save_item(s.case_id, "2.1.3", "yes")
    change = s.ws.save_item(s.case_id, "2.1.3.d", "no")
    assert change.also_changed == {"2.1.3": ("yes", "no")}
    assert _items(s)["2.1.3"] == "no"
    hurdle = s.ws.history(s.case_id, item="2.1.3")[-1]
    assert (hurdle.action, hurdle.old, hurdle.new, hurdle.revision) == (
        "hurdle", "yes", "no", change.revision)
    assert s.ws.read_assessment(s.case_id).rules.forced["2.1.3"][0] == "no"

    before = (_items(s), _revision(s), audit_count(s.ws))
    with pytest.raises(ValidationError, match="hurdle"):
        s.ws.save_item(s.case_id, "2.1.3", "yes")  # locked
    assert (_items(s), _revision(s), audit_count(s.ws)) == before
    assert not s.ws.save_item(s.case_id, "2.1.3", "no").changed  # the forced value is fine

    undone = s.ws.undo(s.case_id)
    assert undone is not None and undone.item == "2.1.3.d"
    items = _items(s)
    assert "2.1.3.d" not in items
    assert items["2.1.3"] == "yes"  # the judgement the assessor had made comes back
    assert "2.1.3" not in s.ws.read_assessment(s.case_id).rules.forced
    s.ws.save_item(s.case_id, "2.1.3", "no")  # and it is unlocked again
    s.ws.save_item(s.case_id, "2.1.3", "yes")


def test_a_hurdle_survives_reopening(s: Setup) -> None:
    s.ws.save_item(s.case_id, "2.1.3.d", "no")
    s.ws.close()
    s.ws = Workspace.open(s.folder, PASSPHRASE)
    assert _items(s)["2.1.3"] == "no"
    with pytest.raises(ValidationError):
        s.ws.save_item(s.case_id, "2.1.3", "yes")


# -- undo --------------------------------------------------------------------------------------


def test_undo_steps_back_through_this_sessions_changes_and_is_audited(s: Setup) -> None:
    assert s.ws.undo(s.case_id) is None
    s.ws.save_item(s.case_id, "2.1.1.a", "yes")
    s.ws.save_item(s.case_id, "note:2.1.1", "first thoughts")
    s.ws.save_item(s.case_id, "2.1.1.a", "no")
    s.ws.save_item(s.other_case_id, "2.1.1.a", "yes")  # another case's stack is its own
    revision = _revision(s)

    first = s.ws.undo(s.case_id)
    assert first is not None
    assert (first.item, first.old, first.new, first.revision) == (
        "2.1.1.a", "no", "yes", revision + 1)
    last = s.ws.history(s.case_id)[-1]
    assert (last.action, last.item, last.old, last.new, last.actor) == (
        "undo", "2.1.1.a", "no", "yes", OWNER)
    s.ws.undo(s.case_id)
    assert "note:2.1.1" not in _items(s)
    s.ws.undo(s.case_id)
    assert _items(s) == {}
    assert s.ws.undo(s.case_id) is None
    assert [e.action for e in s.ws.history(s.case_id) if e.item != "status"][-3:] == [
        "undo", "undo", "undo"]
    assert _items(s, s.other_case_id) == {"2.1.1.a": "yes"}
    assert s.ws.verify_history(s.case_id)

    s.ws.save_item(s.case_id, "2.1.1.b", "yes")
    s.ws.close()  # the undo stack belongs to the session
    s.ws = Workspace.open(s.folder, PASSPHRASE)
    assert s.ws.undo(s.case_id) is None
    assert _items(s) == {"2.1.1.b": "yes"}


# -- conflict of interest ----------------------------------------------------------------------


def test_a_declared_conflict_of_interest_blocks_the_form(s: Setup) -> None:
    s.ws.save_item(s.case_id, "2.1.1.a", "yes")
    s.ws.save_item(s.case_id, "record:conflict_declared", "yes")
    before = (_items(s), _revision(s), audit_count(s.ws))
    for item, value in [("2.1.1.a", "no"), ("2.1.1.b", "yes"), ("note:2.1.1", "x"),
                        ("case:inspector_rosh", "low"), ("2.1.1.a", "")]:
        with pytest.raises(ValidationError, match="conflict of interest"):
            s.ws.save_item(s.case_id, item, value)
    assert (_items(s), _revision(s), audit_count(s.ws)) == before
    s.ws.save_item(s.case_id, "record:conflict_reason", "I supervised this person in 2019.")
    a = s.ws.read_assessment(s.case_id)
    assert a.completeness.blocked is not None and not a.completeness.complete
    with pytest.raises(IncompleteError, match="conflict of interest"):
        s.ws.mark_complete(s.case_id)
    s.ws.save_item(s.case_id, "2.1.1.a", "yes")  # the same value is not a change

    s.ws.save_item(s.case_id, "record:conflict_declared", "no")
    s.ws.save_item(s.case_id, "2.1.1.a", "no")
    assert _items(s)["2.1.1.a"] == "no"
    s.ws.save_item(s.other_case_id, "2.1.1.a", "yes")  # other cases were never blocked


# -- completion --------------------------------------------------------------------------------


def test_mark_complete_lists_what_is_missing_in_form_order_then_accepts(s: Setup) -> None:
    with pytest.raises(IncompleteError) as caught:
        s.ws.mark_complete(s.case_id)
    assert_one_line(caught.value)
    missing = caught.value.missing
    assert missing[:4] == ["record:conflict_declared", "record:interview_mode",
                           "record:excluded", "case:inspector_rosh"]
    a = s.ws.read_assessment(s.case_id)
    assert missing == required_items(a.framework, a.rules, a.items)
    assert missing.index("2.1.1.a") < missing.index("2.1.1.c") < missing.index("2.1.1") \
        < missing.index("2.1.2.a") < missing.index("2.4.3")
    assert not any(m.startswith(("1.", "3.")) for m in missing)  # lead-rated; other samples
    assert str(len(missing)) in str(caught.value)
    assert s.ws.read_assessment(s.case_id).status == "not_started"

    _fill_required(s.ws, s.case_id, leave_out="2.3.2")
    with pytest.raises(IncompleteError) as caught:
        s.ws.mark_complete(s.case_id)
    assert caught.value.missing == ["2.3.2"]
    assert s.ws.read_assessment(s.case_id).status == "in_progress"

    _fill_required(s.ws, s.case_id)
    revision = _revision(s)
    change = s.ws.mark_complete(s.case_id)
    assert (change.status, change.revision) == ("complete", revision + 1)
    a = s.ws.read_assessment(s.case_id)
    assert a.status == "complete" and a.completeness.complete and a.completeness.percent == 100
    last = s.ws.history(s.case_id)[-1]
    assert (last.action, last.old, last.new) == ("status", "in_progress", "complete")

    s.ws.save_item(s.case_id, "note:2.1.1", "An afterthought.")  # editing reopens the case
    assert s.ws.read_assessment(s.case_id).status == "in_progress"


@pytest.mark.parametrize("status", ["queried", "signed_off", "done"])
def test_a_status_only_qa_can_give_is_never_stored(s: Setup, status: str) -> None:
    s.ws.save_item(s.case_id, "2.1.1.a", "yes")
    before = (_revision(s), audit_count(s.ws))
    with pytest.raises(ValidationError) as caught:
        s.ws.set_status(s.case_id, status)
    assert_one_line(caught.value)
    assert "queried and signed off" in str(caught.value)
    assert s.ws.read_assessment(s.case_id).status == "in_progress"
    assert (_revision(s), audit_count(s.ws)) == before
    with pytest.raises(sqlcipher3.IntegrityError):  # nor by any statement of the store
        s.ws._conn.execute("UPDATE assessments SET status = ? WHERE case_id = ?",
                          (status, s.case_id))


def test_an_excluded_case_needs_only_the_reason(s: Setup) -> None:
    s.ws.save_item(s.case_id, "record:excluded", "yes")
    with pytest.raises(IncompleteError) as caught:
        s.ws.mark_complete(s.case_id)
    assert caught.value.missing == ["record:excluded_reason"]
    s.ws.save_item(s.case_id, "record:excluded_reason", "Transferred out before the sample.")
    assert s.ws.mark_complete(s.case_id).status == "complete"


# -- history -----------------------------------------------------------------------------------


def test_history_filters_by_case_and_item(s: Setup) -> None:
    for value in ("yes", "no", "yes"):
        s.ws.save_item(s.case_id, "2.1.1.a", value)
        s.ws.save_item(s.case_id, "2.1.1.b", value)
    s.ws.save_item(s.other_case_id, "2.1.1.a", "no")
    mine = s.ws.history(s.case_id, item="2.1.1.a")
    assert [(e.old, e.new) for e in mine] == [(None, "yes"), ("yes", "no"), ("no", "yes")]
    assert all(e.case_id == s.case_id and e.actor == OWNER for e in mine)
    assert [e.revision for e in mine] == [1, 3, 5]
    assert [e.seq for e in mine] == sorted(e.seq for e in mine)
    both = s.ws.history(item="2.1.1.a")
    assert len(both) == 4 and {e.case_id for e in both} == {s.case_id, s.other_case_id}
    assert {e.item for e in s.ws.history(s.case_id)} >= {"case", "2.1.1.a", "2.1.1.b", "status"}


def _busy_history(s: Setup) -> None:
    for n in range(30):
        s.ws.save_item(s.case_id, "2.1.1.a", "yes" if n % 2 else "no")
        s.ws.save_item(s.case_id, "note:2.1.1", f"note, take {n} — with “quotes” and ünïcode")
    s.ws.save_item(s.case_id, "2.1.3.d", "no")  # hurdle rows
    s.ws.undo(s.case_id)
    s.ws.raise_alert(s.case_id, what_might_happen="a", how_serious="b", how_imminent="c",
                     action_asked="d")
    s.ws.save_item(s.other_case_id, "2.1.1.a", "yes")


def test_verify_history_holds_after_many_changes(s: Setup) -> None:
    _busy_history(s)
    assert len(s.ws.history(s.case_id)) > 60
    assert s.ws.verify_history(s.case_id)
    assert s.ws.verify_history(s.other_case_id)
    s.ws.close()
    s.ws = Workspace.open(s.folder, PASSPHRASE)
    assert s.ws.verify_history(s.case_id)


@pytest.mark.parametrize("tamper", ["value", "actor", "time", "drop_one", "swap_two"])
def test_verify_history_detects_an_altered_chain(s: Setup, monkeypatch: pytest.MonkeyPatch,
                                                 tamper: str) -> None:
    _busy_history(s)
    real = s.ws.history(s.case_id)

    def altered(case_id: str | None = None, item: str | None = None) -> list[AuditEntry]:
        rows = list(real)
        k = len(rows) // 2
        if tamper == "value":
            rows[k] = dataclasses.replace(rows[k], new="yes" if rows[k].new != "yes" else "no")
        elif tamper == "actor":
            rows[k] = dataclasses.replace(rows[k], actor="Someone Else")
        elif tamper == "time":
            rows[k] = dataclasses.replace(rows[k], at="2020-01-01T00:00:00.000+00:00")
        elif tamper == "drop_one":
            del rows[k]
        else:
            rows[k], rows[k + 1] = rows[k + 1], rows[k]
        return rows

    monkeypatch.setattr(s.ws, "history", altered)
    assert not s.ws.verify_history(s.case_id)


def test_verify_history_detects_a_row_changed_on_disk(s: Setup) -> None:
    """Someone with the passphrase and stock SQLCipher can drop the triggers; the chain shows it."""
    _busy_history(s)
    s.ws.close()
    conn = sqlcipher3.connect(str(s.folder / DB_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = {sql_key_for(s.folder, PASSPHRASE)}")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET new = 'yes' WHERE seq = (SELECT max(seq) FROM audit"
                 " WHERE case_id = ? AND item = '2.1.1.a' AND new = 'no')", (s.case_id,))
    conn.close()
    s.ws = Workspace.open(s.folder, PASSPHRASE)
    assert not s.ws.verify_history(s.case_id)
    assert s.ws.verify_history(s.other_case_id)


# -- alerts ------------------------------------------------------------------------------------

ALERT = {"what_might_happen": "He may contact the victim despite the order.",
         "how_serious": "Serious: the victim has been assaulted before.",
         "how_imminent": "Within days: release is on Friday.",
         "action_asked": "Review the licence conditions today."}


@pytest.mark.parametrize("blank", list(ALERT))
def test_an_alert_needs_all_four_answers(s: Setup, blank: str) -> None:
    before = (_revision(s), audit_count(s.ws))
    with pytest.raises(ValidationError) as caught:
        s.ws.raise_alert(s.case_id, **{**ALERT, blank: "   "})
    assert_one_line(caught.value)
    assert s.ws.alerts(s.case_id) == []
    assert (_revision(s), audit_count(s.ws)) == before


def test_raising_and_acknowledging_an_alert(s: Setup) -> None:
    revision = _revision(s)
    alert = s.ws.raise_alert(s.case_id, **{k: f"  {v}  " for k, v in ALERT.items()})
    assert (alert.what_might_happen, alert.raised_by, alert.acknowledged_by) == (
        ALERT["what_might_happen"], OWNER, None)
    assert s.ws.alerts(s.case_id) == [alert]
    assert _revision(s) == revision + 1
    entry = s.ws.history(s.case_id)[-1]
    assert (entry.action, entry.item) == ("alert", f"alert:{alert.id}")
    assert json.loads(entry.new or "") == list(ALERT.values())

    s.ws.acknowledge_alert(alert.id)
    (acked,) = s.ws.alerts(s.case_id)
    assert acked.acknowledged_by == OWNER and acked.acknowledged_at is not None
    assert _revision(s) == revision + 2
    assert s.ws.history(s.case_id)[-1].action == "acknowledge"
    s.ws.acknowledge_alert(alert.id)  # twice is once
    assert _revision(s) == revision + 2
    assert s.ws.alerts(s.case_id) == [acked]
    with pytest.raises(StoreError, match="no alert"):
        s.ws.acknowledge_alert("no-such-alert")

    s.ws.close()
    s.ws = Workspace.open(s.folder, PASSPHRASE)
    assert s.ws.alerts(s.case_id) == [acked]


def test_list_cases_shows_completeness_and_open_alerts(s: Setup) -> None:
    a1 = s.ws.raise_alert(s.case_id, **ALERT)
    s.ws.raise_alert(s.case_id, **ALERT)
    s.ws.acknowledge_alert(a1.id)
    for item in ("record:conflict_declared", "record:interview_mode", "2.1.1.a"):
        s.ws.save_item(s.case_id, item, _value_for(s.ws, s.case_id, item))
    s.ws.save_item(s.case_id, "note:2.1.1", "Notes are not required items.")
    summaries = {c.case.id: c for c in s.ws.list_cases(s.inspection_id)}
    assert set(summaries) == {s.case_id, s.other_case_id}
    mine, other = summaries[s.case_id], summaries[s.other_case_id]
    assert (mine.alerts, mine.open_alerts) == (2, 1)
    assert (other.alerts, other.open_alerts) == (0, 0)
    assert mine.completeness.answered == 3
    assert mine.completeness.required == other.completeness.required > 3
    assert mine.completeness == s.ws.read_assessment(s.case_id).completeness
    assert other.completeness.answered == 0 and other.status == "not_started"
    assert mine.status == "in_progress" and mine.revision == _revision(s)
    assert mine.case.case_ref == "CASE-000"


def test_undoing_the_change_that_reopened_a_completed_case_completes_it_again(
        s: Setup) -> None:
    _fill_required(s.ws, s.case_id)
    s.ws.mark_complete(s.case_id)
    before = _items(s)
    reopening = s.ws.save_item(s.case_id, "note:2.1.1", "An afterthought.")
    assert (reopening.status, reopening.status_before) == ("in_progress", "complete")
    later = s.ws.save_item(s.case_id, "note:2.1.2", "Another.")
    assert later.status_before is None  # it was already in progress

    assert s.ws.undo(s.case_id) is not None  # the later change: still reopened
    assert s.ws.read_assessment(s.case_id).status == "in_progress"
    undone = s.ws.undo(s.case_id)
    assert undone is not None and undone.item == "note:2.1.1"
    a = s.ws.read_assessment(s.case_id)
    assert (a.status, dict(a.items)) == ("complete", before)
    assert undone.status == "complete" and undone.revision == a.revision
    status_rows = [(e.action, e.old, e.new) for e in s.ws.history(s.case_id)
                   if e.item == "status"]
    assert status_rows[-2:] == [("status", "complete", "in_progress"),
                                ("status", "in_progress", "complete")]
    assert s.ws.verify_history(s.case_id)
