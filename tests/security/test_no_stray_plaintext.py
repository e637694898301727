"""No stray plaintext: the demo team's whole flow leaves case data only in the exports asked for.

The flow (``plaintext_flow.py``) runs in a process of its own with HOME, TMPDIR and the XDG
folders inside one temporary folder, so every file the app writes — workspaces, bundles,
exports, settings, caches, logs, temporary files, and copies of the files it deleted on the
way — lands where the scan can see it. Nothing there but the explicit exports may hold a case
reference, a name, a note or a query the flow wrote, nor be a PDF, workbook or plain SQLite
file. The negative tests plant plaintext copies to show the scan finds each kind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.security.plaintext_flow import EXPLICIT_EXPORTS
from tests.security.plaintext_scan import findings

ROOT = Path(__file__).resolve().parents[2]


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "HMIP_")) and k not in ("HOME", "TMPDIR")}
    home = root / "home"
    places = {"HOME": home, "TMPDIR": root / "tmp", "XDG_CONFIG_HOME": home / ".config",
              "XDG_CACHE_HOME": home / ".cache", "XDG_DATA_HOME": home / ".local" / "share",
              "XDG_STATE_HOME": home / ".local" / "state", "XDG_RUNTIME_DIR": root / "run"}
    for place in places.values():
        place.mkdir(parents=True, mode=0o700)
    env.update({k: str(v) for k, v in places.items()})
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The whole flow run once: (its root folder, the deleted files kept, the markers)."""
    base = tmp_path_factory.mktemp("plaintext")
    root, graveyard, result = base / "root", base / "deleted", base / "result.json"
    root.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "tests.security.plaintext_flow", str(root), str(result),
         str(graveyard)],
        cwd=ROOT, env=_environment(root), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return root, graveyard, json.loads(result.read_text(encoding="utf-8"))["markers"]


def test_the_flow_leaves_case_data_only_in_the_exports_it_asked_for(
        flow: tuple[Path, Path, list[str]]) -> None:
    root, graveyard, markers = flow
    exports = [root / "exports" / name for name in EXPLICIT_EXPORTS]
    assert all(p.is_file() for p in exports)
    assert len(markers) > 30  # case references, names, the planted note and query
    assert findings([root, graveyard], markers, allowed=exports) == {}


def test_the_explicit_exports_do_hold_case_data(flow: tuple[Path, Path, list[str]]) -> None:
    """The scan reads what the exports hold, so a stray copy of one would be caught."""
    root, _graveyard, markers = flow
    found = findings([root / "exports"], markers)
    # Every export is caught but the key-question table (counts per question, no case in it)
    # and the window's picture (pixels: what it shows is for the person who took it).
    assert set(found) == {str(root / "exports" / name) for name in EXPLICIT_EXPORTS
                          if name not in ("key-questions.csv", "main-window.png")}
    assert {m for m in found[str(root / "exports" / "data-workbook.xlsx")] if m in markers}


def test_the_scan_finds_a_plaintext_copy_wherever_it_is_and_however_it_is_written(
        flow: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    root, _graveyard, markers = flow
    note = next(m for m in markers if "hostel key" in m)
    ref = next(m for m in markers if m.startswith("DEMO-"))
    stray = {
        "cache.txt": f"recent: {ref}\n".encode(),
        "settings.ini": f"[last]\ncase={note}".encode("utf-16-le"),
        "copy.xlsx": None,  # a workbook whose cell holds the note
        "spool.pdf": (root / "exports" / "printed-sheet.pdf").read_bytes(),
        "plain.sqlite": b"SQLite format 3\x00" + bytes(100),
    }
    for name, data in stray.items():
        if data is None:
            with zipfile.ZipFile(tmp_path / name, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("xl/sharedStrings.xml", f"<t>{note}</t>")
        else:
            (tmp_path / name).write_bytes(data)
    found = findings([root, tmp_path], markers,
                     allowed=[root / "exports" / n for n in EXPLICIT_EXPORTS])
    assert set(found) == {str(tmp_path / name) for name in stray}
    assert ref in found[str(tmp_path / "cache.txt")]
    assert note in found[str(tmp_path / "settings.ini")]
    assert note in found[str(tmp_path / "copy.xlsx")]


def test_a_file_written_and_deleted_during_a_run_is_still_scanned(tmp_path: Path) -> None:
    """A temporary plaintext file removed before the scan is kept aside when it is deleted."""
    watched, graveyard = tmp_path / "watched", tmp_path / "deleted"
    (watched / "sub").mkdir(parents=True)
    code = ("import shutil, sys, pathlib\n"
            "from tests.security.write_watch import keep_deleted_files\n"
            "w = pathlib.Path(sys.argv[1])\n"
            "keep_deleted_files(w, pathlib.Path(sys.argv[2]))\n"
            "(w / 'sample.csv').write_text('ZQ-1,Orla Fenwick-Tallis')\n"
            "(w / 'sample.csv').unlink()\n"
            "(w / 'sub' / 'sheet.txt').write_text('ZQ-2')\n"
            "shutil.rmtree(w / 'sub')\n")
    subprocess.run([sys.executable, "-c", code, str(watched), str(graveyard)], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert list(watched.rglob("*")) == []
    found = findings([watched, graveyard], ["Orla Fenwick-Tallis", "ZQ-2"])
    assert sorted(found.values()) == [["Orla Fenwick-Tallis"], ["ZQ-2"]]


def test_every_export_holding_case_data_is_in_the_workspaces_record_of_exports(
        flow: tuple[Path, Path, list[str]]) -> None:
    """What the scan allows is what the app tracked: 'Ready to return' can list every one.

    The one exception is the printed sheet, which here stands for the printer's queue: the app
    wrote no file when it printed.
    """
    root, _graveyard, markers = flow
    from hmip_desktop.laptop_return.exports import list_exports  # noqa: PLC0415
    from hmip_desktop.store.workspace import Workspace  # noqa: PLC0415
    from tests.security.plaintext_flow import PASSPHRASE  # noqa: PLC0415

    team = next(p for p in root.rglob("demo-team") if p.is_dir())
    tracked: set[str] = set()
    for folder in sorted(p for p in team.iterdir() if Workspace.exists(p)):
        with Workspace.open(folder, PASSPHRASE) as ws:
            tracked |= {e.path for e in list_exports(ws)}
    holding = set(findings([root / "exports"], markers))
    assert holding - tracked == {str(root / "exports" / "printed-sheet.pdf")}
