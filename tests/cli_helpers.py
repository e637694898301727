"""Running the CLI in-process, as a test reads it: the exit status, stdout and stderr."""

from __future__ import annotations

import pytest

from hmip_desktop.cli.main import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
