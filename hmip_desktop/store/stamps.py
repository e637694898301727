"""The time stamp and the id every record of the store is written with."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    import uuid  # noqa: PLC0415 - here, not at start-up: it loads the platform module

    return uuid.uuid4().hex
