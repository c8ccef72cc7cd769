"""`Idempotency-Key` on POST: a retry with the same key gets the first answer and changes nothing again.

Only successful answers are kept, in the same transaction as the change they describe: a refused
request changed nothing, so retrying it simply runs it again. A key is tied to what its request
means: method, path, and the body's bytes, or for a multipart form its fields and files (never the
boundary, which clients pick anew on every send).
"""
from __future__ import annotations

import hashlib
import json

from flask import Flask, Response, g, request
from sqlalchemy import exc as sa_exc, insert, select, text
from sqlalchemy.orm import Session

from servicekit.db import Database, idempotency_table, utcnow
from servicekit.problems import problem

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200


def _principal() -> str:
    actor = g.get("actor")
    return actor.id if actor else "anonymous"


def _fingerprint() -> str:
    """What the request asks for: method, path with query, and the meaning of its body."""
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0" + request.full_path.encode() + b"\0")
    if request.mimetype == "multipart/form-data":
        for entry in _form_entries():
            digest.update(json.dumps(entry).encode() + b"\0")
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _form_entries() -> list[list[str]]:
    """A multipart body by meaning: each field's name and value, each file's field name, file name and bytes,
    sorted. curl and httpx frame every request with a boundary of their own, so the raw bytes of two sends
    of one file never match; the parts werkzeug parses out of them do."""
    fields = sorted(["field", name, value] for name, value in request.form.items(multi=True))
    files = []
    for name, upload in request.files.items(multi=True):
        files.append(["file", name, upload.filename or "", hashlib.file_digest(upload.stream, "sha256").hexdigest()])
        upload.stream.seek(0)  # the view reads the same upload next
    return fields + sorted(files)


def _lookup(session: Session, key: str):
    return session.execute(
        select(idempotency_table).where(
            idempotency_table.c.principal == _principal(), idempotency_table.c.key == key
        )
    ).first()


def _serialize_same_key(session: Session, key: str) -> None:
    """PostgreSQL: two requests with one key run one after the other (a transaction-scoped advisory
    lock on the caller and key), so the second sees the first's answer instead of redoing its work."""
    session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"),
                    {"name": f"idempotency:{_principal()}:{key}"})


def _replay(row) -> Response:
    response = Response(row.body, status=row.status_code, mimetype="application/json")
    if row.location:
        response.headers["Location"] = row.location
    response.headers[REPLAY_HEADER] = "true"
    return response


def install(app: Flask, session_factory, database: Database) -> None:
    """`session_factory` gives the request's write session (servicekit/unit_of_work.py); `database` its
    short read-only sessions."""
    @app.before_request
    def _replay_known_key():
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return None
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return problem(422, "Idempotency-Key must be 1 to 200 printable characters.",
                           errors={HEADER: ["Invalid idempotency key."]})
        g.idempotency_key = key
        g.idempotency_fingerprint = _fingerprint()
        session = session_factory()
        if session.get_bind().dialect.name == "postgresql":
            _serialize_same_key(session, key)
            row = _lookup(session, key)
        else:
            # A reader, so no write lock is held while the view does slow work before its first write;
            # a same-key request that commits meanwhile is caught at commit (replay_after_race).
            with database.session(readonly=True) as reader:
                row = _lookup(reader, key)
        if row is None:
            return None
        if row.request_hash != g.idempotency_fingerprint:
            g.idempotent_replay = True
            return problem(422, "This Idempotency-Key was already used for a different request.",
                           errors={HEADER: ["Reused with a different method, path or body (for a form: other fields or files)."]})
        g.idempotent_replay = True
        return _replay(row)


def remember(session: Session, response: Response) -> None:
    """Store a successful answer under the request's key, inside the request's transaction."""
    key = g.get("idempotency_key")
    if key is None or response.status_code >= 300:
        return
    session.execute(
        insert(idempotency_table).values(
            principal=_principal(),
            key=key,
            method=request.method,
            path=request.full_path[:500],  # for people reading the table; the fingerprint covers all of it
            request_hash=g.idempotency_fingerprint,
            status_code=response.status_code,
            body=response.get_data(as_text=True),
            location=response.headers.get("Location"),
            created_at=utcnow(),
        )
    )


def replay_after_race(database: Database) -> Response | None:
    """Two requests with one key ran at once and the other committed first: answer as it did."""
    key = g.get("idempotency_key")
    if key is None:
        return None
    try:
        with database.session(readonly=True) as session:
            row = _lookup(session, key)
    except (sa_exc.DBAPIError, sa_exc.TimeoutError):
        return None  # the database went away (or no connection was free): the answer already made stands
    return _replay(row) if row is not None and row.request_hash == g.idempotency_fingerprint else None
