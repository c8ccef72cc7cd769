"""The console holds no data and talks only to the gateway's public API: it imports no database, no broker, no
service and nothing of the gateway's insides."""
from __future__ import annotations

import ast
from pathlib import Path

CONSOLE = Path(__file__).resolve().parents[2] / "console"
FORBIDDEN = ("sqlalchemy", "alembic", "kombu", "psycopg", "services", "gateway", "servicekit.db",
             "servicekit.outbox", "servicekit.inbox", "servicekit.bus")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_console_reaches_data_only_through_the_gateway_api():
    offending = {
        str(path.relative_to(CONSOLE)): sorted(name for name in _imports(path)
                                               if any(name == f or name.startswith(f + ".") for f in FORBIDDEN))
        for path in CONSOLE.rglob("*.py")
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_pages_load_nothing_from_another_host():
    """No template names a script, stylesheet or image on another host (the machine may be offline)."""
    import re

    remote = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
    found = [str(path.relative_to(CONSOLE)) for path in (CONSOLE / "templates").rglob("*.html")
             if remote.search(path.read_text(encoding="utf-8"))]
    assert found == []
