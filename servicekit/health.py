"""`/healthz` (the process answers) and `/readyz` (its database, broker and workers are there)."""
from __future__ import annotations

import logging
import time
from typing import Callable

from flask import Flask, jsonify

from servicekit.db import Database
from servicekit.heartbeat import live_kinds
from servicekit.problems import problem

log = logging.getLogger("erdm.health")


def install_health(app: Flask, *, database: Database, broker_check: Callable[[], None] | None,
                   required_kinds: tuple[str, ...] = ("worker", "relay")) -> None:
    cache: dict[str, float] = {"broker_ok_until": 0.0}

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        checks: dict[str, str] = {}
        try:
            database.ping()
            checks["database"] = "ok"
            with database.session(readonly=True) as session:
                live = live_kinds(session)
            for kind in required_kinds:
                checks[kind] = "ok" if live.get(kind) else "no live process"
        except Exception as exc:  # noqa: BLE001 - readiness reports, it does not raise
            checks["database"] = f"unreachable: {type(exc).__name__}"
        if broker_check is not None:
            # A broker round trip per probe would be costly; a success is trusted for a few seconds.
            if time.monotonic() < cache["broker_ok_until"]:
                checks["broker"] = "ok"
            else:
                try:
                    broker_check()
                    checks["broker"] = "ok"
                    cache["broker_ok_until"] = time.monotonic() + 5
                except Exception as exc:  # noqa: BLE001
                    checks["broker"] = f"unreachable: {type(exc).__name__}"
        failing = sorted(name for name, state in checks.items() if state != "ok")
        if failing:
            return problem(503, "Not ready: " + ", ".join(f"{name} {checks[name]}" for name in failing), checks=checks)
        return jsonify(status="ready", checks=checks)
