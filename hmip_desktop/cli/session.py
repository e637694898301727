"""Where the workspace is and how the passphrase is obtained, for CLI commands.

A passphrase comes, in this order, from the file descriptor named by ``--passphrase-fd``
(one line each: the passphrase, then for ``passphrase change`` the new one), from the
environment (``HMIP_PASSPHRASE``, ``HMIP_NEW_PASSPHRASE``: weaker, as any process of the same
user can read another's environment), or from a prompt without echo.
"""

from __future__ import annotations

import getpass
import os
import sys

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.paths import workspace_folder
from hmip_desktop.store.workspace import Workspace

# Which line of the passphrase descriptor stands for which variable.
_FD_LINES = {"HMIP_PASSPHRASE": 0, "HMIP_NEW_PASSPHRASE": 1}
# More than any two passphrases: a descriptor is read up to here and no further.
_FD_MAX_BYTES = 64 * 1024


class _FromDescriptor:
    """The ``--passphrase-fd`` of this run, read once when a passphrase is first needed."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.lines: list[str] | None = None

    def use(self, fd: int | None) -> None:
        self.fd, self.lines = fd, None

    def line(self, index: int) -> str | None:
        if self.fd is None:
            return None
        if self.lines is None:
            self.lines = _read_descriptor(self.fd)
        if index >= len(self.lines) or not self.lines[index]:
            what = _("the new passphrase") if index else _("a passphrase")
            raise UserError(_("file descriptor {fd} gave no line with {what}").format(
                                fd=self.fd, what=what))
        return self.lines[index]


_DESCRIPTOR = _FromDescriptor()


def use_passphrase_fd(fd: int | None) -> None:
    """Take passphrases from this inherited file descriptor (None: from the environment)."""
    _DESCRIPTOR.use(fd)


def _read_descriptor(fd: int) -> list[str]:
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= _FD_MAX_BYTES:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        os.close(fd)
    except OSError as e:
        raise UserError(_("cannot read a passphrase from file descriptor {fd}: {why}").format(
                            fd=fd, why=e.strerror or e)) from None
    if size > _FD_MAX_BYTES:
        raise UserError(_("file descriptor {fd} gave more than {kib} KiB; write only the "
                          "passphrase to it, one line").format(fd=fd, kib=_FD_MAX_BYTES // 1024))
    try:
        text = b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(_("file descriptor {fd} did not give UTF-8 text").format(fd=fd)) from None
    return [line.removesuffix("\r") for line in text.split("\n")]


def given_passphrase(env: str = "HMIP_PASSPHRASE") -> str | None:
    """The passphrase given without a prompt (descriptor, then environment), if any."""
    from_fd = _DESCRIPTOR.line(_FD_LINES.get(env, 0))
    return from_fd if from_fd is not None else os.environ.get(env)


def read_passphrase(prompt: str | None = None, *, env: str = "HMIP_PASSPHRASE",
                    confirm: bool = False) -> str:
    """The passphrase given, else asked for (``prompt``, by default "Passphrase: ")."""
    value = given_passphrase(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(_("no passphrase: set {env}, use --passphrase-fd or run in a "
                          "terminal").format(env=env))
    first = getpass.getpass(_("Passphrase: ") if prompt is None else prompt)
    if confirm and getpass.getpass(_("Again: ")) != first:
        raise UserError(_("the two passphrases differ; nothing was changed"))
    return first


def open_workspace(arg: str | None) -> Workspace:
    return Workspace.open(workspace_folder(arg), read_passphrase())
