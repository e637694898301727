"""Property: whatever arrives, ``service.import_bytes`` succeeds or raises ``UserError``, and a
refusal writes nothing.

Four layers are fuzzed, each against a real workspace of the ``answered`` stage:

- arbitrary bytes, and bytes behind a valid magic;
- mutations of a valid assessments bundle's file (cut, overwrite, insert, delete): the
  container must refuse all but the untouched file;
- mutations of its decrypted archive bytes, sealed again with the real sender's keys, so they
  get past the signature to the archive reader;
- structured edits of its JSON (a value replaced by arbitrary JSON, a key or an entry removed),
  sealed again with the sender's keys, with the manifest's hashes and the audit chain
  recomputed half the time, as a buggy or dishonest member's app would: these reach the
  checks of every field and the database writes. An accepted assessments bundle must be one
  an honest app could have sent (recomputing its hashes changes nothing), and the lead then
  holds exactly what it says; a case's content edited without its hashes recomputed must be
  refused; the unedited content must be accepted. Packs (sealed with the lead's key) and
  receipts get the same treatment.

"Nothing written" is checked after every refusal: the database and -wal files' SHA-256 (they
change only when a transaction commits) and the number of bundle log and audit rows.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import shutil
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from hmip_desktop.bundles import KIND_ASSESSMENTS, KIND_PACK, KIND_RECEIPT
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.identity import CardError, PrivateIdentity, make_card, read_card
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import PASSPHRASE, Stages, Team, count
from tests.exchange.helpers import (
    db_digest,
    opened,
    plaintext,
    rechain,
    refresh_manifest,
    seal_raw,
)

Draw = Callable[[st.SearchStrategy[Any]], Any]  # st.data().draw or a composite's draw
FUZZ = settings(max_examples=150, deadline=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_sequence = itertools.count(1000)  # every sealed example gets a new number: never a replay


@dataclass
class Target:
    ws: Workspace
    sender: PrivateIdentity
    recipient: PrivateIdentity


class Fuzz:
    """What the fuzz tests share (a plain class: hypothesis prints it with failing examples)."""

    def __init__(self, team: Team, lead: Target, a1: Target, bundle: bytes, archive: bytes,
                 entries: list[list[Any]], pack: list[list[Any]],
                 receipt: list[list[Any]]) -> None:
        self.team = team
        self.lead = lead  # receives a1's assessments
        self.a1 = a1  # receives the lead's packs and receipts
        self.bundle = bundle  # a1's bundle 1
        self.archive = archive  # its decrypted archive
        self.entries = entries  # its entries, as [name, value] pairs
        self.pack = pack  # the entries of a1's pack
        self.receipt = receipt  # the entries of a receipt for a1's bundle 1

    def __repr__(self) -> str:
        return "Fuzz(<the answered stage>)"


@pytest.fixture(scope="module")
def fuzz(stages: Stages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    root = tmp_path_factory.mktemp("fuzz") / "env"
    shutil.copytree(stages.answered, root)
    team, ids = stages.team, stages.team.identities
    bundle = (root / "bundles" / "a1-1.hmipb").read_bytes()
    # A receipt, made in a throwaway copy of the lead so the fuzzed lead holds none of a1's.
    shutil.copytree(root / "lead", root / "lead-copy")
    with Workspace.open(root / "lead-copy", PASSPHRASE) as lead_copy:
        receipt = service.import_bytes(lead_copy, bundle, receipt_out=root / "r.hmiprcpt")
    assert receipt.receipt is not None
    lead = Workspace.open(root / "lead", PASSPHRASE)
    a1 = Workspace.open(root / "a1", PASSPHRASE)
    try:
        yield Fuzz(
            team=team,
            lead=Target(lead, ids["a1"], ids["lead"]),
            a1=Target(a1, ids["lead"], ids["a1"]),
            bundle=bundle,
            archive=plaintext(bundle, ids["lead"], ids["a1"]),
            entries=[list(e) for e in opened(bundle, ids["lead"], ids["a1"])],
            pack=[list(e) for e in opened((root / "bundles" / "a1.hmippack").read_bytes(),
                                          ids["a1"], ids["lead"])],
            receipt=[list(e) for e in opened(receipt.receipt.read_bytes(), ids["a1"],
                                             ids["lead"])],
        )
    finally:
        lead.close()
        a1.close()


def footprint(ws: Workspace) -> tuple[Any, ...]:
    return (*db_digest(ws), count(ws, "bundle_log"), count(ws, "audit"))


def import_or_refuse(ws: Workspace, data: bytes, *, fuzzing: bool = True) -> bool:
    """Import; True if it succeeded. A refusal must be one line and leave no trace."""
    before = footprint(ws)
    try:
        report = service.import_bytes(ws, data)
    except UserError as refused:
        if fuzzing:
            event(type(refused).__name__)  # see them with --hypothesis-show-statistics
        assert str(refused).strip() and "\n" not in str(refused)
        assert footprint(ws) == before, "a refused import wrote to the workspace"
        return False
    if fuzzing:
        event("imported" if not report.already_imported else "already imported")
    return True


def seal_for(target: Target, raw: bytes, kind: int, sequence: int, inspection_id: str) -> bytes:
    return seal_raw(raw, sender=target.sender, recipients=[target.recipient],
                    inspection_id=inspection_id, sequence=sequence, kind=kind)


def numbered(entries: list[list[Any]], sequence: int) -> list[list[Any]]:
    """A deep copy with the manifest numbered as its header will be."""
    out = copy.deepcopy(entries)
    out[0][1]["sequence"] = sequence
    return out


def archive_of(entries: list[list[Any]]) -> bytes:
    """Zip the entries as the app would, whatever their names and values now are."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")  # a duplicate name is what some examples are about
        for name, value in entries:
            info = zipfile.ZipInfo(str(name).replace("\x00", "?"), date_time=(2020, 1, 1, 0, 0, 0))
            zf.writestr(info, json.dumps(value), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def mutate_bytes(draw: Draw, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["cut", "overwrite", "insert", "delete"]))
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):  # hypothesis favours small numbers: reach the tail as often
            at = len(data) - at
        if how == "cut":
            del data[at:]
        elif how == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data[at:at + len(chunk)] = chunk
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:at + draw(st.integers(1, 8))]
    return bytes(data)


