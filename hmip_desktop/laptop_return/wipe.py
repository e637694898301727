"""Prepare for return: the workspace removed beyond recovery by the app, after a certificate.

Offered only when the ready-to-return check is green (the lead's release counts for the cases
it names). Practice cases are erased first (``practice.cases.erase_practice``, audited), so
that even a workspace left behind half-removed holds none. For each inspection the owner is a
member of, a signed wipe certificate is written first (``laptop_return.certificates``),
outside the workspace folder. Then the workspace is
closed and every file the app knows of is overwritten with zeros, flushed to the disk
(``fsync``) and unlinked: each tracked export still on disk, then the workspace's own files in
its folder (the key file first, so that what is left is ciphertext no key opens; then the
database, its WAL and SHM files and anything else named after it, the key file's temporary
copies and the demo's passphrase note), and the folder itself once empty. Anything else in the
folder (another workspace in a subfolder, a file the app did not write) is left where it is.
What overwriting can and cannot do on an SSD is set out in
docs/security.md ("Prepare for return").

A workspace that holds no case (a laptop never used for fieldwork) can be reset the same way
for the next assessor; it needs no certificate. A QA partner's copies of their assessors'
cases count as cases held: such a laptop is not unused. Refused with one line and nothing removed:
a check that is not green, a lead's workspace holding an inspection, a certificate asked to be
written inside the folder to be removed, or a workspace with cases and nowhere to write the
certificate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.contacts import member_by_key
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.certificates import write_certificate
from hmip_desktop.laptop_return.check import my_case_ids, return_check
from hmip_desktop.laptop_return.exports import list_exports
from hmip_desktop.laptop_return.release import released_cases
from hmip_desktop.paths import DEMO_PASSPHRASE_FILE
from hmip_desktop.practice.cases import erase_practice
from hmip_desktop.store.key_file import KEY_FILE_NAME
from hmip_desktop.store.reads import lead_key_id
from hmip_desktop.store.workspace import DB_NAME, Workspace

CHUNK = 1 << 20  # overwrite a megabyte at a time


class WipeRefused(UserError):
    """Prepare for return refused (one line; nothing was removed)."""


class WipeIncomplete(UserError):
    """The workspace was closed and the wipe began, but a file could not be removed."""


@dataclass
class WipeResult:
    """What "Prepare for return" did."""

    certificates: list[Path] = field(default_factory=list)
    exports_removed: list[str] = field(default_factory=list)
    workspace_files: int = 0
    bytes_overwritten: int = 0
    left_in_folder: list[str] = field(default_factory=list)  # not the app's: not removed
    practice_erased: int = 0  # practice cases erased before the workspace was removed


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _certificate_paths(out: Path, n: int) -> list[Path]:
    if n == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{k}{out.suffix}") for k in range(1, n + 1)]


def check_wipe(ws: Workspace, certificate_out: Path | None) -> list[str]:
    """Refuse, with one line, a wipe that may not go ahead; return the inspections to certify."""
    check = return_check(ws)
    if not check.green:
        raise WipeRefused(_("refused: this laptop is not ready to return ({what}); nothing "
                            "was removed").format(what=check.blocking_summary()))
    me = ws.identity.public.key_id
    held = [str(i["id"]) for i in ws.inspections()]
    if any(lead_key_id(ws, iid) == me for iid in held):
        raise WipeRefused(_("refused: this is the lead's workspace, which holds the whole "
                            "inspection; nothing was removed"))
    member_of = [iid for iid in held if member_by_key(ws, iid, me) is not None
                 and lead_key_id(ws, iid) is not None]
    if check.cases_held and certificate_out is None:
        raise WipeRefused(_("say where to write the wipe certificate for the lead; nothing "
                            "was removed"))
    if certificate_out is not None and _inside(certificate_out.expanduser(), ws.folder):
        raise WipeRefused(_("refused: the wipe certificate would be written inside the "
                            "workspace folder, which is about to be removed; choose another "
                            "place"))
    return member_of if certificate_out is not None else []


def prepare_for_return(ws: Workspace, certificate_out: Path | None) -> WipeResult:
    """Write the wipe certificate(s), close ``ws`` and remove the workspace and its exports.

    ``ws`` is closed on return (and on a refusal it is left open and unchanged). A file that
    cannot be removed once the wipe has begun raises ``WipeIncomplete``, ``ws`` closed.
    """
    inspections = check_wipe(ws, certificate_out)
    result = WipeResult(practice_erased=erase_practice(ws))
    mine = my_case_ids(ws)
    released = released_cases(ws)
    on_disk = [e.path for e in list_exports(ws) if e.on_disk]
    if certificate_out is not None:
        for iid, out in zip(inspections, _certificate_paths(certificate_out.expanduser(),
                                                           len(inspections)), strict=True):
            cases = [c for c in mine if ws.find_case(c).inspection_id == iid]
            result.certificates.append(write_certificate(
                ws, iid, out, cases=len(cases),
                released=sum(1 for c in cases if c in released), files_removed=len(on_disk)))
    folder = ws.folder
    ws.close()
    try:
        for p in on_disk:
            result.bytes_overwritten += _destroy(Path(p))
            result.exports_removed.append(p)
        result.workspace_files, size, result.left_in_folder = destroy_folder(folder)
    except UserError as e:
        raise WipeIncomplete(str(e)) from None
    result.bytes_overwritten += size
    return result


def is_workspace_file(name: str) -> bool:
    """A file of the workspace's own in its folder: what the wipe removes."""
    return (name.startswith(DB_NAME)  # the database, -wal, -shm, -upgrade…, the key file
            or (name.startswith(f".{KEY_FILE_NAME}.") and name.endswith(".part"))
            or name == DEMO_PASSPHRASE_FILE)


