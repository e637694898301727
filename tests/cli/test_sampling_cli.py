"""``hmip-desktop sample …`` as docs/cli.md promises, and docs/examples/sampling.sh end to end.

``sample FILE`` (a sample already chosen) keeps working as before; the words after ``sample``
draw the sample from a long list, each with ``--json``; refusals are one line with status 1
and nothing written, a malformed command status 2.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli
from tests.sampling.longlists import FIELDWORK, generate, kind_of, write_csv

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "examples" / "sampling.sh"
BASH = shutil.which("bash")
PASSPHRASE = "a sampling cli passphrase, invented"


@pytest.fixture
def lead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A lead's workspace with a DIPP inspection (one sample kind, so no --kind needed)."""
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(tmp_path / "lead")]
    assert run_cli(capsys, "init", *ws, "--name", "Jules Pennyfold", "--role", "lead")[0] == 0
    code, _out, err = run_cli(capsys, "inspection", "create", *ws, "--framework", "dipp-2025",
                              "--title", "CLI sampling", "--organisation", "Demo Shire PDU",
                              "--start", FIELDWORK.isoformat(), "--end", "2026-09-11")
    assert code == 0, err
    return ws


def _longlist(tmp_path: Path, n: int = 300) -> Path:
    return write_csv(generate(kind_of("dipp-2025", "dipp"), n), tmp_path / "long list.csv")


def _tables(ws_args: list[str]) -> dict[str, object]:
    from hmip_desktop.sampling import records  # noqa: PLC0415
    from hmip_desktop.store.tables import connection  # noqa: PLC0415

    with Workspace.open(Path(ws_args[1]), PASSPHRASE) as ws:
        conn = connection(ws)
        return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")))
                for t in (*records.SAMPLE_TABLES, "cases", "audit")}


