"""Bulk statements whose rows are turned into the driver's own values ahead of time, then sent in one executemany.

SQLAlchemy converts every value of every row when a statement runs (a UUID to text on SQLite, a quantity
to its integer of thousandths, a time to text) and builds a parameter set per row: for a 20,000-row import
that is most of a second, spent while SQLite's write lock is held. A `DriverStatement` is compiled once per
dialect; `row()` applies the same column types' conversions whenever the caller likes (before the lock),
and `run()` hands the finished rows straight to the driver's executemany.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement


class PreparedRows:
    """One statement compiled for one dialect: the SQL text, and how a row's values become driver values."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, columns: Sequence[str] | None) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(columns) if columns else None,
                                     for_executemany=True)
        self.sql = str(compiled)
        self.names: list[str] = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
        self.positional = compiled.positional
        self._convert: dict[str, Callable[[Any], Any] | None] = {
            name: compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self.names}
        self._index = {name: n for n, name in enumerate(self.names)}
        selected = getattr(statement, "selected_columns", ())
        self._results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in selected]

    def row(self, values: Mapping[str, Any]) -> list[Any] | dict[str, Any]:
        """The driver's values of one row (every bound name must be given)."""
        return self.rows([values])[0]

    def rows(self, many: Iterable[Mapping[str, Any]]) -> list[list[Any] | dict[str, Any]]:
        """The driver's values of many rows. A value repeated down a column (the batch, the actor, the time, a
        depot's id) is converted once: most of an import's values are such repeats."""
        memo: dict[tuple[str, Any], Any] = {}
        made = []
        for values in many:
            converted = []
            for name in self.names:
                value = values[name]
                if value is None or (convert := self._convert[name]) is None:
                    converted.append(value)
                    continue
                key = (name, value)
                if key not in memo:
                    memo[key] = convert(value)
                converted.append(memo[key])
            made.append(converted if self.positional else dict(zip(self.names, converted)))
        return made

    def put(self, row: list[Any] | dict[str, Any], name: str, value: Any) -> None:
        """Change one value of a row already made (known only once the lock is held)."""
        convert = self._convert[name]
        value = value if convert is None or value is None else convert(value)
        row[self._index[name] if self.positional else name] = value

    def run(self, session: Session, rows: Sequence[list[Any] | dict[str, Any]]) -> int:
        """Send every row in one executemany on the session's connection; the rows it changed."""
        if not rows:
            return 0
        finished = [tuple(row) for row in rows] if self.positional else list(rows)
        return session.connection().exec_driver_sql(self.sql, finished).rowcount


    def fetch(self, session: Session, row: list[Any] | dict[str, Any]) -> list[tuple]:
        """Run a SELECT with one row of parameters; its rows, each value turned back as the column's type does."""
        found = session.connection().exec_driver_sql(self.sql, tuple(row) if self.positional else row).all()
        return [tuple(value if convert is None or value is None else convert(value)
                      for convert, value in zip(self._results, record)) for record in found]


class DriverStatement:
    """A statement to run in bulk, compiled once per dialect on first use (nothing connects at import)."""

    def __init__(self, statement: ClauseElement, columns: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.columns = columns
        self._compiled: dict[str, PreparedRows] = {}

    def on(self, session: Session) -> PreparedRows:
        """The statement for the session's database; asks for the engine only, so no transaction begins."""
        dialect = session.get_bind().dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = PreparedRows(self.statement, dialect, self.columns)
        return compiled
