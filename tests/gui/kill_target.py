"""A GUI process that answers prompts through the real widgets until it is killed.

Prints ``ACK <item> <value>`` after each click's save has returned, then goes on. Used by
tests/gui/test_crash_reopen.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hmip_desktop.gui.app import application
from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace


def main(folder: str, passphrase: str, ref: str) -> None:
    application()
    ws = Workspace.open(Path(folder), passphrase)
    w = MainWindow(ws, Path(folder))
    w.show()
    w.open_case(ws.find_case(ref).id)
    form = w.form
    assert form is not None
    value = "yes"
    while True:
        for kq in form._visible_kqs():
            form.show_page(kq.id)
            page = form.page
            assert isinstance(page, KqPage)
            for row in page.rows[:-1]:
                button = row.buttons.get(value)
                if button is not None and button.isEnabled():
                    button.click()
                    print(f"ACK {row.item} {value}", flush=True)
        value = "no" if value == "yes" else "yes"


if __name__ == "__main__":
    main(*sys.argv[1:4])
    sys.exit(0)
