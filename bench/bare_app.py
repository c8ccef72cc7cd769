"""The baseline: a bare Flask app whose POST inserts one row into SQLite with the stack's pragmas."""
from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid

from flask import Flask, jsonify, request

_local = threading.local()


def _connection(path: str) -> sqlite3.Connection:
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            connection.execute(f"PRAGMA {pragma}")
        _local.connection = connection
    return connection


def init_db(path: str) -> None:
    connection = _connection(path)
    connection.execute("CREATE TABLE IF NOT EXISTS rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, id CHAR(32) UNIQUE,"
                       " body TEXT, created_at DATETIME)")


def prepare(path: str) -> None:
    """Create the file in WAL mode before the workers start: two workers switching a new file to WAL
    at once fail with "database is locked" (SQLite refuses that without waiting), and so did the bench."""
    init_db(path)
    _local.connection.close()
    del _local.connection


def create_app() -> Flask:
    path = os.environ["BENCH_BARE_DB"]
    init_db(path)
    app = Flask("bench-bare")

    @app.get("/ping")
    def ping():
        return jsonify(ok=True)

    @app.post("/rows")
    def insert():
        body = request.get_data(as_text=True)
        connection = _connection(path)
        connection.execute("BEGIN IMMEDIATE")
        try:
            row_id = uuid.uuid4().hex
            connection.execute("INSERT INTO rows (id, body, created_at) VALUES (?, ?, ?)",
                               (row_id, body, time.strftime("%Y-%m-%d %H:%M:%S")))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return jsonify(id=row_id), 201

    return app
