"""The CLI contract of ``frameworks`` and ``ratings`` (docs/cli.md)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.cli.main import main
from hmip_desktop.frameworks import available_frameworks, current_frameworks


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse usage errors
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def nps_id() -> str:
    return next(fw.id for fw in current_frameworks() if "nps" in fw.id)


def write(tmp_path: Path, data: Any) -> str:
    f = tmp_path / "in.json"
    f.write_text(json.dumps(data))
    return str(f)


def test_frameworks_json_lists_id_version_title_rated_hash(capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    code, out, _ = run(capsys, "frameworks", "--json")
    assert code == 0
    listed = json.loads(out)
    assert {tuple(sorted(f)) for f in listed} == {
        ("drafted_items", "edition", "hash", "id", "items", "rated", "supersedes", "title",
         "version")}
    assert {f["id"] for f in listed} == {fw.id for fw in available_frameworks()}
    lineage = {f["id"]: (f["edition"], f["supersedes"]) for f in listed}
    assert lineage["nps-2019-20"] == ("2019-20", {"id": "nps-2017", "edition": "2017"})
    assert lineage["nps-2017"] == ("2017", None)
    assert lineage["youth-2019-20"] == ("2019.1", None)  # a first edition: its version


def test_frameworks_show_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    code, out, _ = run(capsys, "frameworks", "--show", nps_id(), "--json")
    assert code == 0
    fw = json.loads(out)
    assert set(fw) == {"id", "version", "title", "rated", "hash", "edition", "supersedes",
                       "source", "domains"}
    std = fw["domains"][0]["standards"][0]
    assert set(std) == {"id", "title", "rated_by", "key_questions"}
    assert std["rated_by"] == "lead"
    assert std["key_questions"][0]["qualitative"] is True
    case_std = next(s for d in fw["domains"] for s in d["standards"] if s["id"] == "2.1")
    kq = case_std["key_questions"][0]
    assert set(kq) == {"id", "text", "qualitative", "drafted", "prompts"}
    assert kq["qualitative"] is False
    assert set(kq["prompts"][0]) == {"id", "text", "drafted"}


def test_ratings_json_worked_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [{"case_id": f"C{i}", "answers": {"2.3.1": "yes" if i < 95 else "no"}}
             for i in range(130)]
    code, out, err = run(capsys, "ratings", "--framework", nps_id(), "--input",
                         write(tmp_path, {"cases": cases}), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["key_questions"]["2.3.1"] == {
        "yes": 95, "no": 35, "na": 0, "n": 130, "percent": 73, "band": "good"}
    assert result["key_questions"]["2.1.1"]["percent"] is None
    assert result["overall"]["rating"] is None and result["overall"]["score"] is None
    assert set(result) == {"framework", "key_questions", "standards", "overall"}


def test_ratings_text_prints_the_manuals_tables(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    cases = [{"case_id": f"C{i}", "answers": {"2.3.1": "yes" if i < 95 else "no"}}
             for i in range(130)]
    code, out, _ = run(capsys, "ratings", "--framework", nps_id(), "--input",
                       write(tmp_path, {"cases": cases}))
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "Yes 95 73%" in lines and "No 35 27%" in lines


@pytest.mark.parametrize(("data", "message"), [
    ({"cases": [{"case_id": "A", "answers": {"9.9.9": "yes"}}]}, "'9.9.9' is not a key question"),
    ({"cases": [{"case_id": "A", "answers": {"2.1.1": "maybe"}}]}, "'maybe' to 2.1.1"),
    ({"cases": [{"case_id": "A", "answers": {"1.1.1": "yes"}}]}, "judged qualitatively"),
    ({"cases": [], "lead_ratings": {"2.1": "good"}}, "rated from case answers"),
    ({"cases": [], "lead_ratings": {"1.1": "great"}}, "'great' for 1.1"),
    ({"cases": [], "adjustments": {"2.1": 1}}, "cannot be adjusted"),
    ({"cases": [{"case_id": "A", "answers": {}}, {"case_id": "A", "answers": {}}]},
     "appears twice"),
    ([1, 2], "must be a JSON object"),
])
def test_bad_ratings_input_is_one_line_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              data: Any, message: str) -> None:
    code, out, err = run(capsys, "ratings", "--framework", nps_id(), "--input",
                         write(tmp_path, data), "--json")
    assert code == 1
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unknown_framework_missing_file_and_malformed_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ratings", "--framework", "nope", "--input", "x.json")
    assert (code, err.count("\n")) == (1, 1) and "unknown framework 'nope'" in err
    code, _, err = run(capsys, "ratings", "--framework", nps_id(), "--input",
                       str(tmp_path / "missing.json"))
    assert (code, err.count("\n")) == (1, 1) and "no such file" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{\"cases\": [")
    code, _, err = run(capsys, "ratings", "--framework", nps_id(), "--input", str(bad))
    assert (code, err.count("\n")) == (1, 1) and "not valid JSON" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "ratings", "--framework")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.sampled_from(["yes", "no", "na", "2.1.1", "1.1", "good", "cases", "answers"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["cases", "case_id", "answers", "lead_ratings",
                                       "adjustments", "2.1.1", "1.1", "4.1", "x"]), inner,
                      max_size=4),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(json_values)
def test_no_input_makes_ratings_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      data: Any) -> None:
    code, out, err = run(capsys, "ratings", "--framework", nps_id(), "--input",
                         write(tmp_path, data), "--json")
    assert code in (0, 1)
    if code == 1:
        assert err.count("\n") == 1 and out == ""
    else:
        json.loads(out)


def adjustable_standard() -> tuple[str, str]:
    """A framework with a standard the lead may adjust, and that standard."""
    return next((fw.id, s.id) for fw in current_frameworks()
                for s in fw.standards_by_id.values() if s.adjustable)


def test_a_4301_digit_integer_in_adjustments_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    framework, standard = adjustable_standard()
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"cases": [], "adjustments": {standard: 0}})[:-3] + "9" * 4301 + "}}")
    code, out, err = run(capsys, "ratings", "--framework", framework, "--input", str(f), "--json")
    assert (code, out) == (1, "")
    assert err == f"hmip-desktop: {f}: not valid JSON: a whole number too long (4301 digits)\n"


def run_limited(*argv: str) -> subprocess.CompletedProcess[str]:
    """The real entry point in its own process, which may use no more than 1 GiB of memory."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-m", "hmip_desktop", *argv], capture_output=True,
                          text=True, preexec_fn=limit, check=False)


def sparse_file(tmp_path: Path) -> str:
    """3 GiB that take no disk space: refused from its size before it is read."""
    path = tmp_path / "sparse.json"
    with path.open("wb") as f:
        f.truncate(3 << 30)
    return str(path)


@pytest.mark.parametrize("make", [
    lambda tmp: "/dev/zero",  # no size to stat: the bounded read refuses it
    sparse_file,
])
def test_an_input_past_the_cap_is_refused_without_reading_it_all(tmp_path: Path,
                                                                  make: Any) -> None:
    path = make(tmp_path)
    done = run_limited("ratings", "--framework", nps_id(), "--input", path, "--json")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"hmip-desktop: {path}: larger than 64 MB\n"
