"""The core has no Qt: only hmip_desktop/gui may import PySide6 (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from hmip_desktop.store.tables import TABLE_OWNERS
from tests import sql_owners

PACKAGE = Path(__file__).resolve().parents[1] / "hmip_desktop"


def _core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]


_QT = {"PySide6", "shiboken6", "PyQt5", "PyQt6"}


def _imports_qt(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n.split(".")[0] in _QT for n in names):
            return True
    return False


def test_no_core_module_imports_qt() -> None:
    assert [str(p.relative_to(PACKAGE.parent)) for p in _core_modules() if _imports_qt(p)] == []


def test_the_gui_reaches_qt_through_gui_qt_only() -> None:
    """One module holds the binding, so it can be audited and swapped in one place."""
    gui = [p for p in (PACKAGE / "gui").rglob("*.py") if p.name != "qt.py"]
    assert gui, "no GUI modules found"
    assert [str(p.relative_to(PACKAGE.parent)) for p in gui if _imports_qt(p)] == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in _core_modules() if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_package_is_listed_for_installation() -> None:
    """A package missing from pyproject.toml works from source but breaks an installed app."""
    import tomllib  # noqa: PLC0415

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts)
             for p in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()


def _touches_the_database(path: Path) -> list[int]:
    """Lines that run SQL or reach the connection: ``.execute``/``.executemany``/``.query``
    calls, and any use of a workspace's ``conn`` or ``db``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and (
                node.attr in {"conn", "db"}
                or node.attr in {"execute", "executemany", "executescript", "query"}):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_the_front_ends_run_no_sql() -> None:
    """The GUI and the CLI read and write through the core's functions: SQL stays in store/
    and the core modules that own a table, where it is tested once for both front ends."""
    found = {str(p.relative_to(PACKAGE.parent)): lines
             for folder in ("gui", "cli") for p in (PACKAGE / folder).rglob("*.py")
             if (lines := _touches_the_database(p))}
    assert found == {}


def _gui_imports(path: Path) -> set[str]:
    """The ``hmip_desktop.gui`` modules a module imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module \
                and node.module.startswith("hmip_desktop.gui"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists()
                          else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("hmip_desktop.gui")}
    return found


def _gui_graph() -> dict[str, set[str]]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): _gui_imports(p)
            for p in (PACKAGE / "gui").rglob("*.py") if p.name != "__init__.py"}


def test_the_gui_is_grouped_by_who_uses_it() -> None:
    """Screens live in assessor/, qa/, lead/ or partner/ (the partner inspector's review),
    shared pieces in common/; only the app and the
    main window, which compose the groups, sit above them, and no group imports them."""
    graph = _gui_graph()
    top = {m for m in graph if m.count(".") == 2}
    assert top == {"hmip_desktop.gui.app", "hmip_desktop.gui.main_window"}
    groups = {m.split(".")[2] for m in graph} - {"app", "main_window"}
    assert groups == {"common", "assessor", "qa", "lead", "partner"}
    reaching_up = {m: sorted(graph[m] & top) for m in graph if m not in top and graph[m] & top}
    assert reaching_up == {}
    common_reaching_out = {m: sorted(i for i in graph[m] if not i.startswith(
        ("hmip_desktop.gui.common", "hmip_desktop.gui.lead.common")) and i != "hmip_desktop.gui")
        for m in graph if m.startswith("hmip_desktop.gui.common.")}
    assert {m: v for m, v in common_reaching_out.items() if v} == {}


def test_no_gui_module_imports_itself_in_a_circle() -> None:
    graph = _gui_graph()

    def cycle_from(start: str) -> list[str] | None:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, set()):
                if nxt == start:
                    return [*path, nxt]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
        return None

    assert {m: c for m in graph if (c := cycle_from(m))} == {}


# -- SQL runs only in the modules that own its tables (hmip_desktop/store/tables.py) ---------

def _schema_tables() -> set[str]:
    return sql_owners.schema_tables((PACKAGE / "store" / "schema.py").read_text("utf-8"))


def test_every_schema_table_has_an_owner() -> None:
    assert set(TABLE_OWNERS) == _schema_tables()
    assert all(who and who[0] == "hmip_desktop.store" for who in TABLE_OWNERS.values())


def test_every_owner_named_is_a_module_or_package() -> None:
    """A renamed module must not leave a stale name that would let its successor off."""
    named = {o for who in TABLE_OWNERS.values() for o in who}
    missing = sorted(o for o in named
                     if not (PACKAGE.parent / (o.replace(".", "/") + ".py")).is_file()
                     and not (PACKAGE.parent / o.replace(".", "/")).is_dir())
    assert missing == []


def test_no_module_runs_sql_on_a_table_it_does_not_own() -> None:
    assert sql_owners.violations(PACKAGE, TABLE_OWNERS) == []


def test_only_the_store_reaches_the_connection() -> None:
    """Outside store/, the connection is reached through store.tables.connection alone."""
    found = {}
    for p in PACKAGE.rglob("*.py"):
        if p.relative_to(PACKAGE).parts[0] == "store":
            continue
        lines = sql_owners.sql_use(p.read_text("utf-8"), set()).conn
        if lines:
            found[str(p.relative_to(PACKAGE.parent))] = lines
    assert found == {}


def _planted(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "hmip_desktop"
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")
    return package


def test_the_checker_finds_sql_planted_outside_its_owners(tmp_path: Path) -> None:
    owners = {"items": ("hmip_desktop.store",), "queries": ("hmip_desktop.store",
                                                             "hmip_desktop.qa.queries")}
    package = _planted(tmp_path, {
        "store/workspace.py": 'def f(c):\n    c.execute("SELECT * FROM items")\n',
        "qa/queries.py": 'def f(c):\n    c.execute("DELETE FROM queries WHERE id = ?", (1,))\n',
        "gui/form.py": 'def f(ws):\n    return connection(ws).execute(\n'
                       '        f"SELECT value FROM items WHERE case_id = {1}")\n',
        "qa/sheet.py": 'def f(ws):\n    return ws.db.query("SELECT 1")\n',
        "qa/service.py": 'SQL = "UPDATE queries SET closed_at = ?"\n',
    })
    assert sql_owners.violations(package, owners) == [
        "hmip_desktop.gui.form:3: SQL on items, owned by hmip_desktop.store",
        "hmip_desktop.gui.form:2: runs SQL but owns no table",
        "hmip_desktop.qa.service:1: SQL on queries, owned by hmip_desktop.store, "
        "hmip_desktop.qa.queries",
        "hmip_desktop.qa.sheet:2: runs SQL but owns no table",
    ]


def test_the_checker_finds_a_connection_reached_outside_the_store() -> None:
    use = sql_owners.sql_use("def f(ws):\n    x = 1\n    return ws._conn, ws.conn\n", set())
    assert use.conn == [3, 3]


def test_the_data_model_lists_the_owners_the_registry_holds() -> None:
    """docs/data-model.md is the contract a reader trusts: its owners table must be the
    registry's."""
    text = (PACKAGE.parent / "docs" / "data-model.md").read_text("utf-8")
    section = text.split("## Who runs SQL on each table", 1)[1].split("\n## ", 1)[0]
    listed = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 2:
            listed[cells[0].strip("`")] = () if cells[1] == "none" else tuple(
                "hmip_desktop." + o.strip(" `") for o in cells[1].split(","))
    assert listed == {t: who[1:] for t, who in TABLE_OWNERS.items()}
