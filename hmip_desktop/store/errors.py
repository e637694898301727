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
