"""What an enrolled member's signature does not entitle them to, and parsing that must not crash.

A member's bundle is trusted for what that member may author: their own cases, and replies.
These tests sign bundles with a real member's keys that go beyond that, and check that the
receiver refuses them (or does not apply the part the sender may not author), writing nothing.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from typing import Any

import pytest

from hmip_desktop.bundles import KIND_PACK, KIND_RECEIPT
from hmip_desktop.exchange import payload, service
from hmip_desktop.exchange.assessments import (
    case_content,
    content_hash,
    delivered,
    export_assessments,
)
from hmip_desktop.exchange.identity import new_identity
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.qa.queries import list_queries, raise_query
from tests.exchange.conftest import FACTS, NAMES, Env, assert_one_line, nps_bytes
from tests.exchange.helpers import (
    Entries,
    db_digest,
    opened,
    rechain,
    refresh_manifest,
    reseal,
    seal_raw,
)


def _a1_bundle_for_case(env: Env, target_case: str, target_ref: str) -> bytes:
    """Assessor 1's own, honestly chained bundle, rewritten to speak for another case."""
    ids = env.team.identities
    entries = opened(env.bundle("a1-1.hmipb").read_bytes(), ids["qa"], ids["a1"])
    own = env.team.cases_of("a1")[1]  # the one without an alert
    by_name = dict(entries)
    case = copy.deepcopy(by_name[f"cases/{own}.json"])
    case["case_id"] = target_case
    case["revision"] += 40  # newer than anything held
    case["audit"][-1]["revision"] = case["revision"]
    rechain(case)
    listed = [{**e, "case_id": target_case, "case_ref": target_ref}
              for e in by_name["manifest.json"]["cases"] if e["case_id"] == own]
    manifest = {**by_name["manifest.json"], "cases": listed}
    forged: Entries = [("manifest.json", manifest), ("alerts.json", []),
                       ("queries.json", {"queries": [], "replies": []}),
                       (f"cases/{target_case}.json", case)]
    refresh_manifest(forged)
    return reseal(forged, sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                  inspection_id=env.team.iid, sequence=60)


@pytest.mark.parametrize("owner", ["qa", "a2"])
def test_an_assessor_cannot_overwrite_a_case_at_the_qa_partner_that_is_not_theirs(
        answered_env: Env, owner: str) -> None:
    """The QA partner holds their own cases and every supported assessor's: a1 may write none
    but a1's."""
    env = answered_env
    qa = env.ws("qa")
    target = env.team.cases_of(owner)[0]
    ref = qa._conn.execute("SELECT case_ref FROM cases WHERE id = ?", (target,)).fetchone()[0]
    if owner == "qa":
        qa.save_item(target, "2.1.1.a", "yes")  # the QA inspector's own work
    data = _a1_bundle_for_case(env, target, ref)
    before = db_digest(qa)
    with pytest.raises(PayloadError, match="is not assigned to") as e:
        service.import_bytes(qa, data)
    assert_one_line(e.value)
    assert db_digest(qa) == before


def test_a_close_in_an_assessment_bundle_is_not_applied(answered_env: Env) -> None:
    """Only the QA partner closes a query; an assessor's bundle relays replies, not closes."""
    env, team = answered_env, answered_env.team
    qa, a1 = env.ws("qa"), env.ws("a1")
    service.import_file(qa, env.bundle("a1-1.hmipb"))
    first = team.cases_of("a1")[0]
    query = raise_query(qa, first, "2.1.1.b", "Why 'no' when the plan names the risks?")
    export_qa(qa, team.iid, team.member_ids["a1"], env.bundle("qa-1.hmipb"))
    service.import_file(a1, env.bundle("qa-1.hmipb"))
    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))
    ids = team.identities
    entries = opened(env.bundle("a1-2.hmipb").read_bytes(), ids["qa"], ids["a1"])
    records: Any = dict(entries)["queries.json"]
    (q,) = records["queries"]
    q["closed_by"], q["closed_at"] = "Robin Quillfeather", "2026-11-24T13:00:00.000+00:00"
    data = reseal(entries, sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                  inspection_id=team.iid, sequence=70)
    service.import_file(env.ws("lead"), env.bundle("qa-1.hmipb"))  # the query, from its raiser
    for who in ("qa", "lead"):
        report = service.import_bytes(env.ws(who), data)
        assert report.closings == 0
        (held,) = list_queries(env.ws(who), first)
        assert held.id == query.id and held.is_open, who


def test_a_huge_number_in_an_unconfirmed_first_pack_is_refused_in_one_line(
        setup_env: Env) -> None:
    """Before the lead's fingerprint is confirmed anyone can seal a 'first pack': its contents
    are parsed, so a number too long for Python's int conversion must not crash the import."""
    env = setup_env
    a1 = env.ws("a1")
    stranger = new_identity("Avery Stranger", "lead")
    manifest = ('{"format":1,"kind":"pack","inspection_id":"x","sequence":' + "9" * 5000
                + "}").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", manifest)
    data = seal_raw(buf.getvalue(), sender=stranger, recipients=[env.team.identities["a1"]],
                    inspection_id=env.team.iid, sequence=1, kind=KIND_PACK)
    before = db_digest(a1)
    with pytest.raises(PayloadError, match="not valid JSON") as e:
        service.import_bytes(a1, data)
    assert_one_line(e.value)
    assert db_digest(a1) == before


