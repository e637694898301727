"""Bundles a member signs with their own key but forges: a derived status, a rewritten history.

Each forged bundle starts from the member's real bundle (opened, as any recipient could) and
recomputes everything the documents define with the documents' own formulas, written out here
rather than taken from the app: the audit chain (data-model.md, "Hash chain"), the content hash
of a case (data-model.md, "The content hash of a case"), the manifest's case list and the zip of
JSON documents (bundle-format.md, "How the app uses the container"). Only the container's
sealing, with the member's real keys, comes from the test helpers.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.qa.signoff import sign_off
from tests.exchange.conftest import (
    ANSWERS,
    FACTS,
    NAMES,
    PASSPHRASE,
    Env,
    assert_one_line,
    digests,
)
from tests.exchange.helpers import Entries, opened, seal_raw, sequence_of
from tests.qa.builders import build

# -- the documented formulas ----------------------------------------------------------------


def documented_chain_hash(prev: str, case_id: str, row: dict[str, Any]) -> str:
    fields = [prev, case_id, row["at"], row["actor"], row["action"], row["item"], row["old"],
              row["new"], row["revision"]]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def documented_content_hash(case: dict[str, Any]) -> str:
    content = {k: case[k] for k in ("case_id", "revision", "status", "items", "alerts")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode("utf-8")).hexdigest()


def rehash(case: dict[str, Any]) -> None:
    prev = ""
    for row in case["audit"]:
        row["hash"] = prev = documented_chain_hash(prev, case["case_id"], row)


def archive(entries: Entries) -> bytes:
    """The payload: a zip of the JSON documents in the order given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, value in entries:
            zf.writestr(name, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return buf.getvalue()


def forged(env: Env, original: bytes, case_id: str, change: Any, *,
           sequence: int | None = None) -> bytes:
    """Assessor 1's bundle with one case changed, rehashed as documented, sealed by assessor 1."""
    ids = env.team.identities
    entries = copy.deepcopy(opened(original, ids["lead"], ids["a1"]))
    by_name = dict(entries)
    case = by_name[f"cases/{case_id}.json"]
    change(case)
    rehash(case)
    sequence = sequence if sequence is not None else sequence_of(original) + 1
    manifest = by_name["manifest.json"]
    manifest["sequence"] = sequence
    for listed in manifest["cases"]:
        if listed["case_id"] == case_id:
            listed["revision"] = case["revision"]
            listed["content_hash"] = documented_content_hash(case)
    return seal_raw(archive(entries), sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                    inspection_id=env.team.iid, sequence=sequence)


def marked(status: str) -> Any:
    """The forger's edit: the status changed, the revision +1, one audit row for it."""
    def change(case: dict[str, Any]) -> None:
        last = case["audit"][-1]
        case["revision"] += 1
        case["audit"].append({"seq": last["seq"] + 1, "at": "2026-11-24T12:00:00.000+00:00",
                              "actor": NAMES["a1"], "action": "status", "item": "status",
                              "old": case["status"], "new": status,
                              "revision": case["revision"], "hash": ""})
        case["status"] = status
    return change


def refused(env: Env, who: str, data: bytes) -> PayloadError:
    """Import ``data`` at ``who``: it must be refused with one line and write nothing."""
    env.close()
    before = digests(env.folder(who))
    path = env.root / "forged.hmipb"
    path.write_bytes(data)
    with pytest.raises(PayloadError) as caught:
        service.import_file(env.ws(who), path)
    env.close()
    assert digests(env.folder(who)) == before
    assert_one_line(caught.value)
    return caught.value


def first_case(env: Env) -> tuple[str, str]:
    ref = next(ref for ref, cid in env.team.case_ids.items() if cid == env.team.cases_of("a1")[0])
    return env.team.cases_of("a1")[0], ref


# -- a derived status ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "qa"])
@pytest.mark.parametrize(("status", "words"), [("signed_off", "signed off"),
                                               ("queried", "queried")])
def test_a_derived_status_in_a_bundle_is_refused(answered_env: Env, who: str, status: str,
                                                 words: str) -> None:
    env = answered_env
    cid, ref = first_case(env)
    assert env.ws("a1").case_summary(cid).completeness.percent < 100  # far from finished
    data = forged(env, env.bundle("a1-1.hmipb").read_bytes(), cid, marked(status))

    error = refused(env, who, data)

    assert ref in str(error) and words in str(error)
    summary = env.ws(who).case_summary(cid)
    assert (summary.status, summary.display_status, summary.revision) == \
        ("not_started", "not_started", 0)


@pytest.mark.parametrize("status", ["in_progress", "complete"])
def test_the_same_forgery_with_an_assessors_status_is_accepted(answered_env: Env,
                                                               status: str) -> None:
    """The forging above is faithful to the documents: only the status makes it refused."""
    env = answered_env
    cid, ref = first_case(env)
    data = forged(env, env.bundle("a1-1.hmipb").read_bytes(), cid, marked(status))
    path = env.root / "forged.hmipb"
    path.write_bytes(data)

    report = service.import_file(env.ws("lead"), path)

    assert (ref, 2 + len(ANSWERS)) in report.applied
    summary = env.ws("lead").case_summary(cid)
    assert (summary.status, summary.display_status) == (status, status)


def test_every_view_takes_qa_state_from_the_qa_partners_records(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The case list, ``cases`` (text and JSON) and the dashboard agree on a real sign-off."""
    env = answered_env
    cid, ref = first_case(env)
    a1, qa, lead = env.ws("a1"), env.ws("qa"), env.ws("lead")
    fw = a1.read_assessment(cid).framework
    for item, value in build(fw, FACTS).items.items():
        a1.save_item(cid, item, value)
    a1.mark_complete(cid)
    export_assessments(a1, env.team.iid, env.root / "a1-2.hmipb")
    for ws in (qa, lead):
        service.import_file(ws, env.root / "a1-2.hmipb")
    sign_off(qa, cid)
    export_qa(qa, env.team.iid, env.team.member_ids["a1"], env.root / "qa-1.hmipb")
    service.import_file(lead, env.root / "qa-1.hmipb")

    summary = lead.case_summary(cid)
    assert (summary.status, summary.display_status) == ("complete", "signed_off")
    row = next(r for r in dashboard(lead, env.team.iid) if r.case_id == cid)
    assert (row.status, row.qa_state) == ("complete", "signed_off")
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    assert main(["cases", "--workspace", str(env.folder("lead")), "--json"]) == 0
    listed = {c["case_ref"]: c for c in json.loads(capsys.readouterr().out)}
    assert listed[ref]["status"] == "signed_off"
    assert main(["cases", "--workspace", str(env.folder("lead"))]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(ref))
    assert line.split()[1:3] == ["Signed", "off"]  # the status in words


# -- a rewritten history ---------------------------------------------------------------------


def dropped(case: dict[str, Any]) -> None:
    """An early row removed (the answer it recorded disappears from the history)."""
    del case["audit"][3]


def altered(case: dict[str, Any]) -> None:
    """An early row's value changed."""
    row = next(r for r in case["audit"] if r["action"] == "set")
    row["new"] = "no" if row["new"] != "no" else "yes"


def bundle_two(env: Env) -> Path:
    """Assessor 1 keeps working on the first case and sends bundle 2."""
    cid, _ref = first_case(env)
    a1 = env.ws("a1")
    a1.save_item(cid, "note:2.1.1", "Seen again: the plan was reviewed with the person.")
    out = env.root / "a1-2.hmipb"
    export_assessments(a1, env.team.iid, out)
    env.close("a1")
    return out


@pytest.mark.parametrize("who", ["lead", "qa"])
@pytest.mark.parametrize("rewrite", [dropped, altered], ids=["dropped", "altered"])
def test_a_rewrite_of_history_already_received_is_refused(answered_env: Env, who: str,
                                                          rewrite: Any) -> None:
    env = answered_env
    cid, ref = first_case(env)
    report = service.import_file(env.ws(who), env.bundle("a1-1.hmipb"))
    assert ref in {r for r, _rev in report.applied}
    honest = bundle_two(env)
    original = honest.read_bytes()
    data = forged(env, original, cid, rewrite, sequence=sequence_of(original))

    error = refused(env, who, data)

    assert ref in str(error) and "history" in str(error)
    # The honest bundle 2 (same number) still imports: the refusal consumed nothing.
    report = service.import_file(env.ws(who), honest)
    assert ref in {r for r, _rev in report.applied}


def test_a_first_bundle_with_a_rewritten_history_is_accepted(answered_env: Env) -> None:
    """Nothing held yet, nothing to contradict: the rule guards what was received."""
    env = answered_env
    cid, ref = first_case(env)
    original = env.bundle("a1-1.hmipb").read_bytes()
    path = env.root / "forged.hmipb"
    path.write_bytes(forged(env, original, cid, dropped, sequence=sequence_of(original)))

    report = service.import_file(env.ws("lead"), path)

    assert ref in {r for r, _rev in report.applied}


# -- an acknowledgement ----------------------------------------------------------------------


def test_an_alert_the_sender_marks_acknowledged_arrives_unacknowledged(
        answered_env: Env) -> None:
    """Acknowledging an alert is the lead's act: a bundle whose alert claims it was acknowledged
    (rehashed and signed as documented) is stored as not yet acknowledged, so the alerts inbox
    and the QA check still ask for it."""
    env = answered_env
    cid, _ref = first_case(env)
    ids = env.team.identities
    original = env.bundle("a1-1.hmipb").read_bytes()
    entries = copy.deepcopy(opened(original, ids["lead"], ids["a1"]))
    by_name = dict(entries)
    claim = {"acknowledged_by": "Lena Ashgrove", "acknowledged_at": "2026-11-24T09:00:00.000+00:00"}
    for alert in by_name["alerts.json"]:
        alert.update(claim)
    case = by_name[f"cases/{cid}.json"]
    assert case["alerts"], "the first case carries the alert raised in the stage"
    for alert in case["alerts"]:
        alert.update(claim)
    rehash(case)
    for listed in by_name["manifest.json"]["cases"]:
        if listed["case_id"] == cid:
            listed["content_hash"] = documented_content_hash(case)
    data = seal_raw(archive(entries), sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                    inspection_id=env.team.iid, sequence=sequence_of(original))
    path = env.root / "forged.hmipb"
    path.write_bytes(data)

    report = service.import_file(env.ws("lead"), path)

    assert report.applied
    alerts = env.ws("lead").alerts(cid)
    assert alerts and all(a.acknowledged_by is None and a.acknowledged_at is None
                          for a in alerts)
