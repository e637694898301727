"""Entry point of ``hmip-desktop``: builds the parser from the registry and maps errors.

Exit statuses have one meaning each (``exit_status``): 0 done, including "nothing to do";
1 refused, a problem with the input or the data (one line on stderr, no traceback); 2 a usage
error; 3 nothing applied because it is older than what is held; 4 allocation refused because
cases would be left unplaced; 5 not ready to return; 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from hmip_desktop import __version__
from hmip_desktop.cli.exit_status import INTERRUPTED, NOT_NEWER, REFUSED, USAGE
from hmip_desktop.cli.registry import COMMANDS
from hmip_desktop.errors import NotNewerError, UserError
from hmip_desktop.i18n import LANGUAGES, _, current_language, install
from hmip_desktop.language_choice import language_for
from hmip_desktop.paths import workspace_folder
from hmip_desktop.text_rules import printable

PROG = "hmip-desktop"

# The module that registers each command, so that a command imports only its own module (a
# script runs hundreds of commands, each its own process). tests/cli/test_command_modules.py
# checks it against the registry.
COMMAND_MODULES: dict[str, str] = {
    "alert": "commands_alerts",
    "conflicts": "commands_conflicts",
    "resolve": "commands_conflicts",
    "alerts": "commands_consolidation",
    "combine": "commands_consolidation",
    "compare": "commands_consolidation",
    "consolidate": "commands_consolidation",
    "dashboard": "commands_consolidation",
    "export-csv": "commands_consolidation",
    "pdu-tables": "commands_pdu_tables",
    "lead-rating": "commands_consolidation",
    "panel": "commands_consolidation",
    "panel-summary": "commands_consolidation",
    "recommendation": "commands_consolidation",
    "workbook": "commands_consolidation",
    "debrief": "commands_debrief",
    "edition": "commands_editions",
    "allocate": "commands_exchange",
    "delivery": "commands_exchange",
    "enrol": "commands_exchange",
    "export": "commands_exchange",
    "identity": "commands_exchange",
    "import": "commands_exchange",
    "inspection": "commands_exchange",
    "members": "commands_exchange",
    "pack": "commands_exchange",
    "reassign": "commands_exchange",
    "role": "commands_exchange",
    "sample": "commands_exchange",
    "evidence": "commands_findings",
    "finding": "commands_findings",
    "framework": "commands_frameworks",
    "frameworks": "commands_frameworks",
    "ratings": "commands_frameworks",
    "gui": "commands_gui",
    "language": "commands_languages",
    "publishable-workbook": "commands_publication",
    "qa": "commands_qa",
    "qa-export": "commands_queries",
    "queries": "commands_queries",
    "query": "commands_queries",
    "signoff": "commands_queries",
    "recovery": "commands_recovery",
    "archive": "commands_retention",
    "purge": "commands_retention",
    "retention": "commands_retention",
    "subgroups": "commands_publication",
    "exports": "commands_return",
    "prepare-for-return": "commands_return",
    "release": "commands_return",
    "return-check": "commands_return",
    "wipe-certificates": "commands_return",
    "review": "commands_review",
    "double": "commands_double",
    "training": "commands_training",
    "practice": "commands_practice",
    "schedule": "commands_schedule",
    "answer": "commands_workspace",
    "cases": "commands_workspace",
    "complete": "commands_workspace",
    "demo": "commands_workspace",
    "history": "commands_workspace",
    "init": "commands_workspace",
    "note": "commands_workspace",
    "passphrase": "commands_workspace",
}


def load_commands(*, window_only: bool = False, command: str | None = None) -> None:
    """Register every command, or only ``gui``, or only the module of ``command``.

    Every command in the order help lists them; only ``gui`` with ``window_only``; only the
    module that registers ``command`` when it names one (``COMMAND_MODULES``).

    Imported here rather than at the top: opening the window needs none of them, and their
    imports (bundles, consolidation, the case sample) were a fifth of its start-up; one
    command needs only its own module's.
    """
    # Plain import statements, so the frozen build's analysis still finds each module.
    if window_only:
        from hmip_desktop.cli import commands_gui  # noqa: PLC0415 - registers
        return
    if command in COMMAND_MODULES:
        importlib.import_module(f"hmip_desktop.cli.{COMMAND_MODULES[command]}")
        return
    from hmip_desktop.cli import (  # noqa: PLC0415 - on demand
        commands_alerts,  # noqa: F401 - registers
        commands_conflicts,  # noqa: F401 - registers
        commands_consolidation,  # noqa: F401 - registers
        commands_debrief,  # noqa: F401 - registers
        commands_double,  # noqa: F401 - registers
        commands_editions,  # noqa: F401 - registers
        commands_exchange,  # noqa: F401 - registers
        commands_findings,  # noqa: F401 - registers
        commands_frameworks,  # noqa: F401 - registers
        commands_gui,  # noqa: F401 - registers
        commands_languages,  # noqa: F401 - registers
        commands_pdu_tables,  # noqa: F401 - registers
        commands_practice,  # noqa: F401 - registers
        commands_publication,  # noqa: F401 - registers
        commands_qa,  # noqa: F401 - registers
        commands_queries,  # noqa: F401 - registers
        commands_recovery,  # noqa: F401 - registers
        commands_retention,  # noqa: F401 - registers
        commands_return,  # noqa: F401 - registers
        commands_review,  # noqa: F401 - registers
        commands_schedule,  # noqa: F401 - registers
        commands_training,  # noqa: F401 - registers
        commands_workspace,  # noqa: F401 - registers
    )


def build_parser(*, window_only: bool = False,
                 command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the commands ``load_commands`` registers for these arguments."""
    load_commands(window_only=window_only, command=command)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline case assessment for HM Inspectorate of Probation inspections.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(  # taken from the command line before parsing (_install_language)
        "--lang", choices=LANGUAGES, metavar="cy|en",
        help="the language of the interface for this run: cy (Welsh) or en (English); "
             "default: the language chosen for the workspace, else the system's")
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