def destroy_folder(folder: Path) -> tuple[int, int, list[str]]:
    """Overwrite and unlink the workspace's own files in ``folder``; remove it if then empty.

    The key file goes first: from then on what is left opens with no passphrase or recovery
    key. Returns (files removed, bytes overwritten, names left in the folder).
    """
    names = sorted((n for n in _names(folder) if is_workspace_file(n)),
                   key=lambda n: (n != KEY_FILE_NAME, n))
    files = size = 0
    for name in names:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            continue  # a folder named like one of ours is not the app's: left
        size += _destroy(path)
        files += 1
        if name == KEY_FILE_NAME:
            _sync_folder(folder)
    _sync_folder(folder)
    left = sorted(_names(folder))
    if not left:
        _rmdir(folder)
        _sync_folder(folder.parent)
    return files, size, left


def _names(folder: Path) -> list[str]:
    try:
        return [p.name for p in folder.iterdir()]
    except OSError as e:
        raise UserError(_("{path}: could not be read ({why}); remove it by hand").format(
            path=folder, why=e.strerror or type(e).__name__)) from None


def _destroy(path: Path) -> int:
    """Overwrite a regular file with zeros, fsync it, unlink it; a link is only unlinked."""
    try:
        if path.is_symlink() or not path.is_file():
            path.unlink(missing_ok=True)
            return 0
        size = path.stat().st_size
        zeros = bytes(CHUNK)
        with open(path, "r+b", buffering=0) as f:
            left = size
            while left > 0:
                left -= f.write(zeros[:min(CHUNK, left)])
            os.fsync(f.fileno())
        path.unlink()
        return size
    except OSError as e:
        raise UserError(_("{path}: could not be removed ({why}); remove it by hand").format(
            path=path, why=e.strerror or type(e).__name__)) from None


def _rmdir(path: Path) -> None:
    try:
        if path.is_symlink():
            path.unlink()
        else:
            path.rmdir()
    except FileNotFoundError:
        return
    except OSError as e:
        raise UserError(_("{path}: could not be removed ({why}); remove it by hand").format(
            path=path, why=e.strerror or type(e).__name__)) from None


def _sync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY") or not folder.is_dir():
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