def test_the_whole_flow_with_json(tmp_path: Path, lead: list[str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "sample", *lead, "longlist", "import",
                             str(_longlist(tmp_path)), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["kind"] == "dipp" and summary["cases"] == 300
    assert set(summary) == {"kind", "label", "file_name", "file_sha256", "cases", "eligible",
                            "flagged", "undecided", "marked", "excluded_per_rule", "stage"}

    code, out, err = run_cli(capsys, "sample", *lead, "flags", "--json")
    flags = json.loads(out)
    potential = next(f for f in flags if not f["firm"])
    code, out, err = run_cli(capsys, "sample", *lead, "flag", "confirm", potential["case_ref"],
                             potential["rule"], "--reason", "Agreed with the PDU head.", "--json")
    assert code == 0, err
    assert json.loads(out)["excluded"] is True

    code, out, err = run_cli(capsys, "sample", *lead, "draw", "--seed", "31", "--size", "10",
                             "--json")
    assert code == 0, err
    drawn = json.loads(out)
    assert drawn["seed"] == "31" and len(drawn["final"]) == 10
    assert potential["case_ref"] not in drawn["provisional"]
    code, again, _err = run_cli(capsys, "sample", *lead, "draw", "--seed", "31", "--size",
                                "10", "--json")
    assert json.loads(again)["provisional"] == drawn["provisional"]

    sheet = tmp_path / "provisional.xlsx"
    code, out, err = run_cli(capsys, "sample", *lead, "provisional", "export", str(sheet))
    assert code == 0, err
    assert out.startswith(f"wrote the provisional list ({len(drawn['provisional'])} cases)")
    import openpyxl  # noqa: PLC0415

    book = openpyxl.load_workbook(sheet)
    rows = list(book.worksheets[0].iter_rows())
    head = [c.value for c in rows[0]]
    for row in rows[1:]:
        row[head.index("Practitioner available at fieldwork (yes/no)")].value = "yes"
        row[head.index("Consent to contact (yes/no)")].value = "yes"
    book.save(tmp_path / "back.xlsx")
    code, out, err = run_cli(capsys, "sample", *lead, "provisional", "import",
                             str(tmp_path / "back.xlsx"), "--json")
    assert code == 0, err
    assert json.loads(out)["usable"] == len(drawn["provisional"])

    code, out, err = run_cli(capsys, "sample", *lead, "final", "--json")
    assert code == 0, err
    final = json.loads(out)
    assert final["cases_added"] == 10 and final["final"] == drawn["final"]

    code, out, err = run_cli(capsys, "sample", *lead, "report", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["seed"] == "31" and report["sample"] == 10
    assert report["confidence_percent"] == 80
    assert {s["variable"] for s in report["shares"]} == {"Group"}
    assert sum(s["sample"] for s in report["shares"]) == 10

    code, out, err = run_cli(capsys, "cases", *lead, "--json")
    assert sorted(c["case_ref"] for c in json.loads(out)) == sorted(final["final"])


def test_sample_file_still_imports_a_chosen_sample(tmp_path: Path, lead: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    chosen = tmp_path / "chosen.csv"
    chosen.write_text("case_ref,sample,gender,rosh,reset_impact,pre_sentence_report,pdu\n"
                      "DP-001,community,male,high,not_applied,written,North Vale PDU\n",
                      encoding="utf-8")
    code, out, err = run_cli(capsys, "sample", *lead, str(chosen))
    assert (code, out.splitlines()[:1]) == (0, ["imported 1 cases"]), err


@pytest.mark.parametrize(("argv", "status", "says"), [
    (["draw", "--seed", "seven"], 1, "seed must be a whole number"),
    (["draw"], 2, "sample draw needs --seed"),
    (["draw", "--seed", "1", "--reason", "x"], 2, "takes no --reason"),
    (["provisional", "send", "x.xlsx"], 2, "expected: sample provisional export|import FILE"),
    (["reserve", "use", "X1"], 2, "needs --reason"),
    (["final"], 1, "draw the provisional"),
    (["report", "--kind", "primary"], 1, "not a sample kind"),
])
def test_a_bad_command_is_one_line_and_writes_nothing(
        tmp_path: Path, lead: list[str], capsys: pytest.CaptureFixture[str],
        argv: list[str], status: int, says: str) -> None:
    assert run_cli(capsys, "sample", *lead, "longlist", "import",
                   str(_longlist(tmp_path, 120)))[0] == 0
    before = _tables(lead)
    code, out, err = run_cli(capsys, "sample", *lead, *argv)
    assert code == status and out == ""
    assert says in err
    if status == 1:
        assert err.count("\n") == 1 and err.startswith("hmip-desktop: ")
    assert _tables(lead) == before


def test_a_bad_long_list_names_its_row(tmp_path: Path, lead: list[str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    g = generate(kind_of("dipp-2025", "dipp"), 120, faults=("bad_date",))
    code, out, err = run_cli(capsys, "sample", *lead, "longlist", "import",
                             str(write_csv(g, tmp_path / "bad.csv")))
    assert code == 1 and out == ""
    assert f"row {g.fault_rows['bad_date']}" in err and "nothing imported" in err
    assert err.count("\n") == 1


@pytest.mark.slow
@pytest.mark.skipif(BASH is None, reason="needs bash")
@pytest.mark.parametrize("framework", ["youth-2019-20", "dipp-2025"])
def test_the_sampling_script_goes_from_long_list_to_packs(tmp_path: Path,
                                                          framework: str) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    env.pop("HMIP_WORKSPACE", None)
    done = subprocess.run([str(BASH), str(SCRIPT), str(out), framework], capture_output=True,
                          text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    kinds = {"youth-2019-20": ["out_of_court", "post_court"], "dipp-2025": ["dipp"]}[framework]
    for kind in kinds:
        final = json.loads((out / f"final-{kind}.json").read_text(encoding="utf-8"))
        report = json.loads((out / f"report-{kind}.json").read_text(encoding="utf-8"))
        assert report["seed"] == "20260907"
        assert report["sample"] == len(final["final"]) > 0
    assert (out / "robin.hmippack").stat().st_size > 0
    assert "Imported the assignment pack from Jules Pennyfold" in done.stdout