def _install_language(argv: list[str]) -> list[str]:
    """Take ``--lang cy|en`` from before the command and install the interface's language.

    It must be installed before any command module is imported (their labels are translated
    at import). Without ``--lang``: the choice stored for the workspace, else the system's.
    """
    explicit = None
    rest = list(argv)
    if rest and rest[0].startswith("--lang="):
        explicit, rest = rest[0].partition("=")[2], rest[1:]
    elif rest[:1] == ["--lang"]:
        if len(rest) < 2:
            raise UserError(_("--lang needs a language: en (English) or cy (Welsh)"))
        explicit, rest = rest[1], rest[2:]
    folder = None
    for i, a in enumerate(rest):
        if a == "--workspace" and i + 1 < len(rest):
            folder = rest[i + 1]
        elif a.startswith("--workspace="):
            folder = a.partition("=")[2]
    wanted = language_for(workspace_folder(folder), explicit)
    if wanted != current_language():
        install(wanted)
    return rest


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered before any command module is loaded
        print(f"{PROG} {__version__}")
        return 0
    try:
        argv = _install_language(argv)
    except UserError as e:
        print(_("{program}: error: {message}").format(program=PROG, message=printable(e)),
              file=sys.stderr)
        return USAGE
    # Imported only now: they (and what they import) translate labels when they load.
    import sqlcipher3  # noqa: PLC0415

    from hmip_desktop.cli.session import use_passphrase_fd  # noqa: PLC0415
    from hmip_desktop.exchange.files import EXTENSIONS  # noqa: PLC0415
    from hmip_desktop.store.failures import storage_failure  # noqa: PLC0415

    if len(argv) == 1 and argv[0].lower().endswith(tuple(EXTENSIONS.values())):
        # A bundle or card opened from the file manager (the installers' file associations):
        # open the app and import a bundle once it is unlocked; a member card is enrolled by
        # the lead in Inspection set-up, so for a card the app just opens.
        card = argv[0].lower().endswith(EXTENSIONS["card"])
        argv = ["gui"] if card else ["gui", "--import", argv[0]]
    parser = build_parser(window_only=not argv or argv[0] == "gui",
                          command=argv[0] if argv else None)
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
    except NotNewerError as e:
        print(f"{PROG}: {printable(e)}", file=sys.stderr)
        return NOT_NEWER
    except UserError as e:
        print(f"{PROG}: {printable(e)}", file=sys.stderr)
        return REFUSED
    except (sqlcipher3.Error, MemoryError) as e:
        # A storage failure outside a save (a read, say): the same one line as in a save.
        failure = storage_failure(e, None)
        if failure is None:
            raise
        print(f"{PROG}: {failure}", file=sys.stderr)
        return REFUSED
    except KeyboardInterrupt:
        print(_("{program}: interrupted").format(program=PROG), file=sys.stderr)
        return INTERRUPTED
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
        raise argparse.ArgumentTypeError(
            _("not a file descriptor number: {text}").format(text=repr(text)))
    return fd


def _self_test(_args: argparse.Namespace) -> int:
    from hmip_desktop.cli.commands_selftest import run_self_test  # noqa: PLC0415 - on demand

    return run_self_test()
