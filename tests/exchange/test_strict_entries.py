"""Every kind of bundle holds exactly the entries its manifest lists, and a later pack keeps
the inspection's framework.

The bad files are built by hand from docs/bundle-format.md: the zip of JSON entries written
with ``zipfile`` (not ``payload.build``), then sealed with the real sender's key (the pinned
lead for packs and receipts, assessor 1 for assessments, the QA partner for QA bundles), so
only the contents are wrong. Each refusal must be one line and leave the receiving workspace
byte-identical.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import KIND_ASSESSMENTS, KIND_PACK, KIND_QA, KIND_RECEIPT
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import assessments, packs, qa, service
from hmip_desktop.exchange.identity import PrivateIdentity
from hmip_desktop.exchange.payload import Entry, PayloadError, check_entries
from hmip_desktop.frameworks.loader import content_hash
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.shipped_files import resource
from tests.exchange.conftest import Env, assert_one_line, digests
from tests.exchange.helpers import plaintext, seal_raw

Raw = list[tuple[str, bytes]]
LATER = 50  # a sequence number above any the stages used


def raw_entries(data: bytes, reader: PrivateIdentity, sender: PrivateIdentity) -> Raw:
    """The (name, bytes) entries of a real bundle, in archive order."""
    with zipfile.ZipFile(io.BytesIO(plaintext(data, reader, sender))) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def zip_of(entries: Raw) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, raw in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), raw,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def renumbered(entries: Raw, sequence: int) -> Raw:
    """The entries with the manifest's sequence set to the header's, as a sender would."""
    name, raw = entries[0]
    manifest = json.loads(raw)
    manifest["sequence"] = sequence
    return [(name, json.dumps(manifest).encode()), *entries[1:]]


Edit = Callable[[Raw], Raw]


def extra_entry(entries: Raw) -> Raw:
    return [*entries, ("notes.json", b'{"text": "an entry no manifest lists"}')]


def extra_entry_in_a_folder(entries: Raw) -> Raw:
    return [*entries, ("cases/0123456789abcdef0123456789abcdef.json", b"{}")]


def without(name: str) -> Edit:
    def edit(entries: Raw) -> Raw:
        assert name in [n for n, _r in entries]
        return [(n, r) for n, r in entries if n != name]
    return edit


def last_two_swapped(entries: Raw) -> Raw:
    return [*entries[:-2], entries[-1], entries[-2]]


def pack_from_lead(env: Env, edit: Edit) -> tuple[str, bytes]:
    ids = env.team.identities
    entries = raw_entries(env.bundle("a1.hmippack").read_bytes(), ids["a1"], ids["lead"])
    return "a1", seal_raw(zip_of(edit(renumbered(entries, LATER))), sender=ids["lead"],
                          recipients=[ids["a1"]], inspection_id=env.team.iid,
                          sequence=LATER, kind=KIND_PACK)


def assessments_from_a1(env: Env, edit: Edit) -> tuple[str, bytes]:
    ids = env.team.identities
    entries = raw_entries(env.bundle("a1-1.hmipb").read_bytes(), ids["lead"], ids["a1"])
    return "lead", seal_raw(zip_of(edit(renumbered(entries, LATER))), sender=ids["a1"],
                            recipients=[ids["lead"]], inspection_id=env.team.iid,
                            sequence=LATER, kind=KIND_ASSESSMENTS)


def receipt_from_lead(env: Env, edit: Edit) -> tuple[str, bytes]:
    ids = env.team.identities
    service.import_file(env.ws("lead"), env.bundle("a1-1.hmipb"),
                        receipt_out=env.bundle("a1-1.hmiprcpt"))
    entries = raw_entries(env.bundle("a1-1.hmiprcpt").read_bytes(), ids["a1"], ids["lead"])
    return "a1", seal_raw(zip_of(edit(renumbered(entries, LATER))), sender=ids["lead"],
                          recipients=[ids["a1"]], inspection_id=env.team.iid,
                          sequence=LATER, kind=KIND_RECEIPT)


def qa_from_partner(env: Env, edit: Edit) -> tuple[str, bytes]:
    ids = env.team.identities
    first = env.team.cases_of("a1")[0]
    service.import_file(env.ws("qa"), env.bundle("a1-1.hmipb"))
    raise_query(env.ws("qa"), first, "2.1.1", "Which document shows this?")
    out = qa.export_qa(env.ws("qa"), env.team.iid, env.team.member_ids["a1"],
                       env.bundle("qa-a1.hmipb"))
    entries = raw_entries(out.read_bytes(), ids["a1"], ids["qa"])
    return "a1", seal_raw(zip_of(edit(renumbered(entries, LATER))), sender=ids["qa"],
                          recipients=[ids["a1"], ids["lead"]], inspection_id=env.team.iid,
                          sequence=LATER, kind=KIND_QA)


def refused(env: Env, who: str, data: bytes) -> UserError:
    """Import ``data`` at ``who``: it must be refused with one line, writing nothing."""
    env.close()
    before = digests(env.folder(who))
    source = env.bundle("incoming.hmipb")
    source.write_bytes(data)
    with pytest.raises(UserError) as e:
        service.import_file(env.ws(who), source)
    assert_one_line(e.value)
    env.close()
    assert digests(env.folder(who)) == before, "a refused import wrote to the workspace"
    return e.value


Builder = Callable[[Env, Edit], tuple[str, bytes]]
KINDS: dict[str, Builder] = {"pack": pack_from_lead, "assessments": assessments_from_a1,
                             "receipt": receipt_from_lead, "qa": qa_from_partner}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("edit", [extra_entry, extra_entry_in_a_folder],
                         ids=["an extra entry", "an extra case entry"])
def test_an_entry_the_manifest_does_not_list_is_refused_in_every_kind(
        answered_env: Env, kind: str, edit: Edit) -> None:
    who, data = KINDS[kind](answered_env, edit)
    error = refused(answered_env, who, data)
    assert isinstance(error, PayloadError)
    assert str(error) == "the bundle holds entries its manifest does not list"


@pytest.mark.parametrize(("kind", "name"), [
    ("pack", "inspection.json"), ("pack", "framework.json"), ("pack", "members.json"),
    ("pack", "cases.json"), ("assessments", "alerts.json"), ("qa", "queries.json")])
def test_a_listed_entry_that_is_missing_is_named(answered_env: Env, kind: str,
                                                 name: str) -> None:
    who, data = KINDS[kind](answered_env, without(name))
    error = refused(answered_env, who, data)
    assert isinstance(error, PayloadError)
    assert str(error) == f"the bundle lacks an entry its manifest lists ({name})"


def test_a_listed_case_missing_from_an_assessment_bundle_is_named(answered_env: Env) -> None:
    env = answered_env
    name = f"cases/{env.team.cases_of('a1')[-1]}.json"
    who, data = assessments_from_a1(env, without(name))
    assert str(refused(env, who, data)) == \
        f"the bundle lacks an entry its manifest lists ({name})"


@pytest.mark.parametrize("kind", ["pack", "assessments"])
def test_entries_out_of_order_are_refused(answered_env: Env, kind: str) -> None:
    who, data = KINDS[kind](answered_env, last_two_swapped)
    assert str(refused(answered_env, who, data)) == \
        "the bundle's entries are not in the order its manifest lists them"


# -- the documented refusals -------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md"
M = Entry("manifest.json")
ENTRY_REFUSALS: dict[str, Callable[[], object]] = {
    "the bundle's case list is not valid":
        lambda: assessments._listed_entries({"cases": []}),
    "the bundle lists a case twice":
        lambda: assessments._listed_entries({"cases": [{"case_id": "a"}, {"case_id": "a"}]}),
    "the bundle's manifest lists an entry twice":
        lambda: check_entries(["manifest.json"], [M, Entry("a.json"), Entry("a.json")]),
    "the bundle holds entries its manifest does not list":
        lambda: check_entries(["manifest.json", "a.json"], [M]),
    "the bundle lacks an entry its manifest lists (NAME)":
        lambda: check_entries(["manifest.json"], [M, Entry("framework.json")]),
    "the bundle's entries are not in the order its manifest lists them":
        lambda: check_entries(["manifest.json", "b.json", "a.json"],
                              [M, Entry("a.json"), Entry("b.json")]),
}


def documented_entry_refusals() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("\n### The entries of each kind\n"):]
    section = section[: section.index("\n### ", 1)]
    return [m.group(1) for line in section.splitlines()
            if (m := re.search(r"\| `(the bundle[^`]+)`[^|]*\|$", line))]


def test_the_documented_entry_refusals_are_the_codes() -> None:
    assert sorted(documented_entry_refusals()) == sorted(ENTRY_REFUSALS)
    for message, refuse in ENTRY_REFUSALS.items():
        with pytest.raises(PayloadError) as e:
            refuse()
        pattern = re.escape(message).replace("NAME", ".+")
        assert re.fullmatch(pattern, str(e.value)), str(e.value)


# -- a later pack and the inspection's framework ----------------------------------------------


def with_framework(framework: dict[str, Any]) -> Edit:
    """The pack with another framework, its inspection.json naming it consistently."""
    def edit(entries: Raw) -> Raw:
        out = []
        for name, raw in entries:
            value = raw
            if name == "framework.json":
                value = json.dumps(framework).encode()
            elif name == "inspection.json":
                insp = json.loads(raw)
                insp.update(framework_id=framework["id"], framework_version=framework["version"],
                            framework_hash=content_hash(framework))
                value = json.dumps(insp).encode()
            out.append((name, value))
        return out
    return edit


def shipped(name: str) -> dict[str, Any]:
    value = json.loads(resource("frameworks", f"{name}.json").read_bytes())
    assert isinstance(value, dict)
    return value


def older_edition() -> dict[str, Any]:
    fw = shipped("nps-2019-20")
    fw["version"] = "2018.1"
    fw["edition"] = "2018-19"
    fw["title"] = fw["title"].replace("2019-20", "2018-19")
    return fw


def same_edition_other_text() -> dict[str, Any]:
    fw = shipped("nps-2019-20")
    fw["domains"][1]["standards"][0]["title"] += " (revised)"
    return fw


@pytest.mark.parametrize(("make", "offered"), [
    (lambda: shipped("crc-2019-20"), "Probation inspection: CRC (2019-20), edition 2019-20"),
    (older_edition, "Probation inspection: NPS division (2018-19), edition 2018-19"),
    (same_edition_other_text,
     "Probation inspection: NPS division (2019-20), edition 2019-20 with different content"),
], ids=["an unrelated framework", "an edition that does not follow it",
        "the same edition, other content"])
def test_a_later_pack_cannot_change_the_inspections_framework(
        ready_env: Env, make: Callable[[], dict[str, Any]], offered: str) -> None:
    env = ready_env
    held = env.ws("a1").inspection_framework(env.team.iid)
    who, data = pack_from_lead(env, with_framework(make()))
    error = refused(env, who, data)
    assert isinstance(error, packs.FrameworkChangeError)
    assert str(error) == (
        "refused: this pack would change the inspection's framework from "
        f"{held.title}, edition {held.edition} to {offered}, which is not the edition that "
        "follows it")
    assert env.ws("a1").inspection_framework(env.team.iid).hash == held.hash


def test_a_later_pack_with_the_same_framework_is_imported(ready_env: Env,
                                                         tmp_path: Path) -> None:
    env = ready_env
    held = env.ws("a1").inspection_framework(env.team.iid)
    who, data = pack_from_lead(env, lambda entries: entries)
    report = service.import_bytes(env.ws(who), data)
    assert report.kind == "pack" and not report.already_imported
    assert env.ws("a1").inspection_framework(env.team.iid).hash == held.hash


def test_only_read_payload_opens_a_payload() -> None:
    """Every kind reads its contents through ``common.read_payload``: no module parses an
    archive or checks a manifest on its own, so the entry rule cannot differ between kinds."""
    import ast  # noqa: PLC0415

    import hmip_desktop  # noqa: PLC0415

    package = Path(hmip_desktop.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "exchange" / "common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (
                    (isinstance(node.func, ast.Attribute) and node.func.attr == "parse"
                     and isinstance(node.func.value, ast.Name)
                     and node.func.value.id == "payload")
                    or (isinstance(node.func, ast.Name)
                        and node.func.id in ("check_manifest", "check_entries"))):
                offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert offenders == []
