"""SQLite writers copy the write-ahead log back after their turn, never inside it, and the log stays bounded."""
from __future__ import annotations

import os

from sqlalchemy import text

from servicekit.db import WAL_CHECKPOINT_BYTES, Database


def test_writers_keep_the_log_bounded_and_never_checkpoint_inside_a_commit(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'depot.db'}")
    wal = tmp_path / "depot.db-wal"
    try:
        with database.transaction() as session:
            session.execute(text("CREATE TABLE lines (id INTEGER PRIMARY KEY, note TEXT)"))
            # The write lock's holder: no automatic checkpoint may run inside its COMMIT.
            assert session.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        sizes = []
        for _ in range(150):  # ~12 MB written in all, three times what asks for a checkpoint
            with database.transaction() as session:
                session.execute(text("INSERT INTO lines (note) VALUES (:note)"), [{"note": "x" * 200}] * 200)
            sizes.append(os.stat(wal).st_size)
        assert max(sizes) < 2 * WAL_CHECKPOINT_BYTES
        assert min(sizes[len(sizes) // 2:]) < WAL_CHECKPOINT_BYTES  # copied back and cut short, again and again
        with database.session(readonly=True) as session:
            assert session.execute(text("SELECT count(*) FROM lines")).scalar() == 150 * 200
    finally:
        database.dispose()
