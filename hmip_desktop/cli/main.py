"""Entry point of ``hmip-desktop``: builds the parser from the registry and maps errors.

Exit status: 0 success, 1 a problem with the input or the data (one line on stderr, no
traceback), 2 a usage error (from argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import sqlcipher3

from hmip_desktop import __version__
from hmip_desktop.cli import commands_alerts as _alerts  # noqa: F401 - registers
from hmip_desktop.cli import commands_conflicts as _conflicts  # noqa: F401 - registers
from hmip_desktop.cli import commands_consolidation as _consolidation  # noqa: F401 - registers
from hmip_desktop.cli import commands_debrief as _debrief  # noqa: F401 - registers
from hmip_desktop.cli import commands_exchange as _exchange  # noqa: F401 - registers
from hmip_desktop.cli import commands_frameworks as _frameworks  # noqa: F401 - registers
from hmip_desktop.cli import commands_gui as _gui  # noqa: F401 - registers
from hmip_desktop.cli import commands_languages as _languages  # noqa: F401 - registers
from hmip_desktop.cli import commands_qa as _qa  # noqa: F401 - registers
from hmip_desktop.cli import commands_queries as _queries  # noqa: F401 - registers
from hmip_desktop.cli import commands_schedule as _schedule  # noqa: F401 - registers
from hmip_desktop.cli import commands_workspace as _workspace  # noqa: F401 - registers
from hmip_desktop.cli.registry import COMMANDS
from hmip_desktop.cli.session import use_passphrase_fd
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.files import EXTENSIONS
from hmip_desktop.store.failures import storage_failure
from hmip_desktop.text_rules import printable

PROG = "hmip-desktop"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline case assessment for HM Inspectorate of Probation inspections.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--self-test", action="store_true",
        help="run a whole lead-assessor exchange in temporary workspaces and render the main "
             "window, printing each step; exit status 0 only if every step checked out",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        p = sub.add_parser(
            cmd.name, help=cmd.summary, description=cmd.description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if cmd.needs_workspace:
            p.add_argument(
                "--workspace", metavar="DIR",
                help="workspace folder (default: $HMIP_WORKSPACE, else the user data folder)",
            )
            p.add_argument(
                "--passphrase-fd", metavar="N", type=_descriptor,
                help="read the passphrase from inherited file descriptor N, one line (for "
                     "'passphrase change' the new one on the next line); safer than "
                     "HMIP_PASSPHRASE, which other programs of the same user can read",
            )
        for a in cmd.arguments:
            p.add_argument(*a.flags, **a.options)
        p.set_defaults(handler=cmd.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) == 1 and argv[0].lower().endswith(tuple(EXTENSIONS.values())):
        # A bundle or card opened from the file manager (the installers' file associations):
        # open the app and import a bundle once it is unlocked; a member card is enrolled by
        # the lead in Inspection set-up, so for a card the app just opens.
        card = argv[0].lower().endswith(EXTENSIONS["card"])
        argv = ["gui"] if card else ["gui", "--import", argv[0]]
    args = parser.parse_args(argv)
    if args.self_test:
        if getattr(args, "handler", None):
            parser.error("--self-test takes no command")
        args.handler = _self_test
    elif not getattr(args, "handler", None):
        # No command (a double-click on the installed app): open the desktop app.
        args = parser.parse_args(["gui"])
    use_passphrase_fd(getattr(args, "passphrase_fd", None))
    try:
        return int(args.handler(args))
    except UserError as e:
        print(f"{PROG}: {printable(e)}", file=sys.stderr)
        return 1
    except (sqlcipher3.Error, MemoryError) as e:
        # A storage failure outside a save (a read, say): the same one line as in a save.
        failure = storage_failure(e, None)
        if failure is None:
            raise
        print(f"{PROG}: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        use_passphrase_fd(None)


def _descriptor(text: str) -> int:
    try:
        fd = int(text)
    except ValueError:
        fd = -1
    if fd < 0:
        raise argparse.ArgumentTypeError(f"not a file descriptor number: {text!r}")
    return fd


def _self_test(_args: argparse.Namespace) -> int:
    from hmip_desktop.cli.commands_selftest import run_self_test  # noqa: PLC0415 - on demand

    return run_self_test()