# -- bytes ------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(fuzz: Fuzz, data: bytes) -> None:
    assert not import_or_refuse(fuzz.lead.ws, data)


@FUZZ
@given(st.sampled_from([1, 2, 3, 4, 9]), st.binary(max_size=2048))
def test_bytes_behind_a_valid_magic(fuzz: Fuzz, kind: int, rest: bytes) -> None:
    assert not import_or_refuse(fuzz.lead.ws, b"HMIPBNDL\x01" + bytes([kind]) + rest)


@FUZZ
@given(st.data())
def test_mutations_of_a_valid_bundle_file(fuzz: Fuzz, data: st.DataObject) -> None:
    mutated = mutate_bytes(data.draw, fuzz.bundle)
    if import_or_refuse(fuzz.lead.ws, mutated):
        assert mutated == fuzz.bundle  # signatures are not malleable


@FUZZ
@given(st.data())
def test_mutations_of_the_archive_sealed_by_the_real_sender(
        fuzz: Fuzz, data: st.DataObject) -> None:
    mutated = mutate_bytes(data.draw, fuzz.archive)
    import_or_refuse(fuzz.lead.ws, seal_for(fuzz.lead, mutated, KIND_ASSESSMENTS,
                                            next(_sequence), fuzz.team.iid))


# -- JSON -------------------------------------------------------------------------------------



def too_long() -> str:
    return "x" * 20_001  # one over the longest text an item may hold


SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.builds(too_long) | st.text(st.characters(categories=["Cs"]), min_size=1)
           | st.sampled_from(["", "yes", "no", "maybe", "in_progress", "signed_off", "2.1.1.a",
                              "note:2.1.1", "record:interview_mode", "\udc80", "a\x00b", " ",
                              0, 1, 2**53, 2**63, -1, "cases/x.json", "../x.json"]))
JSON = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=3)
                    | st.dictionaries(st.text(max_size=8), kids, max_size=3), max_leaves=6)


