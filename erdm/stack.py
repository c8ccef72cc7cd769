"""`make run`: migrate, start every ERDM process on the embedded default, supervise, stop them all on a signal."""
from __future__ import annotations

import ctypes
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import httpx

from contracts.catalogue import CONSOLE, GATEWAY, NOTIFIER
from erdm import stack_state
from erdm.registry import SERVICES
from gateway.auth import check_admin_key
from gateway.roles import ROLES
from gateway.users_cli import ADMIN_USERNAME, AdminUser, check_admin_password, ensure_admin
from servicekit.config import Settings, new_secret
from servicekit.db import Database
from servicekit.logs import configure_logging
from servicekit.migrations import upgrade

log = logging.getLogger("erdm.stack")

# From ERDM_PORT + 100 on (past the web instances' ports), one port each: the metrics of the gateway,
# then of every worker and relay, the webhook notifier, the gateway's relay last (services' web processes
# answer /metrics on their own ports).
METRICS_PORT_OFFSET = 100
STOP_BUDGET_SECONDS = 8.0  # SIGTERM, then SIGKILL: the whole stack is down within 10 s
READY_TIMEOUT_SECONDS = 90.0
ADMIN_PASSWORD_VARIABLE = "ERDM_ADMIN_PASSWORD"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: deliver SIGTERM to this process when its parent dies, so nothing outlives `make run`."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)
    abandoned: bool = False
    metrics_port: int | None = None

    def start(self, env: dict[str, str]) -> None:
        if self.metrics_port is not None:
            env = {**env, "ERDM_METRICS_PORT": str(self.metrics_port)}
        self.process = subprocess.Popen(self.argv, env=env, preexec_fn=_die_with_parent)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


# Every database `make run` and `python -m erdm migrate` bring to the latest migration: the
# services' and the gateway's key store.
DATABASES: dict[str, str] = {**{name: spec.package for name, spec in SERVICES.items()}, "gateway": "gateway"}


def migrate_all(settings: Settings, names: Iterable[str]) -> None:
    for name in names:
        url = settings.database_url(name)
        if url.startswith("sqlite:///"):
            os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
        upgrade(DATABASES[name], url)
        log.info("database of %s is at the latest migration", name)


def port_span(instances: int) -> int:
    """How many consecutive ports from ERDM_PORT the stack listens on."""
    # Metrics: the gateway's, each service's workers and relay, the webhook notifier, the gateway's relay.
    return METRICS_PORT_OFFSET + 1 + len(SERVICES) * (instances + 1) + 1 + 1


def _children(instances: int, port: int) -> list[Child]:
    """Per service: `instances` web processes and workers (competing on its queue), one relay; the gateway, the
    webhook notifier (one: the embedded SQLite default sends from one process) and the gateway's relay (the
    organisation directory's outbox)."""
    python = [sys.executable, "-m", "erdm"]
    children = [Child("gateway", python + ["web", "gateway"])]
    for name in SERVICES:
        for kind in ("web", "worker"):
            if instances == 1:
                children.append(Child(f"{name}-{kind}", python + [kind, name]))
            else:
                children += [Child(f"{name}-{kind}-{n}", python + [kind, name, "--instance", str(n)])
                             for n in range(1, instances + 1)]
        children.append(Child(f"{name}-relay", python + ["relay", name]))
    children.append(Child(f"{NOTIFIER}-notifier", python + ["notifier"]))
    children.append(Child(f"{GATEWAY}-relay", python + ["relay", GATEWAY]))
    children.append(Child(f"{CONSOLE}-web", python + ["web", CONSOLE]))  # the pages, behind the gateway's address
    served_elsewhere = [child for child in children if child.name != "gateway" and "-web" not in child.name]
    for number, child in enumerate([children[0], *served_elsewhere]):
        child.metrics_port = port + METRICS_PORT_OFFSET + number
    return children


def _stack_environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["ERDM_DATA_DIR"] = str(settings.data_dir)
    env["ERDM_PORT"] = str(settings.port)
    env.setdefault("ERDM_ADMIN_KEY", settings.admin_key or new_secret())
    env.setdefault("ERDM_INTERNAL_SECRET", settings.internal_secret or new_secret())
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.pop("ERDM_METRICS_PORT", None)  # each child is given its own
    env.pop(ADMIN_PASSWORD_VARIABLE, None)  # used once, here, to make the user admin; no child needs it
    return env


