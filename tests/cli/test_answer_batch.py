"""``answer --from FILE``: many answers in one unlock, applied whole or not at all (docs/cli.md).

Each test works on its own copy of the demo workspace and reads the effects back through a
fresh ``Workspace.open``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.assessment.batch import parse_lines
from hmip_desktop.cli.main import main
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.user_files import ANSWERS_FILE_MAX
from tests.cli_helpers import run_cli

PASSPHRASE = "orchard-heron-lantern-42"
CASE = "DEMO-NPS-004"  # a not-started probation case in the supervision sample
OTHER = "DEMO-NPS-005"
ANSWERS = [
    {"case": CASE, "item": "2.1.1.a", "value": "yes"},
    {"case": CASE, "item": "2.1.1", "value": "no"},
    {"case": CASE, "item": "note:2.1.1", "value": "Risks were weighed with the person."},
    {"case": OTHER, "item": "record:interview_mode", "value": "phone"},
]


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("HMIP_WORKSPACE", raising=False)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "demo"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HMIP_PASSPHRASE", PASSPHRASE)
        assert main(["demo", "--workspace", str(folder)]) == 0
    return folder


@pytest.fixture
def workspace(demo_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    return folder


def jsonl(tmp_path: Path, lines: list[object], name: str = "answers.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n"
                            for x in lines), encoding="utf-8")
    return path


def state(folder: Path) -> tuple[dict[str, dict[str, str]], int]:
    """Every case's answers and the number of audit rows: what a refusal must not change."""
    with Workspace.open(folder, PASSPHRASE) as ws:
        cases = [s.case for insp in ws.inspections() for s in ws.list_cases(insp["id"])]
        answers = {c.case_ref: dict(ws.read_assessment(c.id).items) for c in cases}
        audit = sum(len(ws.history(c.id)) for c in cases)
    return answers, audit


def test_a_batch_saves_every_answer_audited_as_if_saved_singly(
        capsys: pytest.CaptureFixture[str], workspace: Path, demo_template: Path,
        tmp_path: Path) -> None:
    singly = tmp_path / "singly"
    shutil.copytree(demo_template, singly)
    for a in ANSWERS:
        assert main(["answer", "--workspace", str(singly), a["case"], a["item"],
                     a["value"]]) == 0
    capsys.readouterr()

    code, out, err = run_cli(capsys, "answer", "--workspace", str(workspace),
                             "--from", str(jsonl(tmp_path, ANSWERS)), "--json")
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert [s["line"] for s in shown["saved"]] == [1, 2, 3, 4]
    assert shown["changed"] == 4 and shown["bad"] == []

    def trail(folder: Path) -> list[tuple[str, str, str | None, str | None, int]]:
        with Workspace.open(folder, PASSPHRASE) as ws:
            return [(e.action, e.item, e.old, e.new, e.revision)
                    for ref in (CASE, OTHER) for e in ws.history(ws.find_case(ref).id)]

    assert state(workspace)[0] == state(singly)[0]
    assert trail(workspace) == trail(singly)
    with Workspace.open(workspace, PASSPHRASE) as ws:
        saved = ws.read_assessment(ws.find_case(CASE).id).items
    assert saved["2.1.1"] == "no" and saved["note:2.1.1"].startswith("Risks were weighed")


@pytest.mark.parametrize(("bad", "reason"), [
    ('{"case": "DEMO-NPS-004", "item": "2.1.2.a"', "line 3: "),
    ({"case": "DEMO-NPS-004", "item": "2.1.2.a"}, "line 3: missing value"),
    ({"case": "DEMO-NPS-004", "item": "2.1.2.a", "value": "yes", "by": "x"},
     "line 3: unknown by"),
    ({"case": "NO-SUCH-CASE", "item": "2.1.2.a", "value": "yes"}, "line 3: no case"),
    ({"case": "DEMO-NPS-004", "item": "2.1.1.a", "value": "no"},
     "line 3: the same case and item as line 1"),
    ({"case": "DEMO-NPS-004", "item": "2.1.2.a", "value": "perhaps"}, "line 3: "),
    ({"case": "DEMO-NPS-004", "item": "9.9.9", "value": "yes"}, "line 3: "),
    ({"case": "DEMO-NPS-004", "item": "2.1.2.a", "value": 1}, "line 3: "),
    ("[1, 2]", "line 3: not an object"),
])
def test_one_bad_line_refuses_the_whole_file_and_names_it(
        capsys: pytest.CaptureFixture[str], workspace: Path, tmp_path: Path,
        bad: object, reason: str) -> None:
    before = state(workspace)
    lines = [ANSWERS[0], ANSWERS[1], bad, ANSWERS[3]]
    code, out, err = run_cli(capsys, "answer", "--workspace", str(workspace),
                             "--from", str(jsonl(tmp_path, lines)))
    assert code == 1 and out == ""
    assert err.startswith("hmip-desktop: nothing saved: ") and err.count("\n") == 1, err
    assert reason in err and "Traceback" not in err
    assert state(workspace) == before


