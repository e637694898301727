"""The CLI's output escapes what could drive a terminal, even for text already in the store.

Import refuses such text (test_hostile_text.py); this is the second line of defence, for a
value that got into a workspace some other way (an older version, a hand-edited database).
Each value is put straight into the store here, then listed by the commands that show it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.qa.queries import list_queries
from hmip_desktop.store.workspace import new_id, now
from tests.exchange.conftest import NAMES, PASSPHRASE, Env

FAKE_ROW = "\x1b[2J\n00000000000000000000000000000000  lead      Fake Lead"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    yield


def test_members_shows_a_name_with_an_escape_escaped_on_its_own_row(
        setup_env: Env, cli: None, capsys: pytest.CaptureFixture[str]) -> None:
    env = setup_env
    lead = env.ws("lead")
    with lead.transaction():
        lead._conn.execute("UPDATE members SET name = ? WHERE id = ?",
                          (NAMES["a2"] + FAKE_ROW, env.team.member_ids["a2"]))
    env.close()
    assert main(["members", "--workspace", str(env.folder("lead"))]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    rows = out.splitlines()
    assert len(rows) == 4  # the lead, two assessors and the QA partner: no fifth, fake row
    assert sum("Fake Lead" in row for row in rows) == 1
    assert f"{NAMES['a2']}\\x1b[2J\\n0000" in out
    assert main(["members", "--json", "--workspace", str(env.folder("lead"))]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert NAMES["a2"] + FAKE_ROW in [m["name"] for m in listed]  # the same value, escaped


def test_queries_shows_query_text_and_names_escaped(
        answered_env: Env, cli: None, capsys: pytest.CaptureFixture[str]) -> None:
    env = answered_env
    qa = env.ws("qa")
    first = env.team.cases_of("a1")[0]
    with qa.transaction():
        qa._conn.execute(
            "INSERT INTO queries (id, case_id, item, text, raised_by, raised_at)"
            " VALUES (?,?,?,?,?,?)",
            (new_id(), first, "case", "Please look again." + FAKE_ROW, "Morgan\u202eevil",
             now()))
    env.close()
    folder = ["--workspace", str(env.folder("qa"))]
    assert main(["queries", *folder]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert out.splitlines() == [
        out.splitlines()[0],
        "    Morgan\\u202eevil: Please look again.\\x1b[2J\\n0000000000000000000000000000"
        "0000  lead      Fake Lead"]
    assert main(["queries", "--json", *folder]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\u202e" not in printed  # JSON escapes them too
    assert "Morgan\\u202eevil" in printed
    assert json.loads(printed)[0]["raised_by"] == "Morgan\u202eevil"


def test_query_raise_with_an_escape_is_refused_and_nothing_is_written(
        answered_env: Env, cli: None, capsys: pytest.CaptureFixture[str]) -> None:
    env = answered_env
    env.close()
    folder = ["--workspace", str(env.folder("qa"))]
    code = main(["query", "raise", "RT-101", "case", "Look again\x1b[2J\nlead Fake Lead",
                 *folder])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "\x1b" not in err
    assert "the query contains a control character (U+001B)" in err
    qa = env.ws("qa")
    assert list_queries(qa) == []


def test_an_error_quoting_a_stored_name_is_printed_escaped(
        ready_env: Env, cli: None, capsys: pytest.CaptureFixture[str]) -> None:
    env = ready_env
    qa = env.ws("qa")
    with qa.transaction():
        qa._conn.execute("UPDATE members SET name = ? WHERE id = ?",
                        ("Casey\x1b[2J", env.team.member_ids["a2"]))
    env.close()
    code = main(["qa-export", "--to", "Casey\x1b[2J", "--out", str(env.bundle("x.hmipb")),
                 "--workspace", str(env.folder("qa"))])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("hmip-desktop: there is nothing to send to Casey\\x1b[2J yet")
    assert "\x1b" not in err and err.count("\n") == 1
