"""Finds where SQL runs in a module's source, for the owners test in test_architecture.py.

Read from the syntax tree, never by running the code:

- *SQL calls*: ``.execute(``, ``.executemany(``, ``.executescript(``, the sqlite-utils calls
  (``.query(``, ``.table(``, ``.insert_all(``, ``.upsert(``, ``.upsert_all(``, ``db[...]``) and
  ``connection(``/``dict_rows(`` from ``store.tables``;
- *tables named*: the schema's tables that a string literal (or an f-string's text) names after
  FROM, JOIN, INTO, UPDATE or TABLE;
- *connection reached*: an attribute ``.conn`` or ``._conn``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

SQL_CALLS = {"execute", "executemany", "executescript", "query", "table", "insert_all",
             "upsert", "upsert_all", "connection", "dict_rows"}
_DB_NAMES = {"db", "_db"}  # a sqlite_utils.Database: its .query/.table/[...] are SQL
_NAMES_A_TABLE = re.compile(
    r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+([A-Za-z_][A-Za-z0-9_]*)")
_SQL_WORD = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b")
_CREATE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)")


def schema_tables(schema_source: str) -> set[str]:
    """The tables ``store/schema.py`` creates."""
    return set(_CREATE.findall(schema_source))


@dataclass
class SqlUse:
    calls: list[int] = field(default_factory=list)  # lines of SQL calls
    tables: dict[str, list[int]] = field(default_factory=dict)  # table -> lines naming it
    conn: list[int] = field(default_factory=list)  # lines reaching .conn / ._conn

    @property
    def runs_sql(self) -> bool:
        return bool(self.calls or self.tables)


def _texts(node: ast.AST) -> list[tuple[str, int]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, node.lineno)]
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str)
                       else " ? " for v in node.values)
        return [(text, node.lineno)]
    return []


def sql_use(source: str, tables: set[str]) -> SqlUse:
    """Where ``source`` runs SQL, which of ``tables`` it names, and where it reaches a
    connection."""
    use = SqlUse()
    tree = ast.parse(source)
    in_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            in_fstring |= {id(v) for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(
                f, ast.Name) else None
            if name in ("execute", "executemany", "executescript", "connection",
                        "dict_rows") or (name in SQL_CALLS and isinstance(f, ast.Attribute)
                                         and _is_db(f.value)):
                use.calls.append(node.lineno)
        elif isinstance(node, ast.Subscript) and _is_db(node.value):
            use.calls.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in ("conn", "_conn"):
            use.conn.append(node.lineno)
        if id(node) in in_fstring:
            continue
        for text, line in _texts(node):
            if not _SQL_WORD.search(text):
                continue
            for table in _NAMES_A_TABLE.findall(text):
                if table in tables:
                    use.tables.setdefault(table, []).append(line)
    return use


def _is_db(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id in _DB_NAMES) or (
        isinstance(node, ast.Attribute) and node.attr in _DB_NAMES)


def module_name(path: Path, package_root: Path) -> str:
    return ".".join(path.relative_to(package_root).with_suffix("").parts)


def owns(module: str, owners: tuple[str, ...]) -> bool:
    """Whether ``module`` is one of ``owners``, or inside an owner that is a package."""
    return any(module == o or module.startswith(o + ".") for o in owners)


def violations(package: Path, owners: dict[str, tuple[str, ...]]) -> list[str]:
    """One line per SQL use outside its owners: a table named by a module that does not own
    it, or SQL run by a module that owns no table."""
    tables = set(owners)
    out = []
    for path in sorted(package.rglob("*.py")):
        module = module_name(path, package.parent)
        use = sql_use(path.read_text("utf-8"), tables)
        mine = {t for t, who in owners.items() if owns(module, who)}
        for table, lines in sorted(use.tables.items()):
            if table not in mine:
                out.append(f"{module}:{lines[0]}: SQL on {table}, owned by "
                           f"{', '.join(owners[table])}")
        if use.calls and not mine:
            out.append(f"{module}:{use.calls[0]}: runs SQL but owns no table")
    return out
