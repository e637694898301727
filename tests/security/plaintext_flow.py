"""The demo team's whole flow, in a process of its own, for the plaintext scan.

Run as ``python -m tests.security.plaintext_flow ROOT RESULT.json`` with HOME, TMPDIR and the
XDG folders pointing inside ROOT (``test_no_stray_plaintext.py`` does). Everything goes through
the CLI's own entry point and the GUI's own screens, as a team would use them: the demo team
(set-up, enrolment, sample, allocation, packs, answers, alerts, receipts, QA), a planted note
and query exchanged again, every report the team exports, the self-test, the desktop app
started on the QA partner's workspace, the main window and the lunchtime sheet printed from
the app, and an error written to the error log. Files deleted
under ROOT on the way are kept aside (``write_watch.py``). The case markers the flow wrote in
are saved to RESULT.json for the scan.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

from tests.security.write_watch import keep_deleted_files

PASSPHRASE = "plaintext scan passphrase, invented"  # a throwaway workspace's
NOTE_MARKER = "Quenby Thistlewaite-Oyelaran kept the Marchbank hostel key"
QUERY_MARKER = "Why was the Larkwhistle Road incident left out of the review?"
ALERT_MARKER = "against a licence condition, after moving nearby"  # the demo team's alert
# The files the flow asks the app to write for people to read: the only plaintext allowed.
# Each is named for what it is; all are written into ROOT/exports.
EXPLICIT_EXPORTS = (
    "lunchtime-sheet.pdf",      # hmip-desktop qa --sheet
    "panel-summary.pdf",        # hmip-desktop panel-summary
    "data-workbook.xlsx",       # hmip-desktop workbook
    "key-questions.csv",        # hmip-desktop export-csv
    "schedules.pdf",            # hmip-desktop schedule --pdf
    "printed-sheet.pdf",        # the printer: the sheet printed from the app (a PDF queue here)
    "main-window.png",          # hmip-desktop gui --screenshot
)


def cli(*argv: str) -> str:
    """Run one command through the CLI's entry point; its standard output."""
    from hmip_desktop.cli.main import main  # noqa: PLC0415 - after the environment is set

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    if status != 0:
        raise SystemExit(f"hmip-desktop {' '.join(argv)}: exit status {status}")
    return out.getvalue()


def run(root: Path, result: Path) -> None:
    from hmip_desktop.paths import data_folder  # noqa: PLC0415
    from hmip_desktop.store.workspace import Workspace  # noqa: PLC0415

    os.environ["HMIP_PASSPHRASE"] = PASSPHRASE
    cli("demo", "--role", "lead")
    team = data_folder() / "demo-team"
    ws = {who: str(team / who) for who in ("lead", "qa", "assessor-1", "assessor-2")}
    files, exports = team / "files", root / "exports"
    exports.mkdir()

    with Workspace.open(team / "assessor-1", PASSPHRASE) as a1:
        iid = a1.inspections()[0]["id"]  # the NPS one (the lead also holds a DIPP one)
        case = next(s.case for s in a1.list_cases(iid) if a1.ownership(s.case.id).mine)
        kq = a1.inspection_framework(iid).case_key_questions()[0].id
    cli("note", "--workspace", ws["assessor-1"], case.case_ref, kq, NOTE_MARKER)
    cli("export", "--workspace", ws["assessor-1"], "--out", str(files / "again.hmipb"))
    cli("import", "--workspace", ws["lead"], str(files / "again.hmipb"),
        "--receipt-out", str(files / "again.hmiprcpt"))
    cli("import", "--workspace", ws["assessor-1"], str(files / "again.hmiprcpt"))
    cli("import", "--workspace", ws["qa"], str(files / "again.hmipb"))
    cli("query", "--workspace", ws["qa"], "raise", case.case_ref, kq, QUERY_MARKER)

    cli("qa", "--workspace", ws["qa"], "--sheet", str(exports / "lunchtime-sheet.pdf"))
    cli("panel-summary", "--workspace", ws["lead"], "--inspection", iid,
        "--out", str(exports / "panel-summary.pdf"))
    cli("workbook", "--workspace", ws["lead"], "--inspection", iid,
        "--out", str(exports / "data-workbook.xlsx"))
    cli("export-csv", "--workspace", ws["lead"], "--inspection", iid,
        "--out", str(exports / "key-questions.csv"))
    cli("schedule", "--workspace", ws["lead"], "--inspection", iid,
        "--pdf", str(exports / "schedules.pdf"))
    cli("--self-test")
    cli("gui", "--workspace", ws["qa"], "--screenshot", str(exports / "main-window.png"))
    _gui(team, exports / "printed-sheet.pdf")
    _error_log()

    with Workspace.open(team / "lead", PASSPHRASE) as lead:
        cases = [s.case for s in lead.list_cases(iid)]
    markers = sorted({c.case_ref for c in cases} | {c.person_name for c in cases}
                     | {c.practitioner for c in cases} | {NOTE_MARKER, QUERY_MARKER, ALERT_MARKER})
    result.write_text(json.dumps({"markers": markers, "team": str(team)}), encoding="utf-8")


def _gui(team: Path, printer_file: Path) -> None:
    """The QA partner's main window and lunchtime sheet, printed from the app."""
    from hmip_desktop.gui.app import application  # noqa: PLC0415
    from hmip_desktop.gui.common.qt import QtPrintSupport  # noqa: PLC0415
    from hmip_desktop.gui.main_window import MainWindow  # noqa: PLC0415
    from hmip_desktop.gui.qa.sheet import sheet_view  # noqa: PLC0415
    from hmip_desktop.qa.sheet import sheet_data  # noqa: PLC0415
    from hmip_desktop.store.workspace import Workspace  # noqa: PLC0415

    app = application()
    with Workspace.open(team / "qa", PASSPHRASE) as qa:
        window = MainWindow(qa, team / "qa")
        window.show()
        app.processEvents()
        view = sheet_view(sheet_data(qa), window)
        view.show()
        app.processEvents()
        printer = QtPrintSupport.QPrinter()  # a print queue that keeps a PDF, for the test
        printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printer_file))
        view.print_report(printer)
        view.close()
        window.close()
        app.processEvents()


def _error_log() -> None:
    """An unexpected error whose message quotes a case, written to the error log."""
    from hmip_desktop.error_log import write_error  # noqa: PLC0415

    try:
        raise KeyError(f"case not found: {NOTE_MARKER}")
    except KeyError as exc:
        write_error(exc)


if __name__ == "__main__":
    root_arg, result_arg = Path(sys.argv[1]), Path(sys.argv[2])
    keep_deleted_files(root_arg, Path(sys.argv[3]))
    run(root_arg, result_arg)
