"""The recovery key's whole path through the real service functions and files.

An assessor's first bundle of cases carries their workspace's recovery key to the lead; the
assessor forgets the passphrase; the lead issues a recovery file; the assessor sets a new
passphrase with it; the old passphrase no longer opens, the file cannot be used twice, and a
new recovery key goes to the lead with the next bundle. docs/security.md, "The recovery key".
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from hmip_desktop.bundles import KIND_RECOVERY, Recipient, Sender, read_header, seal
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import payload, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.escrow import escrow_pending, held_for
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.exchange.recovery_files import (
    file_key_id,
    issue_recovery_file,
    use_recovery_file,
)
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.store.errors import WeakPassphraseError, WrongPassphraseError
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, digests

NEW = "heather lantern copper orchard"


def _escrowed(env: Env, who: str = "a1") -> None:
    """The member's first bundle (written by the fixture) carried the key; the lead imports it."""
    assert not escrow_pending(env.ws(who))
    report = service.import_file(env.ws("lead"), env.bundle(f"{who}-1.hmipb"))
    assert f"{NAMES[who]}'s recovery key is now held here" in report.notes


def _issue(env: Env, who: str = "a1", name: str = "a1.hmiprecovery") -> Path:
    return issue_recovery_file(env.ws("lead"), NAMES[who], env.root / name)


def _audit_actions(ws: Workspace) -> list[str]:
    return [r[0] for r in ws._conn.execute("SELECT action FROM audit WHERE case_id IS NULL")]


def test_an_assessor_who_forgot_the_passphrase_recovers_with_the_leads_file(
        answered_env: Env) -> None:
    env = answered_env
    _escrowed(env)
    cases = sorted(c.case.case_ref for c in env.ws("a1").list_cases())
    env.close("a1")  # the passphrase is forgotten
    recovery = _issue(env)
    assert read_header(recovery.read_bytes()).kind == KIND_RECOVERY
    assert "recovery_issued" in _audit_actions(env.ws("lead"))

    with use_recovery_file(env.folder("a1"), recovery, NEW) as ws:
        assert sorted(c.case.case_ref for c in ws.list_cases()) == cases
        assert {"recovery_used", "passphrase"} <= set(_audit_actions(ws))
        assert escrow_pending(ws)  # the fresh recovery key has not gone to the lead yet
    with pytest.raises(WrongPassphraseError):
        Workspace.open(env.folder("a1"), PASSPHRASE)
    with Workspace.open(env.folder("a1"), NEW) as ws:
        assert sorted(c.case.case_ref for c in ws.list_cases()) == cases
        # The next bundle carries the new recovery key; the lead keeps it in place of the old.
        old_id = held_for(env.ws("lead"), env.team.key_id("a1"))["recovery_id"]  # type: ignore[index]
        bundle = export_assessments(ws, env.team.iid, env.root / "a1-next.hmipb")
        assert not escrow_pending(ws)
    service.import_file(env.ws("lead"), bundle)
    held = held_for(env.ws("lead"), env.team.key_id("a1"))
    assert held is not None and held["recovery_id"] != old_id and held["issued_at"] is None


def _refused(env: Env, recovery: Path, message: str) -> None:
    before = digests(env.folder("a1"))
    with pytest.raises(UserError) as e:
        use_recovery_file(env.folder("a1"), recovery, NEW).close()
    assert_one_line(e.value)
    assert message in str(e.value)
    assert digests(env.folder("a1")) == before
    Workspace.open(env.folder("a1"), PASSPHRASE).close()  # the passphrase still opens it


def test_a_recovery_file_works_once(answered_env: Env) -> None:
    env = answered_env
    _escrowed(env)
    env.close("a1")
    recovery = _issue(env)
    use_recovery_file(env.folder("a1"), recovery, NEW).close()
    before = digests(env.folder("a1"))
    with pytest.raises(UserError) as e:
        use_recovery_file(env.folder("a1"), recovery, "another new passphrase entirely").close()
    assert_one_line(e.value)
    assert "already used" in str(e.value)
    assert digests(env.folder("a1")) == before
    Workspace.open(env.folder("a1"), NEW).close()


def test_a_recovery_file_for_another_workspace_is_refused(answered_env: Env) -> None:
    env = answered_env
    _escrowed(env)
    _escrowed(env, "a2")
    env.close()
    _refused(env, _issue(env, "a2", "a2.hmiprecovery"), "for another workspace")


