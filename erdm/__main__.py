"""`python -m erdm run|migrate|web|worker|relay`: one command line for every ERDM process."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from erdm.registry import GATEWAY_WSGI_APP, SERVICES

GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="erdm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="the whole stack in the foreground (make run)")
    migrate = commands.add_parser("migrate", help="apply Alembic migrations")
    migrate.add_argument("services", nargs="*", default=list(SERVICES))
    web = commands.add_parser("web", help="a web process under gunicorn")
    web.add_argument("app", choices=["gateway", *SERVICES])
    web.add_argument("--bind", help="host:port (default from ERDM_PORT)")
    for name in ("worker", "relay"):
        sub = commands.add_parser(name, help=f"a service's {name}")
        sub.add_argument("service", choices=list(SERVICES))
    args = parser.parse_args(argv)

    if args.command == "run":
        from erdm.stack import run_stack

        return run_stack()
    if args.command == "migrate":
        from erdm.stack import migrate_all
        from servicekit.config import Settings

        migrate_all(Settings.from_env(), args.services)
        return 0
    if args.command == "web":
        from servicekit.config import Settings

        settings = Settings.from_env()
        port = settings.port if args.app == "gateway" else settings.service_port(args.app)
        target = GATEWAY_WSGI_APP if args.app == "gateway" else SERVICES[args.app].wsgi_app
        os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG),
                                  "--bind", args.bind or f"127.0.0.1:{port}", "--name", f"erdm-{args.app}", target])
    from erdm import processes

    (processes.run_worker if args.command == "worker" else processes.run_relay)(args.service)
    return 0


if __name__ == "__main__":
    sys.exit(main())