NAMES = (st.sampled_from(["manifest.json", "alerts.json", "cases/x.json", "../x.json",
                          "cases/a/b.json", "framework.json", "members.json", "cases.json"])
         | st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20))


@dataclass
class Plan:
    """Every random choice of one edit, drawn before the entries are looked at.

    The entries depend on what the receiver already holds (an honest sender's chain continues
    it), so choices drawn while walking them would change shape from one example to the next,
    which Hypothesis cannot replay; choices drawn up front in a fixed shape can be.
    """

    numbers: list[int]
    values: list[Any]
    names: list[str]
    keys: list[str]
    used: int = 0

    def pick(self, n: int) -> int:
        """A choice among ``n`` (the next number of the plan, 0 once they run out)."""
        k = self.numbers[self.used] if self.used < len(self.numbers) else 0
        self.used += 1
        return k % n

    def value(self) -> Any:
        return self.values[self.pick(len(self.values))]


PLANS = st.builds(Plan, numbers=st.lists(st.integers(0, 2**16), min_size=32, max_size=32),
                  values=st.lists(JSON, min_size=4, max_size=4),
                  names=st.lists(NAMES, min_size=2, max_size=2),
                  keys=st.lists(st.text(max_size=8), min_size=2, max_size=2))
HOWS = ["value"] * 6 + ["drop", "copy", "swap", "rename"]


def edit(plan: Plan, entries: list[list[Any]]) -> None:
    """Change the entry list (drop, copy, swap or rename an entry), or one value inside it."""
    i = plan.pick(len(entries))
    how = HOWS[plan.pick(len(HOWS))]
    if how == "drop" and len(entries) > 1:
        del entries[i]
    elif how == "copy":
        entries.insert(i, copy.deepcopy(entries[i]))
    elif how == "swap":
        j = plan.pick(len(entries))
        entries[i], entries[j] = entries[j], entries[i]
    elif how == "rename":
        entries[i][0] = plan.names[plan.pick(len(plan.names))]
    else:
        edit_value(plan, entries[i], 1)


def edit_value(plan: Plan, parent: Any, key: Any) -> None:
    """Walk down from parent[key] to one node and replace, remove or add a child there."""
    while True:
        node = parent[key]
        keys = list(node) if isinstance(node, dict) else \
            list(range(len(node))) if isinstance(node, list) else []
        if not keys or plan.pick(5) == 0:  # this node itself
            parent[key] = plan.value()
            return
        child_key = keys[plan.pick(len(keys))]
        child = node[child_key]
        if isinstance(child, (dict, list)) and child and plan.pick(4) > 0:
            parent, key = node, child_key
            continue
        how = ["replace", "replace", "remove", "add"][plan.pick(4)]
        if how == "replace":
            node[child_key] = plan.value()
        elif how == "remove":
            del node[child_key]
        elif isinstance(node, dict):
            new_key = plan.keys[plan.pick(len(plan.keys))] if plan.pick(2) else \
                sorted(node)[plan.pick(len(node))]
            node[new_key] = plan.value()
        else:
            node.insert(child_key, plan.value())
        return


AUDIT_FIELDS = ("seq", "at", "actor", "action", "item", "old", "new", "revision", "hash")


def bump_revisions(entries: list[list[Any]], step: int, receiver: Workspace) -> None:
    """Raise each case's revision past anything applied by an earlier example, as a sender
    whose member kept working would (one more audit row, the chain and manifest updated).

    The chain continues the one the receiver holds from an earlier example, as an honest
    sender's always does (a rewritten chain is refused before anything deeper is reached).
    """
    for name, case in entries:
        if str(name).startswith("cases/"):
            held = [dict(zip(AUDIT_FIELDS, row, strict=True)) for row in receiver._conn.execute(
                f"SELECT {', '.join(AUDIT_FIELDS)} FROM received_audit WHERE case_id = ?"
                " ORDER BY seq", (case["case_id"],))]
            if held:
                case["audit"] = held
            last = case["audit"][-1]
            case["revision"] += step
            case["audit"].append({**last, "seq": last["seq"] + step, "action": "status",
                                  "item": "status", "old": case["status"],
                                  "new": case["status"], "revision": case["revision"]})
            rechain(case)
    refresh_manifest([(n, v) for n, v in entries])


