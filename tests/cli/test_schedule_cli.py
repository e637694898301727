"""``hmip-desktop schedule``: each member's week printed, as JSON, and as a PDF (docs/cli.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli

PASSPHRASE = "orchard-heron-lantern-42"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("HMIP_WORKSPACE", raising=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """The demo workspace, its NPS inspection and the demo assessor's member id."""
    folder = tmp_path_factory.mktemp("schedule") / "demo"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HMIP_PASSPHRASE", PASSPHRASE)
        assert main(["demo", "--workspace", str(folder)]) == 0
    with Workspace.open(folder, PASSPHRASE) as ws:
        iid = next(i["id"] for i in ws.inspections() if "NPS" in i["title"])
        mid = next(m["id"] for m in ws.members(iid) if m["role"] == "assessor")
    return str(folder), iid, mid


def test_the_demo_week_shows_the_observation_lunchtimes_debrief_and_meetings(
        capsys: pytest.CaptureFixture[str], demo: tuple[str, str, str]) -> None:
    folder, iid, _mid = demo
    code, out, err = run_cli(capsys, "schedule", "--workspace", folder, "--inspection", iid)
    assert code == 0, err
    assert "Mon 23 Nov  14:00–16:00  Observation" in out
    assert "Mon 23 Nov  16:00–17:00  Interview, case DEMO-NPS-001" in out
    assert out.count("Lunchtime quality assurance") == 6  # the assessor's and the partner's
    assert "Fri 27 Nov  09:30–10:30  Local assessors' debrief" in out
    assert "Meeting: Responsible officers (Responsible officers of the same grade)" in out
    assert "Mon 23 Nov  09:" not in out and "Mon 23 Nov  10:" not in out


def test_one_members_schedule_as_json(capsys: pytest.CaptureFixture[str],
                                      demo: tuple[str, str, str]) -> None:
    folder, iid, mid = demo
    code, out, _err = run_cli(capsys, "schedule", "--workspace", folder, "--inspection", iid,
                              "--member", mid, "--json")
    assert code == 0
    data = json.loads(out)
    [member] = data["members"]
    assert member["name"] == "Robin Demo-Assessor"
    kinds = [e["kind"] for e in member["entries"]]
    assert kinds.count("interview") == 5 and "event" in kinds
    first = member["entries"][0]
    assert (first["day"], first["start"], first["end"]) == ("2026-11-23", "14:00", "16:00")


def test_the_schedule_as_pdf(capsys: pytest.CaptureFixture[str], demo: tuple[str, str, str],
                             tmp_path: Path) -> None:
    folder, iid, mid = demo
    out_file = tmp_path / "robin.pdf"
    code, out, err = run_cli(capsys, "schedule", "--workspace", folder, "--inspection", iid,
                             "--member", mid, "--pdf", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes().startswith(b"%PDF-")
    assert "schedule written to" in out


def test_an_unknown_member_is_refused_in_one_line(capsys: pytest.CaptureFixture[str],
                                                  demo: tuple[str, str, str],
                                                  tmp_path: Path) -> None:
    folder, iid, _mid = demo
    code, out, err = run_cli(capsys, "schedule", "--workspace", folder, "--inspection", iid,
                             "--member", "nobody", "--pdf", str(tmp_path / "x.pdf"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no member 'nobody'" in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_welsh_schedule_gives_the_frameworks_week_in_welsh_and_json_stays_english(
        capsys: pytest.CaptureFixture[str], demo: tuple[str, str, str]) -> None:
    from hmip_desktop import i18n  # noqa: PLC0415

    folder, iid, mid = demo
    try:
        code, out, err = run_cli(capsys, "--lang", "cy", "schedule", "--workspace", folder,
                                 "--inspection", iid)
        code2, out2, _err = run_cli(capsys, "--lang", "cy", "schedule", "--workspace", folder,
                                    "--inspection", iid, "--member", mid, "--json")
    finally:
        i18n.install("en")
    assert code == 0 == code2, err
    assert "Cyfarfod sicrhau ansawdd a chymorth amser cinio" in out
    assert "Swyddogion cyfrifol (Swyddogion cyfrifol o'r un radd)" in out
    assert "Lunchtime quality assurance" not in out and "Saesneg yn unig" not in out
    whats = {e["what"] for e in json.loads(out2)["members"][0]["entries"]}
    assert "Lunchtime quality assurance and support meeting" in whats


def test_a_schedule_label_without_welsh_is_marked_english_only() -> None:
    from hmip_desktop import i18n  # noqa: PLC0415
    from hmip_desktop.frameworks.loader import parse_framework  # noqa: PLC0415
    from hmip_desktop.setup.schedule_service import InspectionWeek  # noqa: PLC0415
    from tests.frameworks.workbook_helpers import shipped_data  # noqa: PLC0415

    data = shipped_data("nps-2019-20")
    del data["schedule"]["weeks"][0]["label_cy"]
    fw = parse_framework(data, "nps.json")
    assert fw.schedule is not None
    week = InspectionWeek("t", fw.schedule, None, {}, {}, fw)  # type: ignore[arg-type]
    with i18n.speaking("cy"):
        assert week.said("Fieldwork week") == "Fieldwork week (Saesneg yn unig)"
        assert week.said("Middle managers") == "Rheolwyr canol"
    assert week.said("Fieldwork week") == "Fieldwork week"


def test_a_welsh_label_with_other_placeholders_or_empty_is_refused() -> None:
    from hmip_desktop.frameworks.loader import FrameworkError, parse_framework  # noqa: PLC0415
    from tests.frameworks.workbook_helpers import shipped_data  # noqa: PLC0415

    data = shipped_data("nps-2019-20")
    data["schedule"]["meetings"][1]["attendees_cy"] = " "
    with pytest.raises(FrameworkError, match=r"schedule\.meetings\[1\]\.attendees_cy"):
        parse_framework(data, "nps.json")
    data["schedule"]["meetings"][1]["attendees_cy"] = "Swyddogion {n}"
    with pytest.raises(FrameworkError, match="other placeholders than the English"):
        parse_framework(data, "nps.json")
