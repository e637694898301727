"""Commands are declared once, with their arguments; their help text is their docstring."""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Arg:
    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    arguments: tuple[Arg, ...]
    needs_workspace: bool

    @property
    def summary(self) -> str:
        return (inspect.getdoc(self.handler) or "").split("\n", 1)[0]

    @property
    def description(self) -> str:
        return inspect.getdoc(self.handler) or ""


COMMANDS: dict[str, Command] = {}


def command(
    name: str, *arguments: Arg, workspace: bool = False
) -> Callable[[Handler], Handler]:
    """Register a CLI command; ``workspace=True`` adds ``--workspace``."""

    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name, fn, arguments, workspace)
        return fn

    return register
