"""Bundle files on disk: written atomically, read with the size limit checked first."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from hmip_desktop.bundles import TooLargeError
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.user_files import BUNDLE_FILE_MAX, CARD_FILE_MAX, read_user_file

EXTENSIONS = {"pack": ".hmippack", "assessments": ".hmipb", "receipt": ".hmiprcpt",
              "qa": ".hmipb", "card": ".hmipid", "alert": ".hmipalert", "review": ".hmipb",
              "debrief": ".hmipdebrief", "alert_state": ".hmipstate",
              "release": ".hmiprelease", "wipe_certificate": ".hmipwipe",
              "recovery": ".hmiprecovery", "training_pack": ".hmiptrainingpack",
              "training": ".hmiptraining", "second": ".hmipsecond"}


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary name in the same folder, fsync, then rename over ``path``.

    A crash leaves either the old file or the new one, never half of either. A file that
    cannot be written (a folder in the way, a full or read-only stick) is one line.
    """
    path = path.expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise UserError(_("{folder}: no such folder").format(folder=folder))
    try:
        _write_replace(path, folder, data)
    except OSError as e:
        raise UserError(_("{path}: cannot write ({why})").format(
            path=path, why=e.strerror or type(e).__name__)) from None
    return path


def _write_replace(path: Path, folder: Path, data: bytes) -> None:
    staged = StagedFile.write(path, data)
    try:
        staged.publish()
    except BaseException:
        staged.discard()
        raise


class StagedFile:
    """A file written in full and fsynced under a temporary name, not yet in place.

    ``publish`` renames it over its path (atomic) and syncs the folder; ``discard`` removes it.
    Staging inside a database transaction and publishing after the commit means the file
    never appears unless what it speaks for was stored: a crash between the two leaves only a
    hidden ``.part`` file.
    """

    def __init__(self, path: Path, tmp: Path) -> None:
        self.path, self.tmp = path, tmp

    @classmethod
    def write(cls, path: Path, data: bytes) -> StagedFile:
        staged, fd = cls.unsynced(path, data)
        try:
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            staged.discard()
            raise
        os.close(fd)
        return staged

    @classmethod
    def unsynced(cls, path: Path, data: bytes) -> tuple[StagedFile, int]:
        """The file written under its temporary name, and its descriptor, open, to sync."""
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.chmod(tmp, 0o600)
        except BaseException:
            os.close(fd)
            Path(tmp).unlink(missing_ok=True)
            raise
        return cls(path, Path(tmp)), fd

    def publish(self) -> Path:
        os.replace(self.tmp, self.path)
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return self.path

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def stage_atomic(path: Path, data: bytes) -> StagedFile:
    """``write_atomic`` up to the rename: the data is on disk, under a temporary name."""
    path = path.expanduser()
    if not path.parent.is_dir():
        raise UserError(_("{folder}: no such folder").format(folder=path.parent))
    try:
        return StagedFile.write(path, data)
    except OSError as e:
        raise _cannot_write(path, e) from None


class Staging:
    """``stage_atomic`` whose ``fsync`` runs on a thread of its own, overlapping other work.

    The file is written under its temporary name at once; the disk's flush of it is mostly
    waiting, during which the caller's thread goes on (an import stores its rows meanwhile).
    ``wait`` gives the staged file, or raises what syncing raised; ``discard`` waits and
    removes the file.
    """

    def __init__(self, path: Path, data: bytes) -> None:
        path = path.expanduser()
        if not path.parent.is_dir():
            raise UserError(_("{folder}: no such folder").format(folder=path.parent))
        try:
            self._staged, fd = StagedFile.unsynced(path, data)
        except OSError as e:
            raise _cannot_write(path, e) from None
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._sync, args=(fd,), name="staging",
                                        daemon=True)
        self._thread.start()

    def _sync(self, fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as e:  # handed to the caller's thread by ``wait``
            self._error = e
        finally:
            os.close(fd)

    def wait(self) -> StagedFile:
        self._thread.join()
        if self._error is not None:
            self._staged.discard()
            raise _cannot_write(self._staged.path, self._error)
        return self._staged

    def discard(self) -> None:
        self._thread.join()
        self._staged.discard()


def _cannot_write(path: Path, e: OSError) -> UserError:
    return UserError(_("{path}: cannot write ({why})").format(
        path=path, why=e.strerror or type(e).__name__))


def read_bundle_file(path: Path, max_size: int = BUNDLE_FILE_MAX) -> bytes:
    return read_user_file(path, max_size=max_size, too_large=lambda: TooLargeError(
        _("the bundle is larger than the {n} MB limit").format(n=max_size // (1024 * 1024))))


def read_card_file(path: Path) -> bytes:
    """A member card's bytes; a file over the card cap (or an empty one) is not a card."""
    def not_a_card() -> UserError:
        return UserError(_("{path}: not a member card (too large or empty)").format(path=path))

    data = read_user_file(path, max_size=CARD_FILE_MAX, too_large=not_a_card)
    if not data:
        raise not_a_card()
    return data


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