def test_payload_parse_refuses_a_number_past_the_int_conversion_limit() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"n": 1})[:-1].replace("1", "1" * 5000) + "}")
    with pytest.raises(PayloadError, match="not valid JSON"):
        payload.parse(buf.getvalue())


def _receipt(env: Env, cases: list[dict[str, Any]], for_member: str) -> bytes:
    ids = env.team.identities
    manifest = {"format": 1, "kind": "receipt", "inspection_id": env.team.iid, "sequence": 0,
                "created_at": "2026-11-24T10:00:00.000+00:00",
                "sender": {"key_id": ids["lead"].public.key_id.hex(), "name": NAMES["lead"],
                           "role": "lead"}, "for_member": for_member, "cases": cases}
    return reseal([("manifest.json", manifest)], sender=ids["lead"], recipients=[ids["a1"]],
                  inspection_id=env.team.iid, sequence=80, kind=KIND_RECEIPT)


def test_a_receipt_cannot_mark_a_case_of_another_inspection_delivered(answered_env: Env) -> None:
    """The lead pinned for one inspection confirms that inspection's cases, no other's."""
    env = answered_env
    a1 = env.ws("a1")
    other = a1.create_inspection(title="Another division", organisation="Another division",
                                 framework_bytes=nps_bytes())
    elsewhere = a1.add_case(other, case_ref="OT-001", facts=FACTS)
    content = case_content(a1, elsewhere)
    data = _receipt(env, [{"case_id": elsewhere, "revision": content["revision"],
                           "content_hash": content_hash(content)}], env.team.member_ids["a1"])
    before = db_digest(a1)
    with pytest.raises(PayloadError) as e:
        service.import_bytes(a1, data)
    assert_one_line(e.value)
    assert db_digest(a1) == before
    assert not delivered(a1, elsewhere)


def test_a_receipt_made_out_to_another_member_is_refused(answered_env: Env) -> None:
    env = answered_env
    a1 = env.ws("a1")
    mine = env.team.cases_of("a1")[1]
    content = case_content(a1, mine)
    data = _receipt(env, [{"case_id": mine, "revision": content["revision"],
                           "content_hash": content_hash(content)}], env.team.member_ids["a2"])
    before = db_digest(a1)
    with pytest.raises(PayloadError, match="not made out to you") as e:
        service.import_bytes(a1, data)
    assert_one_line(e.value)
    assert db_digest(a1) == before


@pytest.mark.parametrize("junk", [{}, "an alert", {"case_id": "0" * 32}])
def test_the_alert_list_holds_only_the_alerts_of_the_bundles_cases(
        answered_env: Env, junk: Any) -> None:
    """Alerts come first so the lead sees them first: an entry that is not one of the listed
    cases' alerts is refused, not skipped (and cannot make the per-case check slow)."""
    env = answered_env
    ids = env.team.identities
    entries = opened(env.bundle("a1-1.hmipb").read_bytes(), ids["lead"], ids["a1"])
    dict(entries)["alerts.json"].append(junk)
    data = reseal(entries, sender=ids["a1"], recipients=[ids["lead"]],
                  inspection_id=env.team.iid, sequence=90)
    lead = env.ws("lead")
    before = db_digest(lead)
    with pytest.raises(PayloadError, match="alert list is not valid") as e:
        service.import_bytes(lead, data)
    assert_one_line(e.value)
    assert db_digest(lead) == before


def test_a_query_an_assessor_adds_to_their_own_bundle_does_not_count(
        answered_env: Env) -> None:
    """Queried is the QA partner's to give: a query new to the receiver that arrives in an
    assessor's bundle (here posing as raised by the QA partner) is not stored, so the lead's
    views never show the case as queried on the assessor's word."""
    env, team = answered_env, answered_env.team
    a1, lead = env.ws("a1"), env.ws("lead")
    first = team.cases_of("a1")[0]
    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))
    ids = team.identities
    entries = opened(env.bundle("a1-2.hmipb").read_bytes(), ids["lead"], ids["a1"])
    records: Any = dict(entries)["queries.json"]
    records["queries"].append({
        "id": "ab" * 16, "case_id": first, "item": "2.1.1",
        "text": "Please check the note.", "raised_by": "Morgan Thistlecombe",
        "raised_at": "2026-11-24T12:00:00.000+00:00", "closed_by": None, "closed_at": None})
    records["replies"].append({
        "id": "cd" * 16, "query_id": "ab" * 16, "author": "Robin Quillfeather",
        "at": "2026-11-24T12:30:00.000+00:00", "text": "Done."})
    data = reseal(entries, sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                  inspection_id=team.iid, sequence=70)
    report = service.import_bytes(lead, data)
    assert report.queries == report.replies == 0
    assert list_queries(lead) == []
    assert lead.case_summary(first).display_status != "queried"
    assert lead.case_summary(first).open_queries == 0
