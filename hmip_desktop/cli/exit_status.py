"""The exit statuses of ``hmip-desktop``, one meaning each (docs/cli.md, "Exit status")."""

from __future__ import annotations

DONE = 0
"""Done, including "nothing to do" (the same bundle imported again, say)."""
REFUSED = 1
"""Refused: a problem with the input or the data; one line on stderr, nothing changed."""
USAGE = 2
"""A usage error: an unknown command, a missing or malformed argument."""
NOT_NEWER = 3
"""Nothing applied because it is older than what is held; not an error, nothing changed."""
UNPLACED = 4
"""``allocate`` wrote nothing because cases would be left unplaced (``--allow-unplaced``)."""
NOT_READY = 5
"""``return-check`` ran and something is left before this laptop can go back; or ``import``
stopped at a pack bringing a new edition, to be confirmed with ``--confirm-edition``."""
INTERRUPTED = 130
"""Interrupted (Ctrl+C)."""
