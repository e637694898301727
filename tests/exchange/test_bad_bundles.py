"""Every bad input is refused with one line, and the receiving workspace is left byte-identical.

Each case builds its bad bytes from a private copy of the ``answered`` stage (real bundles,
real keys), closes every workspace, takes the SHA-256 of every file in the receiver's folder,
imports, and compares the digests after closing again: a refusal must write nothing at all.
"""

from __future__ import annotations

import copy
import io
import json
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import (
    KIND_ASSESSMENTS,
    KIND_PACK,
    KIND_RECEIPT,
    BadSignatureError,
    DamagedError,
    NotABundleError,
    NotForMeError,
    TooLargeError,
    TooNewError,
    TruncatedError,
    UnknownSenderError,
    read_header,
)
from hmip_desktop.cli.main import main
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.common import ReplayError
from hmip_desktop.exchange.identity import new_identity
from hmip_desktop.exchange.payload import PayloadError
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, digests
from tests.exchange.helpers import (
    Entries,
    case_entry,
    opened,
    plaintext,
    rechain,
    refresh_manifest,
    reseal,
    seal_raw,
    sequence_of,
)

Built = tuple[str, bytes]  # (who imports it, the bytes)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
RANDOM = random.Random(20261124).randbytes(3000)


def valid(env: Env) -> bytes:
    return env.bundle("a1-1.hmipb").read_bytes()


def a1_entries(env: Env) -> Entries:
    ids = env.team.identities
    return opened(valid(env), ids["lead"], ids["a1"])


