"""The embedded filesystem broker carries events between real processes: none lost, none twice.

Run as a script (`python test_fstransport.py ROLE JSON`) it plays one side in a child process.
"""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue

from servicekit.fstransport import CORRUPT, PROCESSING, Transport, connection_options

EVENTS = Exchange("erdm.events", type="topic")
RESOURCES = "erdm.resources"
STOCK_CHANGED = "stock.changed"


def connect(folder: str | Path) -> Connection:
    return Connection("filesystem://", transport=Transport, transport_options=connection_options(Path(folder)))


# -- the roles a child process plays ---------------------------------------------------------


def publish(folder: str, count: int = 0, start: int = 0, keys: list[str] | None = None) -> int:
    keys = keys or [STOCK_CHANGED] * count
    with connect(folder) as conn:
        # The producer declares the topic exchange in its own process; see the module docstring.
        producer = Producer(conn.default_channel, exchange=EVENTS)
        for n, key in enumerate(keys, start):
            producer.publish({"n": n, "key": key}, routing_key=key, serializer="json")
    return len(keys)


def bind(folder: str, queue: str, key: str, ready: str | None = None, go: str | None = None) -> str:
    with connect(folder) as conn:
        channel = conn.default_channel
        if ready:
            Path(ready).touch()
            wait_until(Path(go).exists, timeout=10, pause=0.0005)
        Queue(queue, EVENTS, routing_key=key)(channel).declare()
    return queue


def consume(
    folder: str,
    ready: str,
    expect: int = 0,
    stop: str | None = None,
    hold: str | None = None,
    delay: float = 0.0,
    queue: str = RESOURCES,
    key: str = STOCK_CHANGED,
    deadline: float = 10.0,
) -> list[int]:
    """Ack what arrives until `expect` messages came, or `stop` exists and nothing is left.

    With `hold`, write the first message's number there and hang without acking it.
    """
    received: list[int] = []

    def on_message(body: dict[str, Any], message: Any) -> None:
        received.append(body["n"])
        if hold:
            Path(hold).write_text(str(body["n"]))
            time.sleep(60)
        time.sleep(delay)
        message.ack()

    with connect(folder) as conn:
        with Consumer(conn, [Queue(queue, EVENTS, routing_key=key)], callbacks=[on_message], accept=["json"],
                      prefetch_count=1):
            Path(ready).touch()
            end = time.monotonic() + deadline
            while time.monotonic() < end:
                try:
                    conn.drain_events(timeout=0.1)
                except socket.timeout:
                    if (expect and len(received) >= expect) or (stop and Path(stop).exists()):
                        break
    return received


# -- helpers for the tests -------------------------------------------------------------------


def wait_until(condition: Callable[[], Any], timeout: float = 5.0, pause: float = 0.01) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {condition}")
        time.sleep(pause)


