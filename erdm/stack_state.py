"""Where each running `make run` keeps its data, recorded so `python -m erdm keys` finds it without ERDM_DATA_DIR."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping

from servicekit.config import Settings


@dataclass(frozen=True)
class RunningStack:
    pid: int
    port: int
    data_dir: str
    # The SQLite file holding the gateway's keys; None when ERDM_GATEWAY_DATABASE_URL chose another database
    # (its URL carries a password, so it is never written down here).
    gateway_database: str | None


def state_folder(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user folder of the records (XDG_STATE_HOME/erdm, by default ~/.local/state/erdm)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "erdm"


def record(settings: Settings, *, pid: int, environ: Mapping[str, str] | None = None) -> Path:
    """Write down the stack this process runs; `forget` the returned path when it stops."""
    env = os.environ if environ is None else environ
    url = settings.database_url("gateway")
    sqlite_file = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    stack = RunningStack(pid=pid, port=settings.port, data_dir=str(settings.data_dir),
                         gateway_database=None if env.get("ERDM_GATEWAY_DATABASE_URL") else sqlite_file)
    folder = state_folder(env)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"stack-{settings.port}.json"
    # Written whole under a temporary name, then renamed: a reader never sees half a record.
    partial = path.with_suffix(".tmp")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(asdict(stack), file)
    os.replace(partial, path)
    return path


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def running(environ: Mapping[str, str] | None = None) -> list[RunningStack]:
    """The stacks recorded whose process is still alive (one killed with SIGKILL leaves a stale record)."""
    folder = state_folder(environ)
    stacks = []
    for path in sorted(folder.glob("stack-*.json")) if folder.is_dir() else ():
        try:
            stack = RunningStack(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if _alive(stack.pid):
            stacks.append(stack)
    return stacks


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


class KeyStoreNotFound(Exception):
    """The key store a `python -m erdm keys` command would use cannot be told: it names what to set."""


def key_store_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings whose gateway database holds the keys of the stack the operator means.

    ERDM_DATA_DIR or ERDM_GATEWAY_DATABASE_URL, when set, say it. Otherwise the one running stack, or the
    default store (./var/gateway.db) if it exists; never a new default store, whose keys no stack would
    know (a key that gets 401).
    """
    env = dict(os.environ if environ is None else environ)
    if env.get("ERDM_DATA_DIR") or env.get("ERDM_GATEWAY_DATABASE_URL"):
        return Settings.from_env(env)
    stacks = running(env)
    if len(stacks) > 1:
        listed = "; ".join(f"port {stack.port}: ERDM_DATA_DIR={stack.data_dir}" for stack in stacks)
        raise KeyStoreNotFound(f"{len(stacks)} ERDM stacks are running; set ERDM_DATA_DIR to the one the key is "
                               f"for ({listed}).")
    if stacks:
        [stack] = stacks
        if stack.gateway_database is None:
            raise KeyStoreNotFound(f"The stack running on port {stack.port} keeps its keys in the database that "
                                   "ERDM_GATEWAY_DATABASE_URL names; set it here too.")
        return Settings.from_env({**env, "ERDM_DATA_DIR": stack.data_dir})
    default = Settings.from_env(env)
    if Path(default.database_url("gateway").removeprefix("sqlite:///")).exists():
        return default
    raise KeyStoreNotFound(
        f"No ERDM stack is running and ERDM_DATA_DIR is not set, so there is no key store to add to "
        f"({default.data_dir / 'gateway.db'} does not exist). Set ERDM_DATA_DIR to the data folder of the stack "
        "the key is for (make run prints the exact command), or start the stack first.")