def sealed_by_a1(env: Env, entries: Entries, **kw: Any) -> bytes:
    ids = env.team.identities
    return reseal(entries, sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                  inspection_id=kw.pop("inspection_id", env.team.iid),
                  sequence=kw.pop("sequence", 50), **kw)


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    """An archive built by hand, so that names payload.build refuses can be written."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, raw in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), raw,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def raw_entries(env: Env) -> list[tuple[str, bytes]]:
    ids = env.team.identities
    with zipfile.ZipFile(io.BytesIO(plaintext(valid(env), ids["lead"], ids["a1"]))) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def sealed_archive(env: Env, extra: list[tuple[str, bytes]]) -> bytes:
    ids = env.team.identities
    raw = raw_entries(env)
    manifest = raw[0][1].replace(b'"sequence":1,', b'"sequence":50,')
    assert manifest != raw[0][1]
    return seal_raw(zip_of([(raw[0][0], manifest), *raw[1:], *extra]), sender=ids["a1"],
                    recipients=[ids["lead"]], inspection_id=env.team.iid, sequence=50)


# -- the bad inputs --------------------------------------------------------------------------


def truncated(cut: Callable[[bytes], int]) -> Callable[[Env], Built]:
    def build(env: Env) -> Built:
        data = valid(env)
        return "lead", data[:cut(data)]
    return build


def bit_flipped(at: Callable[[bytes], int]) -> Callable[[Env], Built]:
    def build(env: Env) -> Built:
        data = bytearray(valid(env))
        data[at(bytes(data))] ^= 0x10
        return "lead", bytes(data)
    return build


def header_size(data: bytes) -> int:
    return read_header(data).header_size


def signed_by_a_stranger_over_the_same_bytes(env: Env) -> Built:
    data = valid(env)
    stranger = new_identity("Someone Else", "assessor")
    return "lead", data[:-64] + stranger.signing_key().sign(data[:-64])


def sealed_by_a_stranger(env: Env) -> Built:
    ids = env.team.identities
    stranger = new_identity(NAMES["a1"], "assessor")
    raw = plaintext(valid(env), ids["lead"], ids["a1"])
    return "lead", seal_raw(raw, sender=stranger, recipients=[ids["lead"]],
                            inspection_id=env.team.iid, sequence=50)


def sealed_with_a1s_id_and_a2s_key(env: Env) -> Built:
    ids = env.team.identities
    raw = plaintext(valid(env), ids["lead"], ids["a1"])
    return "lead", seal_raw(raw, sender=ids["a1"], signer=ids["a2"], recipients=[ids["lead"]],
                            inspection_id=env.team.iid, sequence=50)


def a2s_pack_at_a1(env: Env) -> Built:
    return "a1", env.bundle("a2.hmippack").read_bytes()


def a2s_receipt_at_a1(env: Env) -> Built:
    receipt = service.import_file(env.ws("lead"), env.bundle("a2-1.hmipb")).receipt
    assert receipt is not None
    return "a1", receipt.read_bytes()


def a2s_bundle_at_a1(env: Env) -> Built:
    return "a1", env.bundle("a2-1.hmipb").read_bytes()


def for_another_inspection(env: Env) -> Built:
    entries = a1_entries(env)
    entries[0][1]["inspection_id"] = "another-inspection"
    return "lead", sealed_by_a1(env, entries, inspection_id="another-inspection")


def receipt_for_another_inspection(env: Env) -> Built:
    ids = env.team.identities
    manifest = {"format": 1, "kind": "receipt", "inspection_id": "another-inspection",
                "sequence": 0, "created_at": "2026-11-24T10:00:00.000+00:00",
                "sender": {"key_id": ids["lead"].public.key_id.hex(), "name": NAMES["lead"],
                           "role": "lead"}, "for_member": env.team.member_ids["a1"],
                "cases": []}
    return "a1", reseal([("manifest.json", manifest)], sender=ids["lead"],
                        recipients=[ids["a1"]], inspection_id="another-inspection",
                        sequence=50, kind=KIND_RECEIPT)


def replayed(env: Env) -> Built:
    a1 = env.ws("a1")
    a1.save_item(env.team.cases_of("a1")[0], "2.1.2.a", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"))
    service.import_file(env.ws("lead"), env.bundle("a1-2.hmipb"))
    return "lead", valid(env)  # number 1, never imported, after number 2


def answer_maybe(env: Env) -> Built:
    entries = a1_entries(env)
    case_entry(entries, env.team.cases_of("a1")[0])["items"]["2.1.1.a"] = "maybe"
    refresh_manifest(entries)  # an honest hash of dishonest content: the framework must say no
    return "lead", sealed_by_a1(env, entries)


def unknown_item(env: Env) -> Built:
    entries = a1_entries(env)
    case_entry(entries, env.team.cases_of("a1")[0])["items"]["9.9.9.z"] = "yes"
    refresh_manifest(entries)
    return "lead", sealed_by_a1(env, entries)


def audit_entry_altered(env: Env) -> Built:
    entries = a1_entries(env)
    audit = case_entry(entries, env.team.cases_of("a1")[0])["audit"]
    audit[2]["new"] = "no"  # someone rewrites what was answered at revision 2
    return "lead", sealed_by_a1(env, entries)


def content_unlike_manifest(env: Env) -> Built:
    entries = a1_entries(env)
    case_entry(entries, env.team.cases_of("a1")[0])["items"]["2.1.1.b"] = "yes"
    return "lead", sealed_by_a1(env, entries)


def someone_elses_cases(env: Env) -> Built:
    """Assessor 1 signs assessor 2's cases: an assessor may not overwrite a colleague's work."""
    ids = env.team.identities
    entries = opened(env.bundle("a2-1.hmipb").read_bytes(), ids["lead"], ids["a2"])
    entries[0][1]["sender"] = copy.deepcopy(a1_entries(env)[0][1]["sender"])
    entries[0][1]["member_id"] = env.team.member_ids["a1"]
    return "lead", sealed_by_a1(env, entries)


def lone_surrogate_in_a_note(env: Env) -> Built:
    """JSON may escape half a surrogate pair ("\\udc80"): it parses, but is no character."""
    entries = a1_entries(env)
    manifest = {**entries[0][1], "sequence": 50}
    case_entry(entries, env.team.cases_of("a1")[0])["items"]["note:2.1.1"] = "ok \udc80"
    archive = zip_of([(name, json.dumps(value).encode("ascii"))
                      for name, value in [("manifest.json", manifest), *entries[1:]]])
    ids = env.team.identities
    return "lead", seal_raw(archive, sender=ids["a1"], recipients=[ids["lead"]],
                            inspection_id=env.team.iid, sequence=50)


def a_case_listed_twice(env: Env) -> Built:
    entries = a1_entries(env)
    listed = entries[0][1]["cases"]
    listed[1] = copy.deepcopy(listed[0])  # the second case's entry rides along unlisted
    return "lead", sealed_by_a1(env, entries)


def an_unlisted_entry(env: Env) -> Built:
    entries = a1_entries(env)
    entries[0][1]["cases"].pop()
    return "lead", sealed_by_a1(env, entries)


def alerts_not_first(env: Env) -> Built:
    entries = a1_entries(env)
    entries.append(entries.pop(1))
    return "lead", sealed_by_a1(env, entries)


def path_outside(name: str) -> Callable[[Env], Built]:
    def build(env: Env) -> Built:
        return "lead", sealed_archive(env, [(name, b"{}")])
    return build


def zip_bomb(env: Env) -> Built:
    return "lead", sealed_archive(env, [("cases/bomb.json", b"[" + b" " * (15 << 20) + b"]")])


def zip_bomb_lying_about_its_size(env: Env) -> Built:
    """The archive's directory claims 100 bytes for an entry that inflates to 5 MB."""
    ids = env.team.identities
    raw = raw_entries(env)
    manifest = raw[0][1].replace(b'"sequence":1,', b'"sequence":50,')
    real = (5 << 20) + 2
    archive = bytearray(zip_of([(raw[0][0], manifest), *raw[1:],
                                ("cases/bomb.json", b"[" + b" " * (real - 2) + b"]")]))
    central = archive.rfind(b"PK\x01\x02")  # the last entry's central directory record
    local = archive.rfind(b"PK\x03\x04")  # and its local header
    for at in (central + 24, local + 22):  # uncompressed size fields
        assert struct.unpack_from("<I", archive, at)[0] == real
        struct.pack_into("<I", archive, at, 100)
    return "lead", seal_raw(bytes(archive), sender=ids["a1"], recipients=[ids["lead"]],
                            inspection_id=env.team.iid, sequence=50)


