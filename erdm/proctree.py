"""Running the stack from another program (tests, the bench): free ports, its process tree, stopping all of it."""
from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
from pathlib import Path

from contracts.catalogue import GATEWAY, SERVICES


# Settings a developer's shell may carry that would point a stack started from a test or the bench
# away from what that caller chose (its own databases, broker, instances, ports, secret): every
# service's database and address, from the catalogue, and the gateway's key store.
_PARTS = (*(service.name for service in SERVICES), GATEWAY)
SHELL_SETTINGS = ("ERDM_BROKER_URL", *(f"ERDM_{part.upper()}_DATABASE_URL" for part in _PARTS),
                  *(f"ERDM_{service.name.upper()}_URL" for service in SERVICES),
                  "ERDM_RATE_LIMIT_STORAGE_URL", "ERDM_INTERNAL_SECRET", "ERDM_INSTANCES", "ERDM_METRICS_PORT")


def _ephemeral_ports() -> range:
    """The ports the kernel hands out as source ports of outgoing connections."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


def free_port_block(size: int) -> int:
    """A base port with `size` consecutive free ports on 127.0.0.1 (a whole stack takes erdm.stack.port_span).

    Outside the ephemeral range: a port found free there can be taken, between this check and the
    stack's listen, by any outgoing connection (to PostgreSQL, to RabbitMQ), and a stack spans ~110.
    """
    ephemeral = _ephemeral_ports()
    candidates = [base for base in range(10000, 65536 - size, size)
                  if base + size <= ephemeral.start or base >= ephemeral.stop]
    for _ in range(50):
        base, sockets = random.choice(candidates), []
        try:
            for offset in range(size):
                sockets.append(socket.socket())
                sockets[-1].bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free block of ports")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def descendants(pid: int) -> set[int]:
    found, stack = set(), [pid]
    while stack:
        for child in children(stack.pop()):
            found.add(child)
            stack.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def stop_tree(process: subprocess.Popen, *, timeout: float = 10.0) -> None:
    """SIGTERM the process (its own shutdown stops its children), then SIGKILL whatever of its tree is left."""
    tree = descendants(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)  # in case it was left stopped
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pid in tree:  # only processes this tree started
        if running(pid):
            os.kill(pid, signal.SIGKILL)