@pytest.fixture
def spawn() -> Any:
    """Start a child playing a role; whatever is still running at the end is killed."""
    started: list[subprocess.Popen[str]] = []

    def start(role: str, **kwargs: Any) -> subprocess.Popen[str]:
        args = [sys.executable, __file__, role, json.dumps(kwargs, default=str)]
        started.append(subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        return started[-1]

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def outcome(proc: subprocess.Popen[str], timeout: float = 10.0) -> Any:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    assert "Error" not in err and "Traceback" not in err, err
    return json.loads(out)


def messages_on_disk(folder: Path) -> list[Path]:
    return [*folder.glob("*.msg"), *folder.glob(f"{PROCESSING}/*/*.msg")]


def drain_until(conn: Connection, done: Callable[[], bool], timeout: float = 3.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, "messages did not arrive in time"
        try:
            conn.drain_events(timeout=0.1)
        except socket.timeout:
            pass


# -- the stories -----------------------------------------------------------------------------


@pytest.mark.slow
def test_burst_of_500_from_one_process_reaches_another_complete_in_order_and_once(tmp_path, spawn):
    consumer = spawn("consume", folder=tmp_path, ready=tmp_path / "ready", expect=500)
    wait_until((tmp_path / "ready").exists)

    assert outcome(spawn("publish", folder=tmp_path, count=500)) == 500

    assert outcome(consumer) == list(range(500))
    assert not (tmp_path / CORRUPT).exists()
    assert messages_on_disk(tmp_path) == []


@pytest.mark.slow
def test_two_competing_consumers_share_300_messages_without_duplicate_or_loss(tmp_path, spawn):
    stop = tmp_path / "stop"
    consumers = [
        spawn("consume", folder=tmp_path, ready=tmp_path / f"ready{i}", stop=stop, delay=0.001) for i in (1, 2)
    ]
    wait_until(lambda: all((tmp_path / f"ready{i}").exists() for i in (1, 2)))

    outcome(spawn("publish", folder=tmp_path, count=300))
    wait_until(lambda: not messages_on_disk(tmp_path))  # every message claimed and acked
    stop.touch()

    first, second = (outcome(c) for c in consumers)
    assert sorted(first + second) == list(range(300))
    assert first and second, "both consumers should have taken a share"


@pytest.mark.slow
def test_message_held_by_a_consumer_killed_before_ack_goes_to_the_next_consumer(tmp_path, spawn):
    held = tmp_path / "held"
    victim = spawn("consume", folder=tmp_path, ready=tmp_path / "ready", hold=held)
    wait_until((tmp_path / "ready").exists)
    publish(str(tmp_path), count=3)
    wait_until(lambda: held.exists() and held.read_text())

    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=5)
    claimed = list(tmp_path.glob(f"{PROCESSING}/*/*.msg"))
    assert len(claimed) == 1, "the unacked message stays claimed by the dead consumer"

    heir = spawn("consume", folder=tmp_path, ready=tmp_path / "ready2", expect=3)
    assert sorted(outcome(heir)) == [0, 1, 2]
    assert messages_on_disk(tmp_path) == []
    assert not claimed[0].parent.exists(), "the dead consumer's claim directory is removed"


def test_reject_with_requeue_redelivers_and_reject_without_requeue_drops(tmp_path):
    deliveries: list[tuple[int, Any]] = []
    with connect(tmp_path) as conn:
        queue = Queue(RESOURCES, EVENTS, routing_key=STOCK_CHANGED)
        on_message = lambda body, message: deliveries.append((body["n"], message))  # noqa: E731
        with Consumer(conn, [queue], callbacks=[on_message], accept=["json"], prefetch_count=1):
            publish(str(tmp_path), count=1)
            drain_until(conn, lambda: len(deliveries) == 1)
            deliveries[0][1].reject(requeue=True)
            drain_until(conn, lambda: len(deliveries) == 2)
            assert deliveries[1][0] == 0, "the rejected message comes back"
            assert len(messages_on_disk(tmp_path)) == 1, "requeued by moving the file, not by copying it"

            deliveries[1][1].reject(requeue=False)
            with pytest.raises(socket.timeout):
                conn.drain_events(timeout=0.3)
    assert messages_on_disk(tmp_path) == []


def test_corrupt_file_is_moved_aside_and_good_messages_still_arrive(tmp_path, caplog):
    received: list[int] = []
    junk = {"half": b'{"body": "eyJuIjog', "binary": b"\xff\xfe\x00", "not-a-message": b"[]"}
    with connect(tmp_path) as conn:
        queue = Queue(RESOURCES, EVENTS, routing_key=STOCK_CHANGED)
        on_message = lambda body, message: (received.append(body["n"]), message.ack())  # noqa: E731
        with Consumer(conn, [queue], callbacks=[on_message], accept=["json"]):
            publish(str(tmp_path), count=1)
            # Named to sort between the two good messages, as a crashed non-atomic writer leaves them.
            for name, content in junk.items():
                (tmp_path / f"{time.time_ns():020d}-1-{name}.{RESOURCES}.msg").write_bytes(content)
            publish(str(tmp_path), count=1, start=1)
            drain_until(conn, lambda: len(received) == 2)

    assert received == [0, 1]
    assert {p.name.split("-", 2)[2] for p in (tmp_path / CORRUPT).iterdir()} == {f"{n}.{RESOURCES}.msg" for n in junk}
    assert caplog.text.count("moved undecodable message") == 3
    assert messages_on_disk(tmp_path) == []


@pytest.mark.slow
def test_pattern_binding_declared_in_one_process_routes_what_another_publishes(tmp_path, spawn):
    outcome(spawn("bind", folder=tmp_path, queue="erdm.plans", key="reservation.*"))
    keys = ["reservation.made", STOCK_CHANGED, "reservation.made.late", "reservation.released"]
    outcome(spawn("publish", folder=tmp_path, keys=keys))

    received: list[str] = []
    with connect(tmp_path) as conn:
        queue = Queue("erdm.plans", EVENTS, routing_key="reservation.*", no_declare=True)
        on_message = lambda body, message: (received.append(body["key"]), message.ack())  # noqa: E731
        with Consumer(conn, [queue], callbacks=[on_message], accept=["json"]):
            drain_until(conn, lambda: len(received) == 2)
            with pytest.raises(socket.timeout):
                conn.drain_events(timeout=0.2)
    assert received == ["reservation.made", "reservation.released"]


@pytest.mark.slow
def test_services_declaring_bindings_at_the_same_moment_keep_them_all(tmp_path, spawn):
    go = tmp_path / "go"
    binders = [
        spawn("bind", folder=tmp_path, queue=f"erdm.q{i}", key=f"k{i}.*", ready=tmp_path / f"ready{i}", go=go)
        for i in range(4)
    ]
    wait_until(lambda: all((tmp_path / f"ready{i}").exists() for i in range(4)))
    go.touch()
    for binder in binders:
        outcome(binder)

    with connect(tmp_path) as conn:
        assert sorted(b.queue for b in conn.default_channel.get_table(EVENTS.name)) == [f"erdm.q{i}" for i in range(4)]


if __name__ == "__main__":
    role, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps({"publish": publish, "bind": bind, "consume": consume}[role](**arguments)))