def not_an_archive(env: Env) -> Built:
    ids = env.team.identities
    return "lead", seal_raw(b'{"manifest": "not a zip"}', sender=ids["a1"],
                            recipients=[ids["lead"]], inspection_id=env.team.iid, sequence=50)


def pack_with_assessments_kind(env: Env) -> Built:
    """The lead's real pack content, sealed with the kind byte of an assessment bundle."""
    ids = env.team.identities
    raw = plaintext(env.bundle("a1.hmippack").read_bytes(), ids["a1"], ids["lead"])
    return "a1", seal_raw(raw, sender=ids["lead"], recipients=[ids["a1"]],
                          inspection_id=env.team.iid, sequence=50, kind=KIND_ASSESSMENTS)


def pack_for_a2_opened_and_resealed_for_a1(env: Env) -> Built:
    """A genuine lead signature, but the pack inside names another member as its recipient."""
    ids = env.team.identities
    entries = opened(env.bundle("a2.hmippack").read_bytes(), ids["a2"], ids["lead"])
    return "a1", reseal(entries, sender=ids["lead"], recipients=[ids["a1"]],
                        inspection_id=env.team.iid, sequence=50, kind=KIND_PACK)


# -- signed by a trusted member, but malformed: a buggy or dishonest app ---------------------


