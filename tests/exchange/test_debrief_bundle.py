"""The supporting inspector's debrief reaches the lead (Probation inspections external guidance
manual §3.10): written on the QA partner's laptop, sent in a bundle only the lead can open,
imported at the lead with who wrote it and when, audited; refused in one line from anyone but
the assessor's own supporting inspector."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hmip_desktop.bundles import KIND_DEBRIEF, NotForMeError
from hmip_desktop.debrief import debriefs, write_debrief
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.common import ReplayError, manifest, seal_for
from hmip_desktop.exchange.debrief_bundles import DebriefBundleError, export_debrief
from hmip_desktop.store.reads import lead_key_id
from tests.cli_helpers import run_cli
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, digests
from tests.exchange.helpers import opened, plaintext

OBSERVED = "Watched my interview closely and asked about the risk plan."
OVERALL = "Careful and thorough; needs more confidence in the interviews."


def test_the_qa_partners_debrief_reaches_the_lead_and_no_one_else(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    qa = env.ws("qa")
    mine = write_debrief(qa, team.iid, NAMES["a1"], {"observation": OBSERVED,
                                                     "overall": OVERALL})
    out = export_debrief(qa, team.iid, env.bundle("qa-debrief.hmipdebrief"))
    data = out.read_bytes()
    with pytest.raises(NotForMeError):  # sealed for the lead alone: the assessor cannot open it
        plaintext(data, team.identities["a1"], team.identities["qa"])
    entries = dict(opened(data, team.identities["lead"], team.identities["qa"]))
    assert [d["overall"] for d in entries["debriefs.json"]] == [OVERALL]

    lead = env.ws("lead")
    report = service.import_file(lead, out)
    assert report.notes == [f"the debrief on {NAMES['a1']}"]
    [held] = debriefs(lead, team.iid)
    assert (held.assessor, held.author, held.author_role, held.observation, held.qa_meetings,
            held.overall, held.written_at) == (NAMES["a1"], NAMES["qa"], "qa", OBSERVED, "",
                                               OVERALL, mine.written_at)
    [audit] = [h for h in lead.history() if h.action == "import_debrief"]
    assert (audit.item, audit.new) == (team.member_ids["a1"],
                                       f"{NAMES['qa']}, written {mine.written_at}")
    assert service.import_file(lead, out).already_imported

    with pytest.raises(UserError) as at_assessor:
        service.import_file(env.ws("a1"), out)
    assert_one_line(at_assessor.value)


def test_a_later_debrief_replaces_the_earlier_and_an_older_file_is_refused(
        ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    qa, lead = env.ws("qa"), env.ws("lead")
    write_debrief(qa, team.iid, NAMES["a1"], {"overall": "First thoughts."})
    first = export_debrief(qa, team.iid, env.bundle("d1.hmipdebrief"))
    write_debrief(qa, team.iid, NAMES["a1"], {"overall": OVERALL})
    write_debrief(qa, team.iid, NAMES["a2"], {"qa_meetings": "Forms on time."})
    second = export_debrief(qa, team.iid, env.bundle("d2.hmipdebrief"))
    service.import_file(lead, second)
    assert {(d.assessor, d.overall, d.qa_meetings) for d in debriefs(lead, team.iid)} == {
        (NAMES["a1"], OVERALL, ""), (NAMES["a2"], "", "Forms on time.")}
    env.close("lead")
    before = digests(env.folder("lead"))
    with pytest.raises(ReplayError) as older:
        service.import_file(env.ws("lead"), first)
    assert_one_line(older.value)
    env.close("lead")
    assert digests(env.folder("lead")) == before


def _debrief_from(env: Env, who: str, about: str) -> Any:
    """A well-formed debrief bundle sealed for the lead by ``who``'s workspace."""
    ws, team = env.ws(who), env.team
    lead = lead_key_id(ws, team.iid)
    assert lead is not None
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "debrief", team.iid, 0)),
        ("debriefs.json", [{"member_id": team.member_ids[about], "observation": "",
                            "qa_meetings": "", "overall": "Written by someone else.",
                            "written_at": "2026-11-27T12:00:00.000+00:00"}])]
    return seal_for(ws, KIND_DEBRIEF, "debrief", team.iid, [lead], entries,
                    env.bundle(f"{who}-about-{about}.hmipdebrief"), "a debrief")


def test_a_debrief_from_anyone_but_the_assessors_qa_partner_is_refused(ready_env: Env) -> None:
    env = ready_env
    forged = _debrief_from(env, "a2", "a1")  # an assessor writing about a fellow assessor
    env.close()
    before = digests(env.folder("lead"))
    with pytest.raises(DebriefBundleError) as refused:
        service.import_file(env.ws("lead"), forged)
    assert str(refused.value) == (f"refused: {NAMES['a2']} is not {NAMES['a1']}'s supporting "
                                  "inspector, so cannot send their debrief")
    env.close()
    assert digests(env.folder("lead")) == before


def test_only_the_supporting_inspector_sends_and_only_what_they_wrote(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    with pytest.raises(DebriefBundleError) as nothing:
        export_debrief(env.ws("qa"), team.iid, env.bundle("empty.hmipdebrief"))
    assert "no debrief written yet" in str(nothing.value)
    with pytest.raises(DebriefBundleError) as lead:
        export_debrief(env.ws("lead"), team.iid, env.bundle("lead.hmipdebrief"))
    assert "sent by the supporting inspector" in str(lead.value)
    assert not env.bundle("empty.hmipdebrief").exists()


def test_the_cli_writes_sends_and_imports_the_debrief(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = ready_env
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    out = env.bundle("cli.hmipdebrief")
    code, said, err = run_cli(capsys, "debrief", "--workspace", str(env.folder("qa")),
                              "--assessor", NAMES["a2"], "--overall", OVERALL,
                              "--send", str(out))
    assert (code, err) == (0, "") and f"debrief for the lead written to {out}" in said
    code, said, err = run_cli(capsys, "import", str(out), "--workspace",
                              str(env.folder("lead")))
    assert code == 0, err
    code, said, err = run_cli(capsys, "debrief", "--workspace", str(env.folder("lead")),
                              "--json")
    [row] = json.loads(said)
    assert (row["assessor"], row["author"], row["author_role"], row["overall"]) == (
        NAMES["a2"], NAMES["qa"], "qa", OVERALL)
    code, said, err = run_cli(capsys, "debrief", "--workspace", str(env.folder("a1")),
                              "--send", str(env.bundle("a1.hmipdebrief")))
    assert code == 1 and err.count("\n") == 1 and "supporting inspector" in err
