"""Training work never mixes with real work: each refusal is one line and writes nothing."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.bundles import KIND_ASSESSMENTS, KIND_PACK, KIND_TRAINING
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.training_bundles import export_training
from hmip_desktop.exchange.training_packs import make_training_pack
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.events import mark_benchmark
from hmip_desktop.training.service import comparison
from tests.exchange.conftest import Env, assert_one_line
from tests.exchange.helpers import db_digest, opened, reseal


def refused(ws: Workspace, data: bytes, *words: str) -> None:
    before = db_digest(ws)
    with pytest.raises(UserError) as caught:
        service.import_bytes(ws, data)
    assert_one_line(caught.value)
    for w in words:
        assert w in str(caught.value)
    assert db_digest(ws) == before


def test_a_real_bundle_is_refused_by_a_training_inspection(event: Env) -> None:
    team = event.team
    pack = event.bundle("t1.hmiptrainingpack").read_bytes()
    entries = opened(pack, team.identities["t1"], team.identities["lead"])
    as_real = reseal(entries, sender=team.identities["lead"], recipients=[team.identities["t1"]],
                     inspection_id=team.iid, sequence=99, kind=KIND_PACK)
    refused(event.ws("t1"), as_real, "training")
    answers = event.bundle("t2.hmiptraining").read_bytes()
    entries = opened(answers, team.identities["lead"], team.identities["t2"])
    as_assessments = reseal(entries, sender=team.identities["t2"],
                            recipients=[team.identities["lead"]], inspection_id=team.iid,
                            sequence=99, kind=KIND_ASSESSMENTS)
    refused(event.ws("lead"), as_assessments, "training")


def test_a_training_bundle_is_refused_by_a_real_inspection(answered_env: Env) -> None:
    team = answered_env.team
    data = answered_env.bundle("a1-1.hmipb").read_bytes()
    entries = opened(data, team.identities["lead"], team.identities["a1"])
    as_training = reseal(entries, sender=team.identities["a1"],
                         recipients=[team.identities["lead"]], inspection_id=team.iid,
                         sequence=99, kind=KIND_TRAINING)
    refused(answered_env.ws("lead"), as_training, "training bundle", "real inspection")


def test_a_training_inspection_sends_nothing_but_its_training_bundle(event: Env) -> None:
    team = event.team
    t1 = event.ws("t1")
    with pytest.raises(UserError) as caught:
        export_assessments(t1, team.iid, event.root / "out.hmipb")
    assert_one_line(caught.value)
    assert "training" in str(caught.value) and not (event.root / "out.hmipb").exists()
    with pytest.raises(UserError):
        make_pack(event.ws("lead"), team.iid, team.member_ids["t1"], event.root / "p.hmippack")
    assert not (event.root / "p.hmippack").exists()


def test_training_kinds_are_refused_for_a_real_inspection(answered_env: Env) -> None:
    team = answered_env.team
    with pytest.raises(UserError) as caught:
        make_training_pack(answered_env.ws("lead"), team.iid, team.member_ids["a1"],
                           answered_env.root / "t.hmiptrainingpack")
    assert "real inspection" in str(caught.value)
    with pytest.raises(UserError):
        export_training(answered_env.ws("a1"), team.iid, answered_env.root / "t.hmiptraining")
    with pytest.raises(UserError):
        mark_benchmark(answered_env.ws("lead"), team.iid)


def test_a_trainee_bundle_for_a_case_not_in_the_training_pack_is_refused(event: Env) -> None:
    team = event.team
    data = event.bundle("t2.hmiptraining").read_bytes()
    entries = opened(data, team.identities["lead"], team.identities["t2"])
    name, cases = entries[1]
    strange = json.loads(json.dumps(cases))
    strange[0]["case_id"] = "0" * 32
    strange[0]["case_ref"] = "RT-999"
    entries[1] = (name, strange)
    forged = reseal(entries, sender=team.identities["t2"], recipients=[team.identities["lead"]],
                    inspection_id=team.iid, sequence=99, kind=KIND_TRAINING)
    refused(event.ws("lead"), forged, "RT-999", "not one of this training event's cases")


def test_the_training_pack_never_carries_the_benchmark(event: Env) -> None:
    team = event.team
    pack = event.bundle("t3.hmiptrainingpack").read_bytes()
    entries = dict(opened(pack, team.identities["t3"], team.identities["lead"]))
    assert list(entries) == ["manifest.json", "inspection.json", "framework.json",
                             "members.json", "cases.json"]
    text = json.dumps(entries["cases.json"])
    assert "Thorough work" not in text and "items" not in text
    assert {m["name"] for m in entries["members.json"]} == {"Jules Pennyfold", "Kit Dunmorrow"}


def test_a_changed_benchmark_is_compared_again_and_marked(event: Env) -> None:
    team = event.team
    lead = event.ws("lead")
    case_id = team.case_ids["TR-1"]
    note = next(k for k in lead.read_assessment(case_id).items if k.startswith("note:"))
    lead.set_status(case_id, "in_progress")
    lead.save_item(case_id, note, "The benchmark's note, written again after the debrief.")
    lead.mark_complete(case_id)
    assert mark_benchmark(lead, team.iid).version == 2
    c = comparison(lead, team.iid)
    assert c.benchmark_version == 2 and c.benchmark_changed
    assert all(t.sent_before_change for t in c.trainees)
    with pytest.raises(UserError) as caught:
        mark_benchmark(lead, team.iid)
    assert "unchanged" in str(caught.value)
    assert [r.action for r in lead.history() if r.action == "training_benchmark"] == [
        "training_benchmark"] * 2
