"""The panel record: the sitting (who sat, when), decisions taken at it, domain one varied by
the panel, and the panel summary that lists them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.consolidation.panel import (
    add_recommendation,
    allowed_variations,
    panel_decisions,
    record_panel_decision,
    set_lead_rating,
    set_recommendation_progress,
)
from hmip_desktop.consolidation.panel_sitting import panel_sitting, record_panel_sitting
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.summary import panel_summary_html
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import text_fault
from tests.consolidation.builders import LEAD, PASSPHRASE, Built, add_inspection, worked_cases
from tests.consolidation.test_panel import SECOND
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION

SITTING = {"sat_on": "2026-12-03", "chair": "Dana Whitlock",
           "members": ["Lena Ashgrove", "Priya Okafor"], "note_taker": "Sam Ellery"}


def _nps(ws: Workspace, *, sitting: bool) -> Built:
    return add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", SECOND,
                                                          NPS_SUPERVISION, LOW_ROSH),
                          sitting=sitting)


def _audit(ws: Workspace) -> list[tuple[str, str, str | None, str | None]]:
    return [tuple(r) for r in ws._conn.execute(  # type: ignore[misc]
        "SELECT action, item, old, new FROM audit WHERE case_id IS NULL ORDER BY seq")]


def _count(ws: Workspace, table: str) -> int:
    return int(ws._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_no_decision_before_the_sitting_is_recorded(ws: Workspace) -> None:
    built = _nps(ws, sitting=False)
    audit = _count(ws, "audit")
    with pytest.raises(ConsolidationError, match=r"^record the panel's sitting \(date, chair, "
                       r"members, note-taker\) before its decisions$"):
        record_panel_decision(ws, built.iid, "2.3", decision="confirm")
    assert panel_decisions(ws, built.iid) == {}
    assert _count(ws, "audit") == audit
    s = record_panel_sitting(ws, built.iid, **SITTING)  # type: ignore[arg-type]
    d = record_panel_decision(ws, built.iid, "2.3", decision="confirm")
    assert d.sitting == s.number == 1
    assert panel_decisions(ws, built.iid)["2.3"].sitting == 1


def test_the_sitting_is_recorded_amended_and_audited(ws: Workspace) -> None:
    built = _nps(ws, sitting=False)
    assert panel_sitting(ws, built.iid) is None
    s = record_panel_sitting(ws, built.iid, sat_on=" 2026-12-03 ", chair="Dana Whitlock ",
                             members=["Lena Ashgrove", " Priya Okafor"], note_taker="Sam Ellery")
    assert (s.number, s.sat_on, s.chair, s.members, s.note_taker, s.recorded_by) == (
        1, "2026-12-03", "Dana Whitlock", ("Lena Ashgrove", "Priya Okafor"), "Sam Ellery", LEAD)
    assert panel_sitting(ws, built.iid) == s
    action, item, old, new = _audit(ws)[-1]
    assert (action, item, old) == ("panel_sitting", f"inspection:{built.iid}/panel-sitting:1",
                                   None)
    assert json.loads(new or "") == {"date": "2026-12-03", "chair": "Dana Whitlock",
                                     "members": ["Lena Ashgrove", "Priya Okafor"],
                                     "note_taker": "Sam Ellery"}
    # the same again changes nothing and is not audited
    rows = _count(ws, "audit")
    assert record_panel_sitting(ws, built.iid, **SITTING) == s  # type: ignore[arg-type]
    assert _count(ws, "audit") == rows
    # an amendment keeps the sitting's number and is audited with what it replaced
    amended = record_panel_sitting(ws, built.iid, **{**SITTING, "sat_on": "2026-12-04"})  # type: ignore[arg-type]
    assert (amended.number, amended.sat_on) == (1, "2026-12-04")
    action, item, old, new = _audit(ws)[-1]
    assert action == "panel_sitting"
    assert (json.loads(old or "")["date"], json.loads(new or "")["date"]) == (
        "2026-12-03", "2026-12-04")
    assert ws._conn.execute("SELECT count(*) FROM panel_sittings WHERE inspection_id = ?",
                           (built.iid,)).fetchone()[0] == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"chair": "Dana\x1b[2J Whitlock"}, r"the chair contains a control character \(U\+001B\)"),
    ({"members": ["Lena\nAshgrove"]}, "the member's name contains a line break"),
    ({"note_taker": "Sam \u202eEllery"}, "the note-taker contains a character that reverses"),
    ({"chair": "  "}, "the chair must not be empty"),
    ({"chair": "x" * 201}, "the chair is longer than 200 characters"),
    ({"members": []}, "name at least one member of the panel"),
    ({"members": ["Priya Okafor", "priya okafor"]}, "priya okafor is named twice"),
    ({"members": "Priya Okafor"}, "the members must be a list of names"),
    ({"sat_on": "03/12/2026"}, "'03/12/2026' is not a date: give it as YYYY-MM-DD"),
    ({"sat_on": "2026-02-30"}, "'2026-02-30' is not a date"),
    ({"sat_on": "20261203"}, "'20261203' is not a date"),
])
def test_bad_sittings_are_one_line_and_write_nothing(ws: Workspace, change: dict[str, object],
                                                     message: str) -> None:
    built = _nps(ws, sitting=False)
    record_panel_sitting(ws, built.iid, **SITTING)  # type: ignore[arg-type]
    before = (panel_sitting(ws, built.iid), _count(ws, "audit"))
    with pytest.raises(ConsolidationError, match=message) as e:
        record_panel_sitting(ws, built.iid, **{**SITTING, **change})  # type: ignore[arg-type]
    assert "\n" not in str(e.value)
    assert (panel_sitting(ws, built.iid), _count(ws, "audit")) == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=30))
def test_any_name_is_kept_exactly_or_refused_in_one_line(ws: Workspace, name: str) -> None:
    iid = ws._conn.execute("SELECT inspection_id FROM panel_sittings LIMIT 1").fetchone()
    if iid is None:
        iid = (_nps(ws, sitting=True).iid,)
    before = panel_sitting(ws, iid[0])
    assert before is not None
    wanted = name.strip()
    try:
        s = record_panel_sitting(ws, iid[0], **{**SITTING, "chair": name})  # type: ignore[arg-type]
    except ConsolidationError as e:
        assert "\n" not in str(e)
        assert not wanted or text_fault(wanted) is not None or "not valid text" in str(e)
        assert panel_sitting(ws, iid[0]) == before
    else:
        assert wanted and text_fault(wanted) is None
        assert s.chair == wanted and panel_sitting(ws, iid[0]) == s


def test_only_the_lead_records_the_sitting(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "asr", PASSPHRASE, owner_name="Robin Assessor",
                          role="assessor")
    try:
        built = _nps(ws, sitting=False)
        with pytest.raises(ConsolidationError, match="only the lead inspector's workspace"):
            record_panel_sitting(ws, built.iid, **SITTING)  # type: ignore[arg-type]
        assert _count(ws, "panel_sittings") == 0
    finally:
        ws.close()


def test_the_panel_varies_a_lead_rated_standard_with_a_reason(ws: Workspace) -> None:
    built = _nps(ws, sitting=True)
    c = consolidate(ws, built.iid)
    assert allowed_variations(c, "1.1") == []  # no lead rating yet
    set_lead_rating(ws, built.iid, "1.1", "good", evidence="Strong vision, shared widely.")
    c = consolidate(ws, built.iid)
    assert set(allowed_variations(c, "1.1")) == {"outstanding", "requires_improvement",
                                                 "inadequate"}
    audit = _count(ws, "audit")
    for kwargs, message in (
        ({"rating": "good", "reason": "x"}, "Good is the lead's proposed rating: confirm it"),
        ({"rating": "inadequate"}, "a reason is required to vary a rating"),
        ({"reason": "x"}, "a variation needs the rating it varies to"),
        ({"rating": "inadequate", "reason": "x", "adjustment": 1}, "cannot be moved a band"),
    ):
        with pytest.raises(ConsolidationError, match=message):
            record_panel_decision(ws, built.iid, "1.1", decision="vary", **kwargs)  # type: ignore[arg-type]
    assert panel_decisions(ws, built.iid) == {} and _count(ws, "audit") == audit
    # no bands to be near: the panel may move it further than one band
    d = record_panel_decision(ws, built.iid, "1.1", decision="vary", rating="inadequate",
                              reason="The delivery plan has not been resourced.")
    assert (d.provisional_rating, d.rating, d.flags, d.sitting) == ("good", "inadequate", (), 1)
    t = consolidate(ws, built.iid).table("1.1")
    assert (t.provisional_rating, t.rating, t.decision_applied) == ("good", "inadequate", True)
    action, item, _old, new = _audit(ws)[-1]
    assert (action, item) == ("panel_decision", f"inspection:{built.iid}/standard:1.1")
    assert json.loads(new or "")["rating"] == "inadequate"


def test_the_panel_summary_lists_the_sitting_counts_and_recommendations(ws: Workspace) -> None:
    built = _nps(ws, sitting=False)
    html = panel_summary_html(ws, built.iid)
    assert "The panel&#x27;s sitting is not yet recorded." in html
    assert "No recommendations of the previous inspection are recorded." in html
    record_panel_sitting(ws, built.iid, **{**SITTING, "chair": "Dana <Whitlock>"})  # type: ignore[arg-type]
    add_recommendation(ws, built.iid, "Improve the quality of risk assessments.")
    set_recommendation_progress(ws, built.iid, 1, "insufficient", "Two of five cases improved.")
    html = panel_summary_html(ws, built.iid)
    assert "Sat on 3 December 2026." in html
    assert "Chair: Dana &lt;Whitlock&gt;." in html
    assert "Members: Lena Ashgrove, Priya Okafor." in html
    assert "Note-taker: Sam Ellery." in html
    c = consolidate(ws, built.iid)
    n = max(r.yes + r.no + r.na for r in c.table("2.3").rows)
    assert n == c.cases == 130
    assert f"case data, {n} cases counted" in html
    assert "Improve the quality of risk assessments." in html
    assert "Insufficient progress" in html and "Two of five cases improved." in html


def test_the_panel_record_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.consolidation.builders import lead_workspace  # noqa: PLC0415
    from tests.consolidation.test_cli import one_line_error, run  # noqa: PLC0415

    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "lead"
    w = lead_workspace(folder)
    _nps(w, sitting=False)
    w.close()
    ws_arg = ("--workspace", str(folder))
    one_line_error(run(capsys, "panel", "confirm", "2.3", *ws_arg),
                   "record the panel's sitting (date, chair, members, note-taker) before")
    one_line_error(run(capsys, "panel", "sitting", "--date", "2026-12-03", "--chair", "Dana",
                       *ws_arg), "panel sitting needs --date, --chair, at least one --member")
    one_line_error(run(capsys, "panel", "sitting", "--date", "3 Dec", "--chair", "Dana",
                       "--member", "Lena Ashgrove", "--note-taker", "Sam", *ws_arg),
                   "'3 Dec' is not a date")
    one_line_error(run(capsys, "panel", "sitting", "--date", "2026-12-03", "--chair",
                       "Dana\x1bWhitlock", "--member", "Lena", "--note-taker", "Sam", *ws_arg),
                   "the chair contains a control character")
    assert run(capsys, "panel", "sitting", *ws_arg)[:2] == (0, "no panel sitting recorded\n")
    code, out, _err = run(capsys, "panel", "sitting", "--date", "2026-12-03", "--chair",
                          "Dana Whitlock", "--member", "Lena Ashgrove", "--member",
                          "Priya Okafor", "--note-taker", "Sam Ellery", *ws_arg)
    assert (code, out) == (0, "panel sat on 2026-12-03: chair Dana Whitlock; members "
                              "Lena Ashgrove, Priya Okafor; note-taker Sam Ellery\n")
    # an amendment names only what changes
    code, out, _err = run(capsys, "panel", "sitting", "--note-taker", "Ola Brennan", "--json",
                          *ws_arg)
    got = json.loads(out)
    assert code == 0 and {k: got[k] for k in ("number", "date", "chair", "members",
                                              "note_taker", "recorded_by")} == {
        "number": 1, "date": "2026-12-03", "chair": "Dana Whitlock",
        "members": ["Lena Ashgrove", "Priya Okafor"], "note_taker": "Ola Brennan",
        "recorded_by": LEAD}
    assert run(capsys, "panel", "confirm", "2.3", *ws_arg)[0] == 0
    one_line_error(run(capsys, "panel", "confirm", *ws_arg), "panel confirm needs the STANDARD")
    one_line_error(run(capsys, "panel", "confirm", "2.3", "--chair", "X", *ws_arg),
                   "--date, --chair, --member and --note-taker go with panel sitting")
    one_line_error(run(capsys, "panel", "show", "2.3", *ws_arg), "panel show takes no STANDARD")
    code, out, _err = run(capsys, "panel", "show", "--json", *ws_arg)
    shown = json.loads(out)
    assert code == 0 and shown["sitting"]["note_taker"] == "Ola Brennan"
    assert [(d["standard_id"], d["decision"], d["sitting"]) for d in shown["decisions"]] == [
        ("2.3", "confirm", 1)]
    code, out, _err = run(capsys, "panel", "show", *ws_arg)
    assert code == 0 and out.splitlines()[1] == "2.3: confirmed Requires improvement (sitting 1)"
