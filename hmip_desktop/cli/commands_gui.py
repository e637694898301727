"""``gui``: open the desktop app (Qt is imported only when this command runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import given_passphrase
from hmip_desktop.paths import workspace_folder


def launch_gui(folder: Path, *, passphrase: str | None = None,
               screenshot: Path | None = None, import_path: Path | None = None) -> int:
    if passphrase is not None:  # the key derivation runs on while Qt and the window load
        from hmip_desktop.store import derive_ahead  # noqa: PLC0415

        derive_ahead.start(folder, passphrase)
    from hmip_desktop.gui.app import run  # noqa: PLC0415 - keeps Qt out of the CLI's start-up

    return run(folder, passphrase=passphrase, screenshot=screenshot, import_path=import_path)


@command(
    "gui",
    arg("--screenshot", metavar="FILE.png",
        help="open the window, render it to FILE.png and exit (for docs and tests)"),
    arg("--import", dest="import_path", metavar="FILE",
        help="once the workspace is unlocked, import this bundle (.hmippack, .hmipb, "
             ".hmiprcpt), as a file opened from the file manager is"),
    workspace=True,
)
def cmd_gui(args: argparse.Namespace) -> int:
    """Open the desktop app on a workspace (the default when no command is given).

    With --passphrase-fd or HMIP_PASSPHRASE the workspace is unlocked straight away; otherwise
    the app asks.
    """
    folder = workspace_folder(args.workspace)
    shot = Path(args.screenshot) if args.screenshot else None
    bundle = Path(args.import_path) if args.import_path else None
    return launch_gui(folder, passphrase=given_passphrase(), screenshot=shot,
                      import_path=bundle)