def edited_bundle(edit: Callable[[Entries, str], None], *, fix: bool = True) -> Callable[
        [Env], Built]:
    """Assessor 1's bundle 1, edited, with the hashes an honest app would compute."""
    def build(env: Env) -> Built:
        entries = a1_entries(env)
        first = env.team.cases_of("a1")[0]
        edit(entries, first)
        if fix:
            rechain(case_entry(entries, first))
            refresh_manifest(entries)
        return "lead", sealed_by_a1(env, entries)
    return build


def edited_pack(edit: Callable[[Entries], None]) -> Callable[[Env], Built]:
    """The lead's pack for assessor 1, edited and sealed with the lead's (pinned) key."""
    def build(env: Env) -> Built:
        ids = env.team.identities
        entries = opened(env.bundle("a1.hmippack").read_bytes(), ids["a1"], ids["lead"])
        edit(entries)
        return "a1", reseal(entries, sender=ids["lead"], recipients=[ids["a1"]],
                            inspection_id=env.team.iid, sequence=50, kind=KIND_PACK)
    return build


def acknowledged_by_a_list(entries: Entries, first: str) -> None:
    case_entry(entries, first)["alerts"][0]["acknowledged_by"] = ["someone"]
    dict(entries)["alerts.json"][0]["acknowledged_by"] = ["someone"]


def alerts_not_a_list(entries: Entries, first: str) -> None:
    entries[1] = ("alerts.json", 5)


def audit_time_missing(entries: Entries, first: str) -> None:
    case_entry(entries, first)["audit"][1]["at"] = None


def audit_old_an_object(entries: Entries, first: str) -> None:
    case_entry(entries, first)["audit"][1]["old"] = {"answer": "yes"}


def receipt_with_a_huge_revision(env: Env) -> Built:
    ids = env.team.identities
    manifest = {"format": 1, "kind": "receipt", "inspection_id": env.team.iid, "sequence": 0,
                "created_at": "2026-11-24T10:00:00.000+00:00",
                "sender": {"key_id": ids["lead"].public.key_id.hex(), "name": NAMES["lead"],
                           "role": "lead"}, "for_member": env.team.member_ids["a1"],
                "cases": [{"case_id": env.team.cases_of("a1")[0], "revision": 2**70,
                           "content_hash": "0" * 64}]}
    return "a1", reseal([("manifest.json", manifest)], sender=ids["lead"],
                        recipients=[ids["a1"]], inspection_id=env.team.iid, sequence=50,
                        kind=KIND_RECEIPT)


def qa_partner_a_list(entries: Entries) -> None:
    dict(entries)["members.json"][0]["qa_partner_id"] = ["x"]


def interview_minutes_an_object(entries: Entries) -> None:
    dict(entries)["cases.json"][0]["assignment"]["interview_minutes"] = {"minutes": 60}


def two_cases_one_reference(entries: Entries) -> None:
    cases = dict(entries)["cases.json"]
    cases[1]["case_ref"] = cases[0]["case_ref"]


def a_held_reference_under_a_new_id(entries: Entries) -> None:
    dict(entries)["cases.json"][0]["id"] = "0" * 32


def archive_patched(patch: Callable[[bytearray, zipfile.ZipInfo], None],
                    compression: int = zipfile.ZIP_DEFLATED) -> Callable[[Env], Built]:
    """Assessor 1's archive with its last entry's bytes patched, sealed with their key."""
    def build(env: Env) -> Built:
        ids = env.team.identities
        raw = raw_entries(env)
        manifest = raw[0][1].replace(b'"sequence":1,', b'"sequence":50,')
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in [(raw[0][0], manifest), *raw[1:]]:
                zf.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data,
                            compress_type=compression)
            last = zf.infolist()[-1]
        archive = bytearray(buf.getvalue())
        patch(archive, last)
        return "lead", seal_raw(bytes(archive), sender=ids["a1"], recipients=[ids["lead"]],
                                inspection_id=env.team.iid, sequence=50)
    return build


