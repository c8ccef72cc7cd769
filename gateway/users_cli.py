"""`python -m erdm users create|list|passwd` (parser in erdm/__main__.py); the user `admin` that `make run` makes."""
from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from dataclasses import dataclass

import marshmallow as ma

from gateway import passwords, users
from gateway.cli import operator, open_key_store
from gateway.models import ROOT_CODE
from gateway.scope import SUBTREE
from gateway.user_schemas import UserCreateSchema, UserPatchSchema
from servicekit import clock
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.errors import DomainError

ADMIN_USERNAME = "admin"


def run_users_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    database = open_key_store(settings or Settings.from_env())
    try:
        return {"create": _create, "list": _list, "passwd": _passwd}[args.users_command](args, database)
    finally:
        database.dispose()


def _read_password(args) -> str:
    """From the first line of stdin (--password-stdin), else typed twice without echo."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("password: ")
    if getpass.getpass("again: ") != password:
        raise ValueError("the two passwords differ")
    return password


def _refused(what) -> int:
    print(f"refused: {what}", file=sys.stderr)
    return 1


def _create(args, database: Database) -> int:
    try:
        password = _read_password(args)
        fields = UserCreateSchema().load({"username": args.username, "display_name": args.display_name,
                                          "role": args.role, "org_code": args.org or ROOT_CODE,
                                          "scope": args.scope or SUBTREE, "password": password})
    except (ValueError, ma.ValidationError) as exc:
        return _refused(exc.messages if isinstance(exc, ma.ValidationError) else exc)
    try:
        with database.transaction() as session:
            user = users.create(fields, session=session, actor=operator(), now=clock.now())
    except DomainError as error:
        return _refused(f"{error.detail} {getattr(error, 'errors', '')}".rstrip())
    print(f"created user {user.username} ({user.id}): {user.role}, {user.scope} of {user.org_path}")
    return 0


def _list(args, database: Database) -> int:
    with database.session(readonly=True) as session:
        items, total = users.page(session=session, actor=operator(), page=1, per_page=10_000)
    print(f"{'username':24}  {'role':9}  {'scope':7}  {'organisation':20}  {'active':6}  {'last sign-in':25}  name")
    for user in items:
        last = user.last_sign_in_at.isoformat(timespec="seconds") if user.last_sign_in_at else "-"
        print(f"{user.username:24}  {user.role:9}  {user.scope:7}  {user.org_code:20}  "
              f"{'yes' if user.active else 'no':6}  {last:25}  {user.display_name}")
    print(f"{total} user(s)", file=sys.stderr)
    return 0


def _passwd(args, database: Database) -> int:
    try:
        changes = UserPatchSchema().load({"password": _read_password(args)})
    except (ValueError, ma.ValidationError) as exc:
        return _refused(exc.messages if isinstance(exc, ma.ValidationError) else exc)
    with database.transaction() as session:
        found = users.for_sign_in(args.username, session=session)
        if found is None:
            return _refused(f"no user {args.username!r}")
        user, _hash = found
        users.change(user.id, changes, session=session, actor=operator(), now=clock.now())
    print(f"the password of {user.username} is changed; every session of theirs has ended")
    return 0


@dataclass(frozen=True)
class AdminUser:
    """What `make run` found or made of the user `admin`; `generated_password` is set only when it drew one."""

    created: bool
    generated_password: str | None = None


def check_admin_password(password: str | None) -> None:
    """ValueError, saying what is wrong, when ERDM_ADMIN_PASSWORD is set but would be refused to anyone else."""
    if password is not None and not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise ValueError(f"ERDM_ADMIN_PASSWORD must be {passwords.MIN_LENGTH} to {passwords.MAX_LENGTH} characters "
                         f"long (it has {len(password)})")


def ensure_admin(database: Database, *, password: str | None) -> AdminUser:
    """The user `admin` (the root, admin, subtree) when missing, with `password` or a drawn one; an existing
    `admin` is left as it is, its password included."""
    with database.transaction() as session:
        if users.for_sign_in(ADMIN_USERNAME, session=session) is not None:
            return AdminUser(created=False)
        drawn = None if password else secrets.token_urlsafe(12)
        users.create({"username": ADMIN_USERNAME, "display_name": "administrator", "password": password or drawn,
                      "role": "admin", "org_code": ROOT_CODE, "scope": SUBTREE},
                     session=session, actor=operator(), now=clock.now())
    return AdminUser(created=True, generated_password=drawn)
