"""The case sample page with a 50,000-case long list, against the service alone.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_sample_page.py [--rows N]

Set-up (not timed): a generated NPS primary long list (``hmip_desktop/sampling/synthetic.py``)
and a lead's workspace whose inspection's size-table row is 100 cases, one each for the page
and for the baseline. Timed:

- the page: *Import the long list…* clicked (the file dialog answered), which imports under
  the wait cursor and shows the long list's summary; then the *Exclusion flags* tab shown, its
  thousands of flags listed;
- the baseline, in the same run: ``service.import_longlist`` and ``service.exclusion_flags``
  called directly — the same work with no screen.

The ratio is what the screen adds. Target: the page within 1.5 × the service alone, so the
window stays usable (the import runs under the wait cursor).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from harness import describe_machine

from hmip_desktop.gui.app import application
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.sample_page import SamplePage
from hmip_desktop.sampling import service
from hmip_desktop.sampling.synthetic import FIELDWORK, generate, kind_of, write_csv
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "benchmark passphrase for the case sample page"  # noqa: S105 - synthetic data
KIND = "primary"


def _workspace(folder: Path) -> tuple[Workspace, str]:
    ws = Workspace.create(folder, PASSPHRASE, owner_name="Jules Pennyfold", role="lead")
    iid = ws.create_inspection(
        title="Benchmark", organisation="Wales",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes(),
        fieldwork_start=FIELDWORK.isoformat(), fieldwork_end="2026-09-11")
    return ws, iid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    app = application()
    root = Path(tempfile.mkdtemp(prefix="bench-sample-page-"))
    try:
        describe_machine(root)
        path = write_csv(generate(kind_of("nps-2019-20", KIND), args.rows, seed=5),
                         root / "long-list.csv")

        ws, iid = _workspace(root / "baseline")
        with ws:
            start = time.perf_counter()
            service.import_longlist(ws, iid, KIND, path)
            flags = len(service.exclusion_flags(ws, iid, KIND))
            baseline = time.perf_counter() - start

        ws, iid = _workspace(root / "page")
        with ws:
            page = SamplePage(ws, iid)
            page.resize(1366, 768)
            page.show()
            page.kind.setCurrentIndex(page.kind.findData(KIND))
            app.processEvents()
            QtWidgets.QFileDialog.getOpenFileName = (  # type: ignore[method-assign]
                lambda *_a, **_k: (str(path), ""))
            start = time.perf_counter()
            page.import_button.click()
            app.processEvents()
            page.tabs.setCurrentWidget(page.flags)
            app.processEvents()
            shown = time.perf_counter() - start
            assert page.flags.model.rowCount() == flags, "the page lists every flag"
            page.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.rows:,} cases, {flags:,} exclusion flags")
    print(f"service alone (import, flags): {baseline:.2f} s")
    print(f"the page (import clicked, summary shown, flags tab shown): {shown:.2f} s")
    print(f"ratio: {shown / baseline:.2f} x (target: at most 1.5 x)")


if __name__ == "__main__":
    main()
