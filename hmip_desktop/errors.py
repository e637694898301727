"""The few exceptions the core raises for problems a person can fix.

Anything derived from ``UserError`` carries a one-line message that the CLI prints as is (exit
status 1; ``NotNewerError``, status 3) and the GUI shows in a dialog. Anything else is a bug
and keeps its traceback.
"""


class UserError(Exception):
    """Bad input or a state the user can put right; the message is one plain line."""


class NotNewerError(UserError):
    """Nothing applied because what was offered is older than what is held (a replayed bundle).

    Not damage and not a forgery: a script sweeping a shared folder counts it apart (CLI exit
    status 3). Nothing was changed.
    """
