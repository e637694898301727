"""Each command imports only its own module: the map in cli/main.py matches the registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hmip_desktop.cli.main import COMMAND_MODULES, load_commands
from hmip_desktop.cli.registry import COMMANDS


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    load_commands()
    registered = {name: c.handler.__module__ for name, c in COMMANDS.items()}
    assert {name: f"hmip_desktop.cli.{module}" for name, module in COMMAND_MODULES.items()} \
        == registered


def test_one_command_loads_no_other_commands_module() -> None:
    """``answer --help`` in a fresh process: the workspace commands' module and no other."""
    probe = ("import sys\n"
             "from hmip_desktop.cli.main import main\n"
             "try:\n    main(['answer', '--help'])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('hmip_desktop.cli.commands_')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "['hmip_desktop.cli.commands_workspace']"


def test_version_loads_no_commands_module_and_prints_the_version() -> None:
    """``--version`` answers at once: the version line, and no command's module loaded."""
    probe = ("import sys\n"
             "from hmip_desktop.cli.main import main\n"
             "status = main(['--version'])\n"
             "print(status, sorted(m for m in sys.modules"
             " if m.startswith('hmip_desktop.cli.commands_')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    from hmip_desktop import __version__  # noqa: PLC0415
    assert done.stdout.strip().splitlines() == [f"hmip-desktop {__version__}", "0 []"]


def test_language_member_without_a_member_is_a_usage_fault_on_stderr(tmp_path: Path) -> None:
    """No member named: one argparse-style line on stderr, status 2, no workspace opened."""
    done = subprocess.run([sys.executable, "-m", "hmip_desktop", "language", "member"],
                          check=False, capture_output=True, text=True, env={
                              "HMIP_WORKSPACE": str(tmp_path / "none"), "PATH": "/usr/bin"})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("hmip-desktop language: error: give the member after 'member'\n")
