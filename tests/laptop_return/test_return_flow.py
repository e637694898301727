"""From answered cases to a wiped laptop: the check, the release, the wipe and its certificate."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hmip_desktop.bundles import KIND_RELEASE, KIND_WIPE_CERTIFICATE
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.alert_states import export_alert_state
from hmip_desktop.exchange.contacts import my_member
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.laptop_return.certificates import wipe_certificates, write_certificate
from hmip_desktop.laptop_return.check import return_check
from hmip_desktop.laptop_return.exports import confirm_export, list_exports, record_export
from hmip_desktop.laptop_return.release import export_release, released_cases
from hmip_desktop.laptop_return.wipe import prepare_for_return
from hmip_desktop.qa.queries import raise_query, reply_to_query
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import take_step
from tests.exchange.conftest import Env, assert_one_line
from tests.exchange.helpers import opened, reseal


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def deliver(env: Env, who: str) -> None:
    """The lead imports the member's bundle 1; the member imports the lead's receipt."""
    report = service.import_file(env.ws("lead"), env.bundle(f"{who}-1.hmipb"))
    assert report.receipt is not None
    service.import_file(env.ws(who), report.receipt)


def acknowledge_alerts(env: Env, who: str) -> None:
    lead = env.ws("lead")
    for alert in lead.alerts():
        take_step(lead, alert.id, "acknowledged")
        out = env.root / f"state-{alert.id}.hmipstate"
        export_alert_state(lead, alert.id, out)
        service.import_file(env.ws(who), out)


def test_the_check_lists_what_is_left_and_goes_green_when_nothing_is(answered_env: Env) -> None:
    env = answered_env
    check = return_check(env.ws("a1"))
    assert not check.green
    assert check.cases == 2
    assert check.undelivered == ["RT-101", "RT-102"]
    assert check.unacknowledged_alerts == [("RT-101", 1)]
    assert "2 cases not delivered" in check.blocking_summary()

    deliver(env, "a1")
    check = return_check(env.ws("a1"))
    assert check.undelivered == []
    assert not check.green  # the alert is still waiting for the lead

    acknowledge_alerts(env, "a1")
    check = return_check(env.ws("a1"))
    assert check.green, check.lines()
    assert check.lines()[0].startswith("Ready to return: yes")


def test_a_case_changed_after_its_receipt_is_not_delivered_again(answered_env: Env) -> None:
    env = answered_env
    deliver(env, "a1")
    a1 = env.ws("a1")
    a1.save_item(env.team.case_ids["RT-102"], "2.1.1.a", "no")
    assert return_check(a1).undelivered == ["RT-102"]


def test_an_export_not_confirmed_keeps_the_check_from_green(answered_env: Env,
                                                            tmp_path: Path) -> None:
    env = answered_env
    deliver(env, "a1")
    acknowledge_alerts(env, "a1")
    a1 = env.ws("a1")
    sheet = tmp_path / "my-notes.pdf"
    sheet.write_bytes(b"%PDF-1.4 invented")
    record_export(a1, sheet, "schedule")
    check = return_check(a1)
    assert not check.green
    assert [e.path for e in check.exports] == [str(sheet)]
    assert "1 file written by the app not confirmed" in check.blocking_summary()


def test_an_unused_laptop_is_green_and_resets_without_a_certificate(tmp_path: Path) -> None:
    fresh = Workspace.create(tmp_path / "spare", "spare laptop passphrase, invented",
                             owner_name="Avery Pinecroft", role="assessor")
    beside = tmp_path / "beside.txt"
    beside.write_text("not the app's")
    assert return_check(fresh).green
    result = prepare_for_return(fresh, None)
    assert result.certificates == []
    assert result.workspace_files >= 1
    assert not (tmp_path / "spare").exists()
    assert beside.read_text() == "not the app's"  # nothing outside the workspace touched


def test_the_lead_releases_undelivered_cases_and_the_laptop_is_wiped(ready_env: Env,
                                                                    tmp_path: Path) -> None:
    env = ready_env
    lead, a2 = env.ws("lead"), env.ws("a2")
    assert return_check(a2).undelivered == ["RT-201", "RT-202"]
    out = export_release(lead, env.team.iid, "Casey Marrowby", ["RT-201", "RT-202"],
                         tmp_path / "a2.hmiprelease")
    report = service.import_file(a2, out)
    assert [r for r, _n in report.applied] == ["RT-201", "RT-202"]
    assert "Released by the lead: RT-201" in "\n".join(report.lines())
    assert set(released_cases(a2).values()) == {"RT-201", "RT-202"}
    check = return_check(a2)
    assert check.green and check.released == ["RT-201", "RT-202"]

    export = tmp_path / "schedule.pdf"
    export.write_bytes(b"%PDF-1.4 invented schedule for Casey Marrowby")
    record_export(a2, export, "schedule")
    confirm_export(a2, 1, "handed_over")
    assert return_check(a2).exports_to_remove[0].path == str(export)

    folder = a2.folder
    (folder / "workspace.hmip-recovery").write_bytes(b"invented key material")
    certificate = tmp_path / "a2.hmipwipe"
    result = prepare_for_return(a2, certificate)
    env._open.pop("a2")
    assert result.certificates == [certificate]
    assert result.exports_removed == [str(export)]
    assert not export.exists()
    assert not folder.exists()
    assert result.workspace_files >= 2

    report = service.import_file(lead, certificate)
    assert "Casey Marrowby: laptop wiped" in "\n".join(report.lines())
    [cert] = wipe_certificates(lead, env.team.iid)
    assert (cert.member_name, cert.cases, cert.released, cert.files_removed) == (
        "Casey Marrowby", 2, 2, 1)
    assert any(e.action == "wipe_certificate" for e in lead.history())
    again = service.import_file(lead, certificate)
    assert again.already_imported


def test_a_wipe_while_cases_are_undelivered_is_refused_and_changes_nothing(
        answered_env: Env, tmp_path: Path) -> None:
    env = answered_env
    folder = env.folder("a1")
    before = digests(folder)
    a1 = env.ws("a1")
    with pytest.raises(UserError) as e:
        prepare_for_return(a1, tmp_path / "a1.hmipwipe")
    assert_one_line(e.value)
    assert "not ready to return" in str(e.value)
    assert "2 cases not delivered" in str(e.value)
    env.close("a1")
    assert digests(folder) == before
    assert not (tmp_path / "a1.hmipwipe").exists()


def test_a_certificate_inside_the_workspace_folder_is_refused(ready_env: Env) -> None:
    env = ready_env
    a2 = env.ws("a2")
    export_release(env.ws("lead"), env.team.iid, "Casey Marrowby", ["RT-201", "RT-202"],
                   env.root / "r.hmiprelease")
    service.import_file(a2, env.root / "r.hmiprelease")
    with pytest.raises(UserError) as e:
        prepare_for_return(a2, a2.folder / "cert.hmipwipe")
    assert_one_line(e.value)
    assert a2.folder.exists() and return_check(a2).green


def test_only_the_lead_writes_a_release(ready_env: Env, tmp_path: Path) -> None:
    env = ready_env
    with pytest.raises(UserError) as e:
        export_release(env.ws("qa"), env.team.iid, "Casey Marrowby", ["RT-201"],
                       tmp_path / "x.hmiprelease")
    assert_one_line(e.value)
    with pytest.raises(UserError) as e:
        export_release(env.ws("lead"), env.team.iid, "Casey Marrowby", ["RT-101"],
                       tmp_path / "x.hmiprelease")
    assert "not allocated to Casey Marrowby" in str(e.value)
    assert not (tmp_path / "x.hmiprelease").exists()


def _release_entries(env: Env, tmp_path: Path) -> list[tuple[str, object]]:
    out = export_release(env.ws("lead"), env.team.iid, "Casey Marrowby", ["RT-201"],
                         tmp_path / "real.hmiprelease")
    ids = env.team.identities
    return opened(out.read_bytes(), ids["a2"], ids["lead"])


def test_a_release_signed_by_another_member_is_refused(ready_env: Env, tmp_path: Path) -> None:
    env = ready_env
    entries = _release_entries(env, tmp_path)
    ids = env.team.identities
    manifest = dict(entries[0][1])  # type: ignore[call-overload]
    manifest["sender"] = {**manifest["sender"], "key_id": ids["qa"].public.key_id.hex()}
    forged = reseal([("manifest.json", manifest), *entries[1:]], sender=ids["qa"],
                    recipients=[ids["a2"]], inspection_id=env.team.iid, sequence=50,
                    kind=KIND_RELEASE)
    path = tmp_path / "forged.hmiprelease"
    path.write_bytes(forged)
    a2 = env.ws("a2")
    with pytest.raises(UserError) as e:
        service.import_file(a2, path)
    assert_one_line(e.value)
    assert "not by the lead" in str(e.value)
    assert released_cases(a2) == {}


def test_a_release_for_another_member_is_refused(ready_env: Env, tmp_path: Path) -> None:
    env = ready_env
    entries = _release_entries(env, tmp_path)
    ids = env.team.identities
    body = {**dict(entries)["release.json"],  # type: ignore[dict-item]
            "member_id": my_member(env.ws("a1"), env.team.iid)["id"]}
    forged = reseal([entries[0], ("release.json", body)], sender=ids["lead"],
                    recipients=[ids["a2"]], inspection_id=env.team.iid, sequence=50,
                    kind=KIND_RELEASE)
    path = tmp_path / "other.hmiprelease"
    path.write_bytes(forged)
    a2 = env.ws("a2")
    with pytest.raises(UserError) as e:
        service.import_file(a2, path)
    assert_one_line(e.value)
    assert "another member" in str(e.value)
    assert released_cases(a2) == {}
    assert list_exports(a2) == []


def test_a_certificate_naming_another_member_is_refused_at_the_lead(ready_env: Env,
                                                                    tmp_path: Path) -> None:
    env = ready_env
    ids = env.team.identities
    real = write_certificate(env.ws("a2"), env.team.iid, tmp_path / "real.hmipwipe",
                             cases=2, released=2, files_removed=0)
    entries = opened(real.read_bytes(), ids["lead"], ids["a2"])
    body = {**dict(entries)["wipe_certificate.json"],  # type: ignore[dict-item]
            "member_id": env.team.member_ids["a1"]}
    forged = reseal([entries[0], ("wipe_certificate.json", body)], sender=ids["a2"],
                    recipients=[ids["lead"]], inspection_id=env.team.iid, sequence=60,
                    kind=KIND_WIPE_CERTIFICATE)
    path = tmp_path / "forged.hmipwipe"
    path.write_bytes(forged)
    lead = env.ws("lead")
    with pytest.raises(UserError) as e:
        service.import_file(lead, path)
    assert_one_line(e.value)
    assert "another member" in str(e.value)
    assert wipe_certificates(lead) == []


def test_a_query_waits_until_the_assessor_replies(answered_env: Env) -> None:
    env = answered_env
    team = env.team
    qa = env.ws("qa")
    service.import_file(qa, env.bundle("a1-1.hmipb"))
    query = raise_query(qa, team.case_ids["RT-102"], "2.1.1", "Why yes here?")
    service.import_file(env.ws("a1"), export_qa(qa, team.iid, team.member_ids["a1"],
                                                env.root / "qa-a1.hmipb"))
    a1 = env.ws("a1")
    check = return_check(a1)
    assert check.unanswered_queries == [("RT-102", 1)]
    assert "1 query not answered" in check.blocking_summary()
    reply_to_query(a1, query.id, "The plan was reviewed with the manager.")
    assert return_check(a1).unanswered_queries == []
