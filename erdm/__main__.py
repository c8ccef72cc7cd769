"""`python -m erdm run|migrate|web|worker|relay|notifier|keys|users`: one command line for every ERDM process."""
from __future__ import annotations

import argparse
import os
import sys

from contracts.catalogue import CONSOLE, GATEWAY, NOTIFIER
from erdm.registry import SERVICES
from servicekit.logs import PROCESS_NAME_VARIABLE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="erdm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="the whole stack in the foreground (make run)")
    migrate = commands.add_parser("migrate", help="apply Alembic migrations")
    migrate.add_argument("services", nargs="*", help="default: every service's database and the gateway's")
    web = commands.add_parser("web", help="a web process under gunicorn")
    web.add_argument("app", choices=["gateway", CONSOLE, *SERVICES])
    web.add_argument("--bind", help="host:port (default from ERDM_PORT)")
    web.add_argument("--instance", type=int, help="a service's n-th web process (1..ERDM_INSTANCES): its port and name")
    # Relays publish an outbox: every service's, and the gateway's (the organisation directory it announces).
    for name, parts in (("worker", list(SERVICES)), ("relay", [*SERVICES, GATEWAY])):
        sub = commands.add_parser(name, help=f"a service's {name}" + (" or the gateway's" if name == "relay" else ""))
        sub.add_argument("service", choices=parts)
        sub.add_argument("--instance", type=int, help=f"the n-th {name} of the service, in its name only")
    notifier = commands.add_parser("notifier", help="the webhook notifier: consumes every event, sends webhooks")
    notifier.add_argument("--instance", type=int, help="the n-th notifier, in its name only")
    _add_keys_parser(commands)
    _add_users_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "run":
        from erdm.stack import run_stack

        return run_stack()
    if args.command == "migrate":
        from erdm.stack import DATABASES, migrate_all
        from servicekit.config import Settings

        migrate_all(Settings.from_env(), args.services or list(DATABASES))
        return 0
    if args.command in ("keys", "users"):
        from erdm.stack_state import KeyStoreNotFound, key_store_settings

        try:
            settings = key_store_settings()
        except KeyStoreNotFound as refusal:
            print(f"refused: {refusal}", file=sys.stderr)
            return 2
        if args.command == "keys":
            from gateway.cli import run_keys_command

            return run_keys_command(args, settings)
        from gateway.users_cli import run_users_command

        return run_users_command(args, settings)
    instance = getattr(args, "instance", None)
    if instance is not None:
        # Numbered instances tell themselves apart in log lines and in pg_stat_activity: "resources-worker-2".
        what = args.app if args.command == "web" else getattr(args, "service", NOTIFIER)
        os.environ[PROCESS_NAME_VARIABLE] = f"{what}-{args.command}-{instance}"
    from erdm import processes

    if args.command == "web":
        return processes.run_web(args.app, bind=args.bind, instance=instance)
    if args.command == "notifier":
        processes.run_notifier()
        return 0
    (processes.run_worker if args.command == "worker" else processes.run_relay)(args.service)
    return 0


def _add_keys_parser(commands) -> None:
    from gateway.roles import ROLES

    parser = commands.add_parser("keys", help="create, list or revoke gateway API keys (needs no key)")
    sub = parser.add_subparsers(dest="keys_command", required=True)
    create = sub.add_parser("create", help="make a key and print it, this once")
    create.add_argument("--name", required=True, help="who holds it; shown in logs and on ledger rows")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--org", metavar="CODE", help="the organisation it acts for, by code (default: ROOT)")
    create.add_argument("--scope", choices=("own", "subtree"),
                        help="own: that organisation only; subtree: it and all below (default)")
    listing = sub.add_parser("list", help="the live keys, without their secrets")
    listing.add_argument("--all", action="store_true", help="include revoked keys")
    revoke = sub.add_parser("revoke", help="revoke a key by its id: refused at once")
    revoke.add_argument("id")


def _add_users_parser(commands) -> None:
    from gateway.roles import ROLES

    parser = commands.add_parser("users", help="create, list the people who sign in, or set a password (needs no key)")
    sub = parser.add_subparsers(dest="users_command", required=True)
    create = sub.add_parser("create", help="make a person who signs in; the password is asked for")
    create.add_argument("--username", required=True, help="what they sign in with, e.g. zhang.wei")
    create.add_argument("--display-name", required=True, help="the name people read, e.g. 张伟")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--org", metavar="CODE", help="the organisation they act for, by code (default: ROOT)")
    create.add_argument("--scope", choices=("own", "subtree"),
                        help="own: that organisation only; subtree: it and all below (default)")
    passwd = sub.add_parser("passwd", help="give a person a new password; their sessions end at once")
    passwd.add_argument("--username", required=True)
    for command in (create, passwd):
        command.add_argument("--password-stdin", action="store_true",
                             help="read the password from the first line of stdin instead of asking")
    sub.add_parser("list", help="every person, active or not, without their passwords")


if __name__ == "__main__":
    sys.exit(main())