def _wait_ready(url: str, children: list[Child], stopping: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if stopping() or any(child.exited() is not None for child in children):
            return False
        try:
            answer = httpx.get(url, timeout=2)
            # The API answers ready without the console (it must not wait for pages); a person is shown the URL
            # only once the pages answer too.
            if answer.status_code == 200 and answer.json().get("console") in ("ready", "not deployed"):
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def _stop(children: list[Child]) -> None:
    running = [c for c in children if c.process and c.process.poll() is None]
    for child in running:
        child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_BUDGET_SECONDS
    for child in running:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in time; killing it", child.name)
            child.process.kill()
            child.process.wait()


def _admin_user_line(admin: AdminUser | None) -> str:
    """What the banner says of the user admin: its password only when `make run` drew it."""
    if admin is None:
        return ""
    if admin.generated_password:
        said = f"{ADMIN_USERNAME}, password {admin.generated_password} (generated; set {ADMIN_PASSWORD_VARIABLE} " \
               "to choose one)"
    elif admin.created:
        said = f"{ADMIN_USERNAME}, password from {ADMIN_PASSWORD_VARIABLE}"
    else:
        said = f"{ADMIN_USERNAME} (made before, password unchanged; `python -m erdm users passwd --username " \
               f"{ADMIN_USERNAME}` sets one)"
    return f"  admin user: {said}\n"


def _banner(settings: Settings, env: dict[str, str], admin: AdminUser | None = None) -> str:
    url = f"http://127.0.0.1:{settings.port}"
    key = env["ERDM_ADMIN_KEY"]
    generated = "" if settings.admin_key else " (generated for this run; set ERDM_ADMIN_KEY to keep one)"
    return (f"\nERDM is ready.\n  gateway:   {url}\n  admin key: {key}{generated}\n{_admin_user_line(admin)}"
            f"  data:      {settings.data_dir}\n"
            f"  try:       curl -H 'Authorization: Bearer {key}' {url}/api/v1/categories\n"
            f"  console:   {url}/ (sign in as {ADMIN_USERNAME})\n"
            f"  API docs:  {url}/docs\n"
            f"  metrics:   http://127.0.0.1:{settings.port + METRICS_PORT_OFFSET}/metrics (the gateway); "
            "workers and relays on the ports after it\n"
            f"  more keys: {keys_command(settings)}\n"
            f"             (ROLE: {', '.join(ROLES)})\n"
            "Stop with Ctrl-C.\n")


def keys_command(settings: Settings) -> str:
    """The exact command that adds a key to this stack's key store, from any folder and shell."""
    store = (f"ERDM_DATA_DIR={shlex.quote(str(settings.data_dir))}" if not os.environ.get("ERDM_GATEWAY_DATABASE_URL")
             else "ERDM_GATEWAY_DATABASE_URL=\"$ERDM_GATEWAY_DATABASE_URL\"")  # its password is not printed
    return f"{store} {shlex.quote(sys.executable)} -m erdm keys create --name NAME --role ROLE"


def run_stack() -> int:
    _die_with_parent()
    os.umask(0o077)  # the data folder, databases and broker messages, made here or by any child: owner only
    configure_logging("stack")
    settings = Settings.from_env()
    admin_password = os.environ.get(ADMIN_PASSWORD_VARIABLE) or None
    try:
        check_admin_key(settings.admin_key)  # before anything starts: the gateway would refuse it anyway
        check_admin_password(admin_password)
    except ValueError as exc:
        print(f"erdm: the stack will not start: {exc}", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.broker_folder.mkdir(parents=True, exist_ok=True) if settings.broker_url.startswith("filesystem") else None
    migrate_all(settings, DATABASES)
    admin = _ensure_admin_user(settings, admin_password)
    env = _stack_environment(settings)
    children = _children(settings.instances, settings.port)
    stopping = {"signal": None}

    def on_signal(signum, _frame) -> None:
        stopping["signal"] = signum

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    parent = os.getppid()
    for child in children:
        child.start(env)
    # Written down while the stack runs, so `python -m erdm keys` finds its key store without ERDM_DATA_DIR.
    state = stack_state.record(settings, pid=os.getpid())
    try:
        ready = _wait_ready(f"http://127.0.0.1:{settings.port}/readyz", children,
                            stopping=lambda: stopping["signal"] is not None)
        if not ready and stopping["signal"] is None:
            log.error("the stack did not become ready; stopping")
            return 1
        if stopping["signal"] is None:
            print(_banner(settings, env, admin), flush=True)
        while stopping["signal"] is None and os.getppid() == parent:
            for child in children:
                code = child.exited()
                if code is not None and not child.abandoned:
                    _restart(child, code, env)
            time.sleep(0.2)
        return 0
    finally:
        stack_state.forget(state)
        _stop(children)
        log.info("every process stopped")


def _ensure_admin_user(settings: Settings, password: str | None) -> AdminUser:
    database = Database(settings.database_url("gateway"), pool_size=1)
    try:
        return ensure_admin(database, password=password)
    finally:
        database.dispose()


def _restart(child: Child, code: int, env: dict[str, str]) -> None:
    """A crashed process is started again, at most 5 times a minute; then it is left down (readiness says so)
    while the rest of the stack keeps serving."""
    now = time.monotonic()
    child.restarts = [t for t in child.restarts if now - t < 60]
    if len(child.restarts) >= 5:
        log.error("%s keeps exiting (last code %s); no more restarts, see its log lines above", child.name, code)
        child.abandoned = True
        return
    log.warning("%s exited with %s; restarting it", child.name, code)
    child.restarts.append(now)
    child.start(env)