def fix_up(entries: list[list[Any]]) -> None:
    """Recompute what an honest app would: the audit chains and the manifest's hashes."""
    try:
        for name, value in entries:
            if str(name).startswith("cases/") and isinstance(value, dict):
                rechain(value)
        refresh_manifest([(n, v) for n, v in entries])
    except (TypeError, KeyError, AttributeError, ValueError, IndexError):
        pass


def held(ws: Workspace, case_ids: list[str]) -> dict[str, tuple[int, str, dict[str, str]]]:
    """What the lead holds of each case: revision, status and items."""
    out = {}
    for cid in case_ids:
        a = ws.read_assessment(cid)
        out[cid] = (a.revision, a.status, dict(a.items))
    return out


def same(a: Any, b: Any) -> bool:
    """The same JSON content, whatever the order of keys (1 and 1.0, or 1 and true, differ)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def hashed(entries: list[list[Any]]) -> dict[str, Any]:
    """Each case entry's content that the manifest's hash covers, by entry name."""
    keys = ("case_id", "revision", "status", "items", "alerts")
    return {str(name): {k: value.get(k) for k in keys} if isinstance(value, dict) else value
            for name, value in entries if str(name).startswith("cases/")}


def check_import_of_edited(fuzz: Fuzz, base: list[list[Any]], entries: list[list[Any]],
                           fixed: bool, sequence: int, *, fuzzing: bool = True) -> bool:
    """Import an edited bundle and check what became of it; True if it was accepted.

    - Accepted: the bundle is one an honest app could have sent (recomputing its audit chains
      and manifest hashes changes nothing), and the lead now holds exactly what it says for
      each case it brings at a newer revision; every other case is as it was.
    - The same content as the unedited bundle (up to the order of keys), with the hashes
      recomputed: accepted.
    - A case's hashed content changed but the hashes left as they were: refused.
    """
    case_ids = fuzz.team.cases_of("a1")
    before = held(fuzz.lead.ws, case_ids)
    accepted = import_or_refuse(fuzz.lead.ws, seal_for(
        fuzz.lead, archive_of(entries), KIND_ASSESSMENTS, sequence, fuzz.team.iid),
        fuzzing=fuzzing)
    if accepted:
        honest = copy.deepcopy(entries)
        fix_up(honest)
        assert json.dumps(honest) == json.dumps(entries), "accepted with stale hashes"
        now = held(fuzz.lead.ws, case_ids)
        brought = {v["case_id"]: v for n, v in entries if str(n).startswith("cases/")}
        for cid in case_ids:
            c = brought.get(cid)
            if c is not None and c["revision"] > before[cid][0]:
                assert now[cid] == (c["revision"], c["status"], c["items"]), cid
            else:
                assert now[cid] == before[cid], cid
    if same(entries, base) and (fixed or json.dumps(entries) == json.dumps(base)):
        assert accepted, "a bundle with the unedited content was refused"
    changed_cases = [n for n, v in hashed(entries).items()
                     if n in hashed(base) and not same(v, hashed(base)[n])]
    if changed_cases and not fixed:
        assert not accepted, f"accepted {changed_cases} although their hashes no longer match"
    return accepted


@FUZZ
@given(st.data())
def test_edited_assessments_sealed_by_the_real_sender(fuzz: Fuzz, data: st.DataObject) -> None:
    sequence = next(_sequence)
    entries = numbered(fuzz.entries, sequence)
    bump_revisions(entries, sequence, fuzz.lead.ws)
    base = copy.deepcopy(entries)
    for plan in data.draw(st.lists(PLANS, min_size=1, max_size=2)):
        edit(plan, entries)
    fixed = data.draw(st.booleans())
    if fixed:
        fix_up(entries)
    check_import_of_edited(fuzz, base, entries, fixed, sequence)


def _answer_changed(fuzz: Fuzz, sequence: int) -> tuple[list[list[Any]], list[list[Any]], str]:
    entries = numbered(fuzz.entries, sequence)
    bump_revisions(entries, sequence, fuzz.lead.ws)
    base = copy.deepcopy(entries)
    case = next(v for n, v in entries if str(n).startswith("cases/"))
    item = next(k for k, v in case["items"].items() if v == "yes")
    case["items"][item] = "no"
    return base, entries, case["case_id"]


def test_an_answer_changed_with_the_hashes_recomputed_is_accepted_as_sent(fuzz: Fuzz) -> None:
    """What an honest member's app does when the assessor changes an answer: accepted, and the
    lead holds the new answer (the fuzz test's acceptance check, on an edit known to pass)."""
    sequence = next(_sequence)
    base, entries, cid = _answer_changed(fuzz, sequence)
    fix_up(entries)
    assert check_import_of_edited(fuzz, base, entries, True, sequence, fuzzing=False)
    item = next(k for k, v in dict(entries)[f"cases/{cid}.json"]["items"].items()
                if dict(base)[f"cases/{cid}.json"]["items"][k] != v)
    assert fuzz.lead.ws.read_assessment(cid).items[item] == "no"


def test_an_answer_changed_without_the_hashes_is_refused(fuzz: Fuzz) -> None:
    sequence = next(_sequence)
    base, entries, _cid = _answer_changed(fuzz, sequence)
    assert not check_import_of_edited(fuzz, base, entries, False, sequence, fuzzing=False)


@FUZZ
@given(st.data())
def test_edited_packs_sealed_by_the_lead(fuzz: Fuzz, data: st.DataObject) -> None:
    sequence = next(_sequence)
    entries = numbered(fuzz.pack, sequence)
    for plan in data.draw(st.lists(PLANS, min_size=1, max_size=2)):
        edit(plan, entries)
    import_or_refuse(fuzz.a1.ws, seal_for(fuzz.a1, archive_of(entries), KIND_PACK, sequence,
                                          fuzz.team.iid))


@FUZZ
@given(st.data())
def test_edited_receipts_sealed_by_the_lead(fuzz: Fuzz, data: st.DataObject) -> None:
    sequence = next(_sequence)
    entries = numbered(fuzz.receipt, sequence)
    for plan in data.draw(st.lists(PLANS, min_size=1, max_size=2)):
        edit(plan, entries)
    import_or_refuse(fuzz.a1.ws, seal_for(fuzz.a1, archive_of(entries), KIND_RECEIPT,
                                          sequence, fuzz.team.iid))


def test_the_unedited_inputs_import(fuzz: Fuzz) -> None:
    """The fuzzing starts from inputs that do import (else it would prove little)."""
    sequence = next(_sequence)
    entries = numbered(fuzz.entries, sequence)
    bump_revisions(entries, sequence, fuzz.lead.ws)
    sealed = seal_for(fuzz.lead, archive_of(entries), KIND_ASSESSMENTS, sequence, fuzz.team.iid)
    assert import_or_refuse(fuzz.lead.ws, sealed, fuzzing=False)
    for kind, base in ((KIND_PACK, fuzz.pack), (KIND_RECEIPT, fuzz.receipt)):
        sequence = next(_sequence)
        assert import_or_refuse(fuzz.a1.ws, seal_for(fuzz.a1, archive_of(numbered(
            base, sequence)), kind, sequence, fuzz.team.iid), fuzzing=False)


# -- member cards -----------------------------------------------------------------------------


@FUZZ
@given(st.data())
def test_member_cards_read_or_raise_card_error(fuzz: Fuzz, data: st.DataObject) -> None:
    card = make_card(fuzz.team.identities["a1"])
    how = data.draw(st.sampled_from(["random", "mutated", "mutated", "behind the magic"]))
    if how == "random":
        mutated = data.draw(st.binary(max_size=300))
    elif how == "mutated":
        mutated = mutate_bytes(data.draw, card)
    else:
        mutated = b"HMIPCARD\x01" + data.draw(st.binary(max_size=300))
    try:
        public = read_card(mutated)
    except CardError as refused:
        assert "\n" not in str(refused)
        return
    assert mutated == card and public == fuzz.team.identities["a1"].public

