"""`python -m erdm keys create|list|revoke` (parser in erdm/__main__.py): the key store for operators without a key."""
from __future__ import annotations

import argparse
import getpass
import sys
import uuid
from pathlib import Path

import marshmallow as ma

from gateway import keys
from gateway.models import ROOT_CODE
from gateway.schemas import KeyCreateSchema
from gateway.scope import SUBTREE
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.errors import DomainError
from servicekit.migrations import upgrade
from servicekit.signing import Actor


def open_key_store(settings: Settings) -> Database:
    """The gateway's database (keys, people), migrated first; dispose of it when done."""
    url = settings.database_url("gateway")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # The store may not exist yet when an operator makes the first key before the first `make run`.
    upgrade("gateway", url)
    return Database(url, pool_size=1)


def run_keys_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    database = open_key_store(settings or Settings.from_env())
    try:
        return {"create": _create, "list": _list, "revoke": _revoke}[args.keys_command](args, database)
    finally:
        database.dispose()


def operator() -> Actor:
    """Who acts from the command line (the keys and users commands, and `make run` making the user admin)."""
    # Recorded as `created_by` / `revoked_by`: who did it from the command line. Whoever holds the database
    # holds every key, so the operator acts for the root over the whole tree, as the bootstrap admin key does.
    return Actor(id=f"cli:{getpass.getuser()}"[:80], name="command line", role="admin",
                 org_path=f"/{ROOT_CODE}/", scope=SUBTREE)


def _create(args, database: Database) -> int:
    try:
        given = {"name": args.name, "role": args.role, "org_code": getattr(args, "org", None),
                 "scope": getattr(args, "scope", None)}
        fields = KeyCreateSchema().load({name: value for name, value in given.items() if value is not None})
    except ma.ValidationError as exc:
        print(f"refused: {exc.messages}", file=sys.stderr)
        return 2
    try:
        with database.transaction() as session:
            key, token = keys.create(fields["name"], fields["role"], session=session, actor=operator(),
                                     org_code=fields.get("org_code", ROOT_CODE), scope=fields.get("scope"))
    except DomainError as error:
        print(f"refused: {error.detail} {getattr(error, 'errors', '')}".rstrip(), file=sys.stderr)
        return 1
    # The key alone on stdout, so `KEY=$(python -m erdm keys create ...)` works; the rest on stderr.
    print(f"created key {key.id} ({key.role}, {key.scope} of {key.org_path}) for {key.name!r}; "
          "it is shown this once:", file=sys.stderr)
    print(token)
    return 0


def _list(args, database: Database) -> int:
    with database.session(readonly=True) as session:
        items, total = keys.page(session=session, actor=operator(), page=1, per_page=10_000,
                                 include_revoked=args.all)
    print(f"{'id':36}  {'prefix':12}  {'role':9}  {'scope':7}  {'organisation':20}  {'created':25}  {'revoked':25}  name")
    for key in items:
        revoked = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "-"
        print(f"{key.id!s:36}  {key.prefix:12}  {key.role:9}  {key.scope:7}  {key.org_code:20}  "
              f"{key.created_at.isoformat(timespec='seconds'):25}  "
              f"{revoked:25}  {key.name}")
    print(f"{total} key(s)", file=sys.stderr)
    return 0


def _revoke(args, database: Database) -> int:
    try:
        key_id = uuid.UUID(args.id)
        with database.transaction() as session:
            keys.revoke(key_id, session=session, actor=operator())
    except (ValueError, DomainError) as error:
        print(f"refused: {getattr(error, 'detail', f'no live key with id {args.id}')}", file=sys.stderr)
        return 1
    print(f"revoked {key_id}")
    return 0