def test_an_altered_recovery_file_is_refused(answered_env: Env) -> None:
    env = answered_env
    _escrowed(env)
    env.close()
    recovery = _issue(env)
    data = bytearray(recovery.read_bytes())
    data[len(data) // 2] ^= 0x01
    recovery.write_bytes(bytes(data))
    _refused(env, recovery, "changed after it was signed")


def test_a_recovery_file_signed_by_anyone_but_the_pinned_lead_is_refused(
        answered_env: Env) -> None:
    """Even holding the right recovery key, a file the pinned lead did not sign opens nothing."""
    env = answered_env
    _escrowed(env)
    held = held_for(env.ws("lead"), env.team.key_id("a1"))
    assert held is not None
    env.close()
    qa = env.team.identities["qa"]
    entries = [("manifest.json", {
        "format": 1, "kind": "recovery", "inspection_id": env.team.iid, "sequence": 7,
        "created_at": "2026-01-01T00:00:00Z", "workspace_id": held["workspace_id"],
        "recovery_id": held["recovery_id"], "member_key_id": env.team.key_id("a1").hex(),
        "member": NAMES["a1"],
        "sender": {"key_id": qa.public.key_id.hex(), "name": qa.public.name, "role": "qa"}}),
        ("recovery.json", {"recovery_key": base64.b64encode(held["recovery_key"]).decode()})]
    forged = seal(KIND_RECOVERY, payload.build(entries),
                  sender=Sender(qa.public.key_id, qa.signing_key()),
                  recipients=[Recipient(file_key_id(held["file_key"]),
                                        X25519PublicKey.from_public_bytes(held["file_key"]))],
                  inspection_id=env.team.iid, sequence=7)
    path = env.root / "forged.hmiprecovery"
    path.write_bytes(forged)
    _refused(env, path, "not signed by the lead this workspace trusts")


def test_other_files_and_weak_passphrases_are_refused_before_anything(answered_env: Env) -> None:
    env = answered_env
    _escrowed(env)
    env.close()
    _refused(env, env.bundle("a1-1.hmipb"), "not a recovery file")
    before = digests(env.folder("a1"))
    with pytest.raises(WeakPassphraseError):
        use_recovery_file(env.folder("a1"), _issue(env), "short")
    assert digests(env.folder("a1")) == before


def test_the_lead_has_nothing_to_issue_before_the_key_arrives(ready_env: Env) -> None:
    assert escrow_pending(ready_env.ws("a1"))  # no bundle has gone to the lead yet
    assert not escrow_pending(ready_env.ws("lead"))
    with pytest.raises(UserError) as e:
        _issue(ready_env)
    assert "no recovery key is held for" in str(e.value)
    assert not (ready_env.root / "a1.hmiprecovery").exists()


def test_only_the_lead_can_read_the_recovery_key_in_a_bundle(answered_env: Env) -> None:
    """The QA partner receives the same bundle but the key inside is sealed to the lead."""
    env = answered_env
    service.import_file(env.ws("qa"), env.bundle("a1-1.hmipb"))
    assert env.ws("qa")._conn.execute("SELECT count(*) FROM recovery_escrow").fetchone()[0] == 0


def test_a_qa_partners_recovery_key_goes_with_their_qa_bundle(answered_env: Env) -> None:
    """A QA inspector may have no case of their own to export: their QA bundle carries it."""
    env = answered_env
    qa = env.ws("qa")
    assert escrow_pending(qa)
    service.import_file(qa, env.bundle("a1-1.hmipb"))
    raise_query(qa, env.team.case_ids["RT-101"], "2.1.1.a", "Which record shows this?")
    bundle = export_qa(qa, env.team.iid, env.team.member_ids["a1"], env.root / "qa-1.hmipb")
    assert not escrow_pending(qa)
    service.import_file(env.ws("a1"), bundle)  # the assessor cannot read it, and keeps nothing
    assert env.ws("a1")._conn.execute("SELECT count(*) FROM recovery_escrow").fetchone()[0] == 0
    report = service.import_file(env.ws("lead"), bundle)
    assert f"{NAMES['qa']}'s recovery key is now held here" in report.notes
    assert held_for(env.ws("lead"), env.team.key_id("qa")) is not None
