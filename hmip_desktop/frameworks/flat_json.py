"""A JSON value as rows of (path, type, value), and back: the workbook's settings sheets.

A path reads as in the loader's messages: ``kinds[0].columns[2].label``. A key that is not a
plain name (an organisation's name, say) is written as ``["Kent, Surrey and Sussex"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from hmip_desktop.i18n import _

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]|\[("(?:[^"\\]|\\.)*")\]')

Token = str | int


class PathError(ValueError):
    """A path or a value that cannot be placed; the message says why."""


def key_part(key: str) -> str:
    return f".{key}" if _NAME.fullmatch(key) else f"[{json.dumps(key, ensure_ascii=False)}]"


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every leaf of ``value`` as (path, type, value), in order."""
    if isinstance(value, dict):
        if not value:
            yield path, "empty object", None
        for key, item in value.items():
            yield from flatten(item, path + key_part(key))
    elif isinstance(value, list):
        if not value:
            yield path, "empty list", None
        for i, item in enumerate(value):
            yield from flatten(item, f"{path}[{i}]")
    elif isinstance(value, bool):
        yield path, "true or false", value
    elif isinstance(value, int):
        yield path, "whole number", value
    elif isinstance(value, float):
        yield path, "number", value
    elif isinstance(value, str):
        yield path, "text", value
    else:
        raise PathError(_("cannot hold {kind}").format(kind=type(value).__name__))


def parse_path(path: str) -> list[Token]:
    """``kinds[0].label`` → ``["kinds", 0, "label"]``; PathError if it does not read."""
    text = path if path.startswith(("[", ".")) else "." + path
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise PathError(_("the path {path!r} does not read at {text!r}").format(
                                path=path, text=text[pos:pos + 12]))
        name, index, quoted = m.groups()
        tokens.append(name if name is not None else int(index) if index is not None
                      else json.loads(quoted))
        pos = m.end()
    if not tokens or not isinstance(tokens[0], str):
        raise PathError(_("the path {path!r} must start with a name").format(path=path))
    return tokens


def loader_path(tokens: list[Token]) -> str:
    """The path as the loader names places: ``kinds[0].label``."""
    out = ""
    for t in tokens:
        out += f"[{t}]" if isinstance(t, int) else (f".{t}" if out else t)
    return out


def place(root: dict[str, Any], tokens: list[Token], value: Any) -> None:
    """Put ``value`` at ``tokens`` in ``root``; list items must come in order, 0 first."""
    node: Any = root
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        nxt = tokens[i + 1] if not last else None
        fresh: Any = value if last else ([] if isinstance(nxt, int) else {})
        if isinstance(token, int):
            if not isinstance(node, list):
                raise PathError(_("a list item under something that is not a list"))
            if token == len(node):
                node.append(fresh)
            elif token > len(node):
                raise PathError(_("item [{token}] comes before item [{n_node}]").format(
                                    token=token, n_node=len(node)))
            elif last:
                raise PathError(_("this value is given twice"))
            node = node[token]
        else:
            if not isinstance(node, dict):
                raise PathError(_("a named value under something that is not a group of values"))
            if token not in node:
                node[token] = fresh
            elif last:
                raise PathError(_("this value is given twice"))
            node = node[token]
        if not last and not isinstance(node, dict | list):
            raise PathError(_("a value is given under a single value"))