def test_partial_saves_the_good_lines_and_lists_the_bad(
        capsys: pytest.CaptureFixture[str], workspace: Path, tmp_path: Path) -> None:
    lines = [ANSWERS[0], {"case": CASE, "item": "2.1.2.a", "value": "perhaps"},
             ANSWERS[1], {"case": "NO-SUCH-CASE", "item": "2.1.1", "value": "yes"}, ANSWERS[0]]
    code, out, err = run_cli(capsys, "answer", "--workspace", str(workspace), "--partial",
                             "--from", str(jsonl(tmp_path, lines)), "--json")
    assert code == 0
    shown = json.loads(out)
    assert [s["line"] for s in shown["saved"]] == [1, 3]
    assert [b["line"] for b in shown["bad"]] == [2, 4, 5]
    assert err.count("\n") == 3 and "line 2: " in err and "(left out)" in err
    answers, _audit = state(workspace)
    assert answers[CASE]["2.1.1.a"] == "yes" and answers[CASE]["2.1.1"] == "no"
    assert "2.1.2.a" not in answers[CASE]


def test_the_batch_is_as_durable_as_a_single_save(
        capsys: pytest.CaptureFixture[str], workspace: Path, tmp_path: Path) -> None:
    """An answer already saved is 'unchanged' in the batch, and the human line counts both."""
    assert main(["answer", "--workspace", str(workspace), CASE, "2.1.1.a", "yes"]) == 0
    capsys.readouterr()
    code, out, _err = run_cli(capsys, "answer", "--workspace", str(workspace),
                              "--from", str(jsonl(tmp_path, ANSWERS[:2])))
    assert code == 0
    assert out.startswith("2 answers saved from ") and out.rstrip().endswith("1 of them changed")


def test_a_file_over_the_cap_is_refused_before_the_workspace_opens(
        capsys: pytest.CaptureFixture[str], workspace: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as f:
        f.truncate(ANSWERS_FILE_MAX + 1)
    before = state(workspace)
    code, out, err = run_cli(capsys, "answer", "--workspace", str(workspace), "--from", str(big))
    assert code == 1 and out == "" and "larger than 16 MB" in err and err.count("\n") == 1
    assert state(workspace) == before


@pytest.mark.parametrize("argv", [
    ["answer"],
    ["answer", CASE, "2.1.1.a"],
    ["answer", CASE, "2.1.1.a", "yes", "--from", "x.jsonl"],
    ["answer", CASE, "2.1.1.a", "yes", "--partial"],
])
def test_the_two_forms_do_not_mix(capsys: pytest.CaptureFixture[str], workspace: Path,
                                  argv: list[str]) -> None:
    code, out, err = run_cli(capsys, *argv, "--workspace", str(workspace))
    assert code == 2 and out == ""
    assert "usage: hmip-desktop answer" in err and "error: answer: " not in err


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=40),
    st.dictionaries(st.sampled_from(["case", "item", "value", "other"]),
                    st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=4)
    .map(json.dumps),
), max_size=12))
def test_every_line_is_an_answer_or_a_named_bad_line(lines: list[str]) -> None:
    text = "\n".join(line.replace("\n", " ") for line in lines)
    good, bad = parse_lines(text)
    numbers = [g.number for g in good] + [b.number for b in bad]
    assert len(numbers) == len(set(numbers))
    non_blank = [n for n, raw in enumerate(text.split("\n"), start=1)
                if raw.removesuffix("\r").strip()]
    assert sorted(numbers) == non_blank
    for g in good:
        assert all(isinstance(v, str) for v in (g.case, g.item, g.value))
    for b in bad:
        assert str(b).startswith(f"line {b.number}: ") and "\n" not in b.reason
