"""Named failures of the store, each with a one-line message a person can act on."""

from hmip_desktop.errors import UserError


class StoreError(UserError):
    """Base of every store problem that is not a bug."""


class WrongPassphraseError(StoreError):
    """The passphrase does not open this workspace (or the file is not a workspace)."""


class NotAWorkspaceError(StoreError):
    """The folder or file is not a hmip-desktop workspace."""


class DamagedWorkspaceError(StoreError):
    """The workspace file is cut short or its pages fail their integrity check."""


class WorkspaceTooNewError(StoreError):
    """The workspace was written by a newer version of hmip-desktop."""


class UnsafeLocationError(StoreError):
    """The workspace sits where SQLite cannot keep it safe (a network share)."""


class WeakPassphraseError(StoreError):
    """A new passphrase fails the policy."""


class ValidationError(StoreError):
    """A value does not fit the item it is saved to; nothing was written."""


class IncompleteError(StoreError):
    """Mark-complete was refused; ``missing`` lists what is still to do."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


# -- the storage failures a person can meet (mapped from SQLite and the system by
# store/failures.py; each message says what happened and what to do) ---------------------


class StorageFailureError(StoreError):
    """The drive or the system failed a save that was itself valid.

    The value may be saved again once the cause is put right, so a form keeps it rather than
    showing the stored one.
    """


class DiskFullError(StorageFailureError):
    """The disk holding the workspace is full; the change was not saved."""


class ReadOnlyWorkspaceError(StorageFailureError):
    """The workspace is on read-only media, or in a folder the user may not change."""


class WorkspaceReplacedError(StorageFailureError):
    """The workspace file was removed or replaced by another program while it was open."""


class WorkspaceBusyError(StorageFailureError):
    """Another program held the workspace's write lock for longer than the busy timeout."""


class OutOfMemoryError(StorageFailureError):
    """The computer ran out of memory during a save; the change was not saved."""


class StorageIOError(StorageFailureError):
    """The drive reported a read or write error (a USB stick pulled out, a failing disk)."""


class NotOwnerError(StoreError):
    """A change to a case this workspace does not own; nothing was written."""
