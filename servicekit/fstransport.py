"""kombu's filesystem transport made safe to carry events between processes on one machine.

Use ``Connection("filesystem://", transport=Transport, transport_options=connection_options(F))``.
Changes from ``kombu.transport.filesystem``, with one folder ``F`` for data in and out:
- ``_put`` writes ``F/.<name>.tmp`` and renames it into place, so no reader sees half a message;
  names start with wall-clock nanoseconds (strictly increasing per process): list order is publish order.
- ``_get`` claims a message by renaming it into ``F/processing/<pid>-<hex>/``, whose ``owner.lock`` the
  channel holds with ``flock`` while it lives. Ack deletes the file; reject(requeue), recover and close
  rename it back. Consumers sweep (at start, then every ``RECOVER_EVERY`` s) the claim directories whose
  lock is free, i.e. whose owner died, back into ``F``. Nothing is lost to a crash, but what a dead
  consumer handled without acking comes again: handlers must be idempotent.
- A file that does not decode goes to ``F/corrupt/`` with a warning instead of killing ``drain_events``.
- Bindings stay in ``<control_folder>/<exchange>.exchange`` but are never truncated by a concurrent
  declare, and the in-memory broker state is per folder, not per process.

The exchange TYPE is not shared between processes: a publisher must declare the exchange
(``Exchange("erdm.events", type="topic")``) in its own process, or it is taken as ``direct`` and a
binding such as ``reservation.*`` matches nothing. Do not fork a process with an open consuming
channel: the child inherits the lock, and the parent's claims are not recovered until both exit.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import uuid
from contextlib import suppress
from pathlib import Path
from queue import Empty
from typing import IO, Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.json import dumps, loads

from servicekit.private_files import FOLDER_MODE, open_private, private_folder

log = logging.getLogger(__name__)

PROCESSING = "processing"
CORRUPT = "corrupt"
LOCK_NAME = "owner.lock"
# How often a running consumer looks for a dead peer's messages; a new consumer looks at once.
RECOVER_EVERY = 5.0

_sequence_lock = threading.Lock()
_last_ns = 0


def _next_sequence() -> int:
    """Nanoseconds since the epoch, forced strictly increasing within this process."""
    global _last_ns
    with _sequence_lock:
        _last_ns = max(time.time_ns(), _last_ns + 1)
        return _last_ns


def connection_options(folder: Path, polling_interval: float = 0.01) -> dict[str, Any]:
    """Transport options for a broker kept in `folder` (created if missing; 0700, as messages name people)."""
    folder = Path(folder)
    control = folder / "control"
    private_folder(folder)
    private_folder(control)
    return {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(control),
            "polling_interval": polling_interval}


def _table(raw: bytes) -> list[filesystem.exchange_queue_t]:
    # Empty while a binder that just created the file has not written it yet.
    return [filesystem.exchange_queue_t(*b) for b in loads(raw)] if raw.strip() else []


class Channel(filesystem.Channel):
    """Filesystem channel whose messages stay on disk, claimed by this channel, until acked."""

    def __init__(self, connection: Any, **kwargs: Any) -> None:
        super().__init__(connection, **kwargs)
        self._claimed: dict[str, Path] = {}  # delivery tag -> file in our claim directory
        self._pending: dict[str, list[str]] = {}  # queue -> names from the last listing, newest first
        self._no_ack: set[str] = set()
        self._claim_dir: Path | None = None
        self._lock_file: IO[bytes] | None = None
        self._next_sweep = 0.0

    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:
        name = f"{_next_sequence():020d}-{os.getpid()}-{uuid.uuid4().hex}.{queue}.msg"
        folder = Path(self.data_folder_out)
        # The leading dot and the .tmp suffix keep the file out of every reader's listing.
        tmp = folder / f".{name}.tmp"
        try:
            with open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL) as f:
                f.write(dumps(payload).encode())
            os.rename(tmp, folder / name)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add message {name!r} to {folder}") from exc

    def _claims(self) -> Path:
        """This channel's claim directory, made on first use; sweeps for orphans when due."""
        if self._claim_dir is None:
            root = Path(self.data_folder_in) / PROCESSING
            root.mkdir(mode=FOLDER_MODE, exist_ok=True)
            name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
            # Built under a dot-name and renamed once locked, so no sweeper ever sees it unlocked.
            staging = root / f".{name}"
            staging.mkdir(mode=FOLDER_MODE)
            self._lock_file = open_private(staging / LOCK_NAME, os.O_WRONLY | os.O_CREAT)
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._claim_dir = root / name
            os.rename(staging, self._claim_dir)
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + RECOVER_EVERY
            self.recover_orphans()
        return self._claim_dir

    def recover_orphans(self) -> int:
        """Return to their queues the messages claimed by consumers that died; count them."""
        root = Path(self.data_folder_in) / PROCESSING
        recovered = 0
        with suppress(FileNotFoundError), os.scandir(root) as entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_dir():
                    continue
                try:
                    lock_file = open(Path(entry.path, LOCK_NAME), "rb")
                except FileNotFoundError:
                    continue  # being removed by its owner or another sweeper
                with lock_file:
                    try:
                        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # its owner is alive
                    recovered += self._release_all(Path(entry.path))
        if recovered:
            log.warning("recovered %d unacked message(s) of dead consumers in %s", recovered, root)
        return recovered

    def _release_all(self, claim_dir: Path) -> int:
        """Move every message of `claim_dir` back to its queue, then remove the directory."""
        try:
            names = os.listdir(claim_dir)
        except FileNotFoundError:
            return 0
        released = sum(self._requeue(claim_dir / n) for n in names if n.endswith(".msg"))
        # Lock file last: while it exists, other sweepers wait on it instead of racing us.
        (claim_dir / LOCK_NAME).unlink(missing_ok=True)
        with suppress(OSError):
            claim_dir.rmdir()
        return released

    def _requeue(self, claimed: Path) -> bool:
        try:
            # Same name, so it sorts where it was published: the front of the queue.
            os.rename(claimed, Path(self.data_folder_in) / claimed.name)
            return True
        except FileNotFoundError:
            return False

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        claims = self._claims()
        folder = Path(self.data_folder_in)
        pending = self._pending.get(queue)
        if not pending:
            wanted = f"{queue}.msg"
            names = (n for n in os.listdir(folder) if not n.startswith(".") and n.partition(".")[2] == wanted)
            # Reused until drained so a burst costs one listing, not one per message.
            pending = self._pending[queue] = sorted(names, reverse=True)
        while pending:
            name = pending.pop()
            claimed = claims / name
            try:
                os.rename(folder / name, claimed)
            except FileNotFoundError:
                continue  # a competing consumer claimed it first
            payload = self._read(claimed)
            if payload is None:
                continue
            if queue in self._no_ack:
                claimed.unlink()
            else:
                # The publish-time tag is shared by every queue a fanout reached; a tag per
                # delivery keeps two copies consumed on one channel apart, as AMQP does.
                tag = uuid.uuid4().hex
                payload["properties"]["delivery_tag"] = tag
                self._claimed[tag] = claimed
            return payload
        raise Empty()

    def _read(self, claimed: Path) -> dict[str, Any] | None:
        """The message in `claimed`, or None once a file that is no message is moved aside."""
        raw = claimed.read_bytes()
        try:
            payload = loads(raw)
            if isinstance(payload, dict) and isinstance(payload.get("properties"), dict):
                return payload
        except Exception:  # noqa: BLE001 - whatever fails to decode must not stop the consumer
            pass
        corrupt = Path(self.data_folder_in) / CORRUPT
        corrupt.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.rename(claimed, corrupt / claimed.name)
        log.warning("moved undecodable message %s (%d bytes) to %s", claimed.name, len(raw), corrupt)
        return None

    def basic_consume(self, queue: str, no_ack: bool, *args: Any, **kwargs: Any) -> Any:
        if no_ack:
            self._no_ack.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_cancel(self, consumer_tag: str) -> Any:
        self._no_ack.discard(self._tag_to_queue.get(consumer_tag))
        return super().basic_cancel(consumer_tag)

    def basic_get(self, queue: str, no_ack: bool = False, **kwargs: Any) -> Any:
        message = super().basic_get(queue, no_ack, **kwargs)
        if message is not None and no_ack:
            self._drop(message.delivery_tag)
        return message

    def basic_ack(self, delivery_tag: str, multiple: bool = False) -> None:
        super().basic_ack(delivery_tag, multiple)
        self._drop(delivery_tag)

    def basic_reject(self, delivery_tag: str, requeue: bool = False) -> None:
        super().basic_reject(delivery_tag, requeue)  # a requeue has gone through _restore already
        self._drop(delivery_tag)

    def _drop(self, delivery_tag: str) -> None:
        claimed = self._claimed.pop(delivery_tag, None)
        if claimed is not None:
            claimed.unlink(missing_ok=True)

    def _restore(self, message: Any) -> None:
        # Reached by reject(requeue=True), recover() and close(): move the file back, no second copy.
        claimed = self._claimed.pop(message.delivery_tag, None)
        if claimed is None:
            super()._restore(message)
        else:
            self._requeue(claimed)

    def close(self) -> None:
        super().close()  # restores the unacked messages it knows of
        if self._claim_dir is not None:
            self._release_all(self._claim_dir)  # and anything left, even with restore disabled
            self._claimed.clear()
            self._lock_file.close()
            self._claim_dir = self._lock_file = None

    def get_table(self, exchange: str) -> list[filesystem.exchange_queue_t]:
        try:
            with self._exchange_file(exchange).open("rb") as f:
                fcntl.flock(f, fcntl.LOCK_SH)
                return _table(f.read())
        except FileNotFoundError:
            return []

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str, queue: str) -> None:
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self.control_folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        # O_CREAT without O_TRUNC: a concurrent binder's table is read under the lock, never wiped.
        with open_private(self._exchange_file(exchange), os.O_RDWR | os.O_CREAT) as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            table = _table(f.read())
            if binding not in table:
                table.insert(0, binding)
                f.seek(0)
                f.write(dumps(table).encode())
                f.truncate()


class Transport(filesystem.Transport):
    """Filesystem transport with atomic writes, claimed-until-ack messages and crash recovery."""

    Channel = Channel
    # A broker in a folder has no host. Stock kombu's default ("localhost") only made every connection
    # that describes itself (a clone, a pool) warn "No hostname was supplied".
    default_connection_params: dict[str, Any] = {}
    # Stock kombu keeps one in-memory state per process, so a binding made for one broker folder
    # counts as made for any other and is never written there: keep one state per folder.
    _states: dict[str, virtual.BrokerState] = {}

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        folder = os.path.realpath(client.transport_options.get("data_folder_in", "data_in"))
        self.state = self._states.setdefault(folder, virtual.BrokerState())
