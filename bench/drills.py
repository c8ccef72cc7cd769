"""Drill scheduled → `ready` at the gateway, and its baseline: a bare kombu round trip on the same transport."""
from __future__ import annotations

import multiprocessing
import time
import uuid
from pathlib import Path

from kombu import Consumer, Exchange, Producer, Queue

from bench.fixtures import World, client, drill_body, ok
from services.drills.domain.lifecycle import PENDING_RESOURCES, READY
from servicekit import bus


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def drill_ready_ms(base: str, world: World, *, count: int = 100, budget_seconds: float = 90.0) -> tuple[list[float], int]:
    """Milliseconds from the 201 of POST /drills to GET /drills/{id} saying `ready`, polled every 5 ms."""
    times, failed = [], 0
    deadline = time.monotonic() + budget_seconds
    with client(base) as api:
        for n in range(count):
            if time.monotonic() > deadline:
                break
            drill = ok(api.post("/drills", json=drill_body(world, n)), 201)
            scheduled = time.perf_counter()
            give_up = time.monotonic() + 10
            while time.monotonic() < give_up:
                status = api.get(f"/drills/{drill['id']}").json()["status"]
                if status != PENDING_RESOURCES:
                    break
                time.sleep(0.005)
            if status == READY:
                times.append((time.perf_counter() - scheduled) * 1000)
            else:
                failed += 1
    return times, failed


def _connection(url: str, folder: Path | None):
    return bus.connect(url, folder=folder)


def _echo(url: str, folder: Path | None, tag: str, rounds: int) -> None:
    """The far end: consume each ping and publish it back as a pong."""
    exchange = Exchange(f"bench.{tag}", type="topic", durable=False)
    with _connection(url, folder) as connection:
        channel = connection.channel()
        producer = Producer(channel, exchange=exchange)
        seen = {"n": 0}

        def on_ping(body, message) -> None:
            producer.publish(body, routing_key="pong", declare=[exchange])
            message.ack()
            seen["n"] += 1

        queue = Queue(f"bench.{tag}.ping", exchange, routing_key="ping", durable=False)
        with Consumer(channel, [queue], callbacks=[on_ping]):
            deadline = time.monotonic() + 60
            while seen["n"] < rounds and time.monotonic() < deadline:
                try:
                    connection.drain_events(timeout=1)
                except TimeoutError:
                    pass
                except OSError:
                    time.sleep(0.01)


def kombu_round_trip_ms(url: str, *, folder: Path | None = None, rounds: int = 100) -> list[float]:
    """Publish → another process consumes and publishes back → consumed here, `rounds` times (each bounded)."""
    tag = uuid.uuid4().hex[:8]
    exchange = Exchange(f"bench.{tag}", type="topic", durable=False)
    times: list[float] = []
    with _connection(url, folder) as connection:
        channel = connection.channel()
        ping = Queue(f"bench.{tag}.ping", exchange, routing_key="ping", durable=False)
        pong = Queue(f"bench.{tag}.pong", exchange, routing_key="pong", durable=False)
        for queue in (ping, pong):
            queue.bind(channel).declare()
        echo = multiprocessing.get_context("fork").Process(target=_echo, args=(url, folder, tag, rounds + 5), daemon=True)
        echo.start()
        try:
            got: list[float] = []
            producer = Producer(channel, exchange=exchange)
            with Consumer(channel, [pong], callbacks=[lambda body, message: (got.append(time.perf_counter()),
                                                                            message.ack())]):
                time.sleep(0.5)  # the echo process is consuming
                for n in range(rounds + 5):  # the first five warm up
                    got.clear()
                    sent = time.perf_counter()
                    producer.publish({"n": n}, routing_key="ping", declare=[exchange])
                    deadline = time.monotonic() + 5
                    while not got and time.monotonic() < deadline:
                        try:
                            connection.drain_events(timeout=0.5)
                        except TimeoutError:
                            pass
                    if got and n >= 5:
                        times.append((got[0] - sent) * 1000)
        finally:
            echo.join(timeout=5)
            if echo.is_alive():
                echo.kill()
            for queue in (ping, pong):
                try:
                    queue.bind(channel).delete()
                except Exception:  # best effort: the filesystem transport keeps them as files in a temp folder
                    pass
    return times
