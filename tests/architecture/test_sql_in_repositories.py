"""SQL lives in repositories: every statement of a resource in its `repository.py`, and the
rest (tables, migrations, triggers, the search index, the benchmark loader) under `db/`.
Anywhere else, a module that builds or runs a statement fails this test.

What counts, read from each module's syntax tree:
- importing from SQLAlchemy anything but the names a caller may hold without building a
  statement: the Session and Engine types and the exception classes;
- calling `execute`, `exec_driver_sql`, `executemany`, `scalars`, `scalar`, `query` or the
  ORM's bulk methods on anything, narrowing a statement (`where`, `order_by`, ...) on
  anything, or `get`, `add`, `add_all`, `delete`, `merge` or `refresh` on a session (the
  ORM's way of running statements), whatever the variable holding it is called.
A service may still mutate the objects a repository loaded and end the transaction
(`commit`, `rollback`, `close`): that is the unit of work, not a statement."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "pbxapi"

# Names that carry no statement: types a signature mentions and errors a handler catches.
HARMLESS_IMPORTS = {
    "sqlalchemy": {"Engine", "Connection"},
    "sqlalchemy.orm": {"Session", "sessionmaker"},
    "sqlalchemy.engine": {"Engine", "Connection"},
}
HARMLESS_MODULES = ("sqlalchemy.exc",)
RUNS_STATEMENTS = {
    "execute", "exec_driver_sql", "executemany", "scalars", "scalar", "query",
    "bulk_update_mappings", "bulk_insert_mappings", "bulk_save_objects",
    # narrowing a statement a repository handed out is building one
    "where", "filter_by", "order_by", "outerjoin", "returning", "with_for_update",
}
SESSION_STATEMENTS = {"get", "add", "add_all", "delete", "merge", "refresh"}


def is_sql_place(path: Path) -> bool:
    relative = path.relative_to(SOURCE)
    return (
        relative.parts[0] == "db"
        or relative.name == "repository.py"
        or "repository" in relative.parts[:-1]
    )


def _receiver_is_session(node: ast.expr) -> bool:
    """A session or connection, whatever the variable is called: its name says session,
    connection or db, or it is a one-letter name (`s.add(...)`)."""
    name = ast.unparse(node).split(".")[-1].lower()
    return len(name) == 1 or any(word in name for word in ("session", "connection", "db"))


def statements_in(path: Path) -> list[str]:
    """Where the module builds or runs a statement: 'line: what'."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
            node.module == "sqlalchemy" or node.module.startswith("sqlalchemy.")
        ):
            if node.module.startswith(HARMLESS_MODULES):
                continue
            allowed = HARMLESS_IMPORTS.get(node.module, set())
            names = [alias.name for alias in node.names if alias.name not in allowed]
            if names:
                found.append(f"{node.lineno}: imports {', '.join(names)} from {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "sqlalchemy" or alias.name.startswith("sqlalchemy."):
                    if not alias.name.startswith(HARMLESS_MODULES):
                        found.append(f"{node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in RUNS_STATEMENTS or (
                name in SESSION_STATEMENTS and _receiver_is_session(node.func.value)
            ):
                found.append(f"{node.lineno}: calls {ast.unparse(node.func)}()")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def modules_outside_sql_places() -> list[Path]:
    return sorted(
        path for path in SOURCE.rglob("*.py") if not is_sql_place(path)
    )


@pytest.mark.parametrize(
    "path", modules_outside_sql_places(), ids=lambda path: str(path.relative_to(SOURCE))
)
def test_no_statement_outside_repositories_and_db(path):
    found = statements_in(path)
    assert not found, f"{path.relative_to(SOURCE)} builds or runs statements outside a " + (
        "repository:\n" + "\n".join(found)
    )


def test_the_check_sees_a_statement(tmp_path, monkeypatch):
    """The detector itself: each kind of statement is caught, the harmless names are not."""
    module = tmp_path / "service.py"
    module.write_text(
        "from sqlalchemy import select, Engine\n"
        "from sqlalchemy.orm import Session\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "import sqlalchemy.dialects.postgresql\n"
        "def f(session: Session, engine: Engine):\n"
        "    session.execute(select(1))\n"
        "    session.add(object())\n"
        "    self_cache = {}; self_cache.get('x')\n"
        "    session.commit()\n"
        "    db = session; db.get(object, 1); s = session; s.add(object())\n"
        "    session.bulk_update_mappings(object, [])\n"
        "    repository.device_phones('x').where(True)\n"
    )
    assert statements_in(module) == [
        "1: imports select from sqlalchemy",
        "4: imports sqlalchemy.dialects.postgresql",
        "6: calls session.execute()",
        "7: calls session.add()",
        "10: calls db.get()",
        "10: calls s.add()",
        "11: calls session.bulk_update_mappings()",
        "12: calls repository.device_phones('x').where()",
    ]


def test_sql_places_are_what_the_readme_says():
    assert is_sql_place(SOURCE / "db" / "tables.py")
    assert is_sql_place(SOURCE / "sipphones" / "repository.py")
    assert not is_sql_place(SOURCE / "sipphones" / "service.py")
    assert not is_sql_place(SOURCE / "cli.py")
