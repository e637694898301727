"""Practice data never leaves the laptop: no bundle of any kind and no export carries it.

Every bundle is built by ``exchange.payload.build``; the test keeps the plaintext of each one
built while a team member's workspace holds practice cases, and looks in it, and in every file
written, for the practice case's marker.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.export import write_csv, write_workbook
from hmip_desktop.exchange import payload
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.laptop_return.check import return_check
from hmip_desktop.laptop_return.wipe import prepare_for_return
from hmip_desktop.practice.cases import add_practice, answer_practice
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import Env
from tests.security.plaintext_scan import forms, readable_parts

MARKER = "Zembrovia-Practice-7731"


def _plant(env: Env, who: str) -> None:
    ws = env.ws(who)
    add_practice(ws, MARKER, "nps-2019-20", {"sample": "supervision"})
    answer_practice(ws, MARKER, {"2.1.1": "no", "note:2.1.1": f"{MARKER} note"})


def _scan(data: bytes) -> bool:
    return any(f in part for part in readable_parts(data) for f in forms(MARKER))


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    real = payload.build

    def keep(entries: list[tuple[str, Any]]) -> bytes:
        seen.append(json.dumps(entries, default=str).encode("utf-8"))
        out = real(entries)
        seen.append(out)
        return out

    monkeypatch.setattr(payload, "build", keep)
    return seen


def test_no_bundle_and_no_export_carries_practice_data(answered_env: Env, built: list[bytes],
                                                       tmp_path: Path) -> None:
    env, t = answered_env, answered_env.team
    for who in ("lead", "qa", "a1"):
        _plant(env, who)
    out = tmp_path / "out"
    out.mkdir()
    a1, qa, lead = env.ws("a1"), env.ws("qa"), env.ws("lead")
    export_assessments(a1, t.iid, out / "a1.hmipb")
    raise_query(qa, t.cases_of("a1")[0], "2.1.1", "Is the plan signed?")
    export_qa(qa, t.iid, t.member_ids["a1"], out / "qa.hmipb")
    make_pack(lead, t.iid, t.member_ids["a2"], out / "a2.hmippack")
    write_workbook(lead, t.iid, out / "lead.xlsx")
    write_csv(lead, t.iid, out / "lead.csv")
    assert len(built) == 6, "every bundle goes through payload.build"
    assert not [i for i, data in enumerate(built) if _scan(data)]
    assert not [p.name for p in out.rglob("*") if p.is_file() and _scan(p.read_bytes())]


def test_the_return_check_lists_practice_data_and_prepare_for_return_erases_it(
        answered_env: Env, tmp_path: Path) -> None:
    ws = answered_env.ws("a2")
    assert "Practice data: none on this laptop" in return_check(ws).lines()
    _plant(answered_env, "a2")
    check = return_check(ws)
    assert check.practice == 1 and check.as_dict()["practice"] == 1
    assert any(line.startswith("Practice data: 1 practice case") for line in check.lines())
    # A laptop used only for practice: practice never blocks, and is erased on return.
    spare = Workspace.create(tmp_path / "spare", "correct horse battery staple 42",
                             owner_name="Rae Practis", role="assessor")
    add_practice(spare, MARKER, "nps-2019-20")
    assert return_check(spare).green
    result = prepare_for_return(spare, None)
    assert result.practice_erased == 1 and not (tmp_path / "spare").exists()