def needs_zip_version_10_7(archive: bytearray, last: zipfile.ZipInfo) -> None:
    central = archive.rfind(b"PK\x01\x02")
    struct.pack_into("<H", archive, central + 6, 107)  # version needed to extract


def deflate_data_garbled(archive: bytearray, last: zipfile.ZipInfo) -> None:
    start = last.header_offset + 30 + len(last.filename.encode()) + len(last.extra)
    archive[start:start + last.compress_size] = b"\xff" * last.compress_size  # bad block type


def flagged_encrypted(archive: bytearray, last: zipfile.ZipInfo) -> None:
    central = archive.rfind(b"PK\x01\x02")
    archive[central + 8] |= 0x01
    archive[last.header_offset + 6] |= 0x01


def unchanged(archive: bytearray, last: zipfile.ZipInfo) -> None:
    del archive, last


CASES: dict[str, tuple[Callable[[Env], Built], type[UserError], str]] = {
    "cut after 5 bytes": (truncated(lambda d: 5), TruncatedError, "cut short"),
    "cut inside the fixed header": (truncated(lambda d: 100), TruncatedError, "cut short"),
    "cut inside a recipient entry": (truncated(lambda d: header_size(d) - 1), TruncatedError,
                                     "cut short"),
    "cut inside the ciphertext": (truncated(lambda d: len(d) // 2), TruncatedError,
                                  "cut short"),
    "signature cut off": (truncated(lambda d: len(d) - 64), TruncatedError, "cut short"),
    "last byte cut off": (truncated(lambda d: len(d) - 1), TruncatedError, "cut short"),
    "flip in the magic": (bit_flipped(lambda d: 3), NotABundleError, "not a hmip-desktop"),
    "flip in the version": (bit_flipped(lambda d: 8), TooNewError, "newer version"),
    "flip in the kind": (bit_flipped(lambda d: 9), TooNewError, "cannot read"),
    "flip in the header size": (bit_flipped(lambda d: 13), DamagedError, "damaged"),
    "flip in the sender key id": (bit_flipped(lambda d: 20), UnknownSenderError, "key"),
    "flip in the sender key": (bit_flipped(lambda d: 40), UnknownSenderError, "key"),
    "flip in the sequence": (bit_flipped(lambda d: 69), BadSignatureError, "changed"),
    "flip in the payload size": (bit_flipped(lambda d: 77), DamagedError, "damaged"),
    "flip in the key commitment": (bit_flipped(lambda d: 100), BadSignatureError, "changed"),
    # Damaged, or (still a valid id) an inspection this workspace does not have.
    "flip in the inspection id": (bit_flipped(lambda d: 125), UserError, ""),
    "flip in a recipient entry": (bit_flipped(lambda d: header_size(d) - 40),
                                  BadSignatureError, "changed"),
    "flip in the first chunk": (bit_flipped(lambda d: header_size(d) + 3), BadSignatureError,
                                "changed"),
    "flip in the middle": (bit_flipped(lambda d: len(d) // 2), BadSignatureError, "changed"),
    "flip in the last tag": (bit_flipped(lambda d: len(d) - 65), BadSignatureError,
                             "changed"),
    "flip in the signature": (bit_flipped(lambda d: len(d) - 30), BadSignatureError,
                              "changed"),
    "re-signed by another key": (signed_by_a_stranger_over_the_same_bytes, BadSignatureError,
                                 "changed after it was signed"),
    "sealed by a stranger for this inspection": (sealed_by_a_stranger, UnknownSenderError,
                                                 "does not know"),
    "assessor 1's id, assessor 2's key": (sealed_with_a1s_id_and_a2s_key, UnknownSenderError,
                                          "does not know"),
    "assessor 2's pack at assessor 1": (a2s_pack_at_a1, NotForMeError, "not addressed to you"),
    "assessor 2's receipt at assessor 1": (a2s_receipt_at_a1, NotForMeError,
                                           "not addressed to you"),
    "assessor 2's bundle at assessor 1": (a2s_bundle_at_a1, UnknownSenderError,
                                          "does not know"),
    "for another inspection": (for_another_inspection, UserError, "another inspection"),
    "receipt for another inspection": (receipt_for_another_inspection, UserError,
                                       "another inspection"),
    "replayed: older after newer": (replayed, ReplayError, "older than number"),
    "an answer the framework does not allow": (answer_maybe, PayloadError,
                                               "fails the framework's rules"),
    "an item the framework does not have": (unknown_item, PayloadError,
                                            "fails the framework's rules"),
    "an audit entry altered": (audit_entry_altered, PayloadError, "history has been altered"),
    "content unlike its manifest": (content_unlike_manifest, PayloadError,
                                    "does not match the manifest"),
    "a colleague's cases": (someone_elses_cases, PayloadError, "is not assigned to"),
    "half a surrogate pair in a note": (lone_surrogate_in_a_note, PayloadError,
                                        "not valid JSON"),
    "a case listed twice": (a_case_listed_twice, PayloadError, "lists a case twice"),
    "an entry the manifest does not list": (an_unlisted_entry, PayloadError,
                                            "does not list"),
    "alerts not first": (alerts_not_first, PayloadError, "not in the order"),
    "entry ../evil.json": (path_outside("../evil.json"), PayloadError, "outside its folder"),
    "entry cases/../../x.json": (path_outside("cases/../../x.json"), PayloadError,
                                 "outside its folder"),
    "entry /etc/x.json": (path_outside("/etc/x.json"), PayloadError, "outside its folder"),
    "entry cases\\..\\x.json": (path_outside("cases\\..\\x.json"), PayloadError,
                                "outside its folder"),
    "zip bomb": (zip_bomb, PayloadError, "zip bomb"),
    "zip bomb lying about its size": (zip_bomb_lying_about_its_size, PayloadError,
                                      "cannot be read"),
    "content not an archive": (not_an_archive, PayloadError, "not a readable archive"),
    "a pack sealed as assessments": (pack_with_assessments_kind, PayloadError,
                                     "do not match its signed header"),
    "a pack made out to another member": (pack_for_a2_opened_and_resealed_for_a1,
                                          PayloadError, "not made out to you"),
    "random bytes": (lambda env: ("lead", RANDOM), NotABundleError, "not a"),
    "random bytes behind the magic": (lambda env: ("lead", b"HMIPBNDL\x01\x02" + RANDOM),
                                      DamagedError, "damaged"),
    "empty file": (lambda env: ("lead", b""), NotABundleError, "empty"),
    "a PNG": (lambda env: ("lead", PNG), NotABundleError, "not a hmip-desktop bundle"),
    # Signed by a trusted member or the pinned lead, and malformed: each once crashed the import
    # with an exception other than UserError (or, for the audit time, stored a broken chain).
    "an alert acknowledged by a list": (edited_bundle(acknowledged_by_a_list), PayloadError,
                                        "an alert is not valid"),
    "alerts.json not a list": (edited_bundle(alerts_not_a_list, fix=False), PayloadError,
                               "alert list is not valid"),
    "an audit entry with no time": (edited_bundle(audit_time_missing), PayloadError,
                                    "history is not valid"),
    "an audit entry with an object": (edited_bundle(audit_old_an_object), PayloadError,
                                      "history is not valid"),
    "a receipt with a revision past 2**63": (receipt_with_a_huge_revision, PayloadError,
                                             "receipt is not valid"),
    "a pack with a list for a QA partner": (edited_pack(qa_partner_a_list), PayloadError,
                                            "member list is not valid"),
    "a pack with an object for minutes": (edited_pack(interview_minutes_an_object),
                                          PayloadError, "interview time that is not valid"),
    "a pack with two cases of one reference": (edited_pack(two_cases_one_reference),
                                               PayloadError, "clash"),
    "a pack reusing a held reference": (edited_pack(a_held_reference_under_a_new_id),
                                        PayloadError, "clash"),
    "an archive needing zip version 10.7": (archive_patched(needs_zip_version_10_7),
                                            PayloadError, "not a readable archive"),
    "an entry of garbled deflate data": (archive_patched(deflate_data_garbled), PayloadError,
                                         "cannot be read"),
    "an entry flagged encrypted": (archive_patched(flagged_encrypted), PayloadError,
                                   "never use"),
    "an entry compressed with bzip2": (archive_patched(unchanged, zipfile.ZIP_BZIP2),
                                       PayloadError, "never use"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_one_line_and_nothing_written(answered_env: Env, case: str) -> None:
    build, error, fragment = CASES[case]
    env = answered_env
    who, data = build(env)
    env.close()
    before = digests(env.folder(who))
    bundles_before = sorted(p.name for p in env.bundle("").iterdir())
    source = env.bundle("incoming.hmipb")
    source.write_bytes(data)

    with pytest.raises(error) as refused:
        service.import_file(env.ws(who), source)
    assert_one_line(refused.value)
    assert fragment in str(refused.value)
    env.close()
    assert digests(env.folder(who)) == before, "a refused import wrote to the workspace"
    assert sorted(p.name for p in env.bundle("").iterdir()) == sorted(
        [*bundles_before, "incoming.hmipb"]), "a refused import wrote a file (a receipt?)"


def test_the_refused_replay_leaves_the_newer_copy_in_place(answered_env: Env) -> None:
    env = answered_env
    first = env.team.cases_of("a1")[0]
    _who, older = replayed(env)
    newer = env.ws("lead")._conn.execute(
        "SELECT revision, sequence FROM case_sources WHERE case_id = ?", (first,)).fetchone()
    with pytest.raises(ReplayError, match=r"bundle number 1, older than number 2"):
        service.import_bytes(env.ws("lead"), older)
    assert env.ws("lead")._conn.execute(
        "SELECT revision, sequence FROM case_sources WHERE case_id = ?", (first,)).fetchone() \
        == newer
    assert tuple(newer) == (env.ws("a1").read_assessment(first).revision,
                            sequence_of(env.bundle("a1-2.hmipb").read_bytes()))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
        answered_env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env = answered_env
    huge = env.bundle("huge.hmipb")
    with huge.open("wb") as f:
        f.truncate(200 * 1024 * 1024 + 1)  # sparse: no disk space used
    before = digests(env.folder("lead"))
    real_open = Path.open

    def no_reading(self: Path, *args: Any, **kwargs: Any) -> Any:
        assert self != huge, "the oversized file was opened"
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(TooLargeError) as refused:
        service.import_file(env.ws("lead"), huge)
    assert_one_line(refused.value)
    assert "larger than the 200 MB limit" in str(refused.value)
    env.close()
    assert digests(env.folder("lead")) == before


# -- through the CLI ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", ["flip in the middle", "an audit entry altered",
                                  "for another inspection", "empty file"])
def test_the_cli_refuses_with_exit_1_and_one_line(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    env = answered_env
    build, _error, fragment = CASES[case]
    who, data = build(env)
    env.close()
    path = env.bundle("bad.hmipb")
    path.write_bytes(data)
    before = digests(env.folder(who))

    code, out, err = run(capsys, "import", "--workspace", str(env.folder(who)), str(path))
    assert (code, out) == (1, "")
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err
    assert digests(env.folder(who)) == before
    assert not env.bundle("bad-receipt.hmiprcpt").exists()


def test_the_cli_says_already_imported_and_exits_0(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    env = answered_env
    args = ("import", "--workspace", str(env.folder("lead")), str(env.bundle("a1-1.hmipb")))
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert "Applied: RT-101" in out and "Receipt written to" in out
    before = digests(env.folder("lead"))

    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert out == f"Already imported: this bundle from {NAMES['a1']} changed nothing\n"
    assert digests(env.folder("lead")) == before
