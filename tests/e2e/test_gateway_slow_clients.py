"""The public door stays responsive while 200 slow clients trickle their headers and bodies at the real gateway."""
from __future__ import annotations

import socket
import statistics
import threading
import time

import httpx
import pytest

from tests.e2e.gatewayrun import ADMIN_KEY, gateway_process

pytestmark = pytest.mark.slow

HEADER_TRICKLERS = 190
BODY_TRICKLERS = 10  # with a valid key, so their bodies are read by the app
TRICKLE_SECONDS = 0.5  # one byte per connection this often
PROBES = 100
PROBE_TIMEOUT = 3.0
MEASURE_FOR_AT_MOST = 40.0  # seconds; a probe that never ran counts as one that timed out


class Trickler:
    """Keeps `count` connections open that each send one byte every TRICKLE_SECONDS, reopening any the
    gateway closes, until stopped; one thread, so the load is bounded whatever happens."""

    def __init__(self, port: int, opening: bytes, count: int) -> None:
        self.port, self.opening, self.count = port, opening, count
        self.sockets: list[socket.socket | None] = [None] * count
        self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            sock.sendall(self.opening)
            sock.setblocking(False)
            return sock
        except OSError:
            return None

    def _drip(self, index: int) -> None:
        sock = self.sockets[index]
        try:
            if sock is not None:
                sock.send(b"x")
                return
        except BlockingIOError:
            return  # the gateway is not reading: exactly what a slow client wants
        except OSError:
            sock.close()
            self.reopened += 1
        self.sockets[index] = self._open()

    def _run(self) -> None:
        while not self._stop.is_set():
            for index in range(self.count):
                if self._stop.is_set():
                    break
                self._drip(index)
            self._stop.wait(TRICKLE_SECONDS)

    def __enter__(self) -> "Trickler":
        self.sockets = [self._open() for _ in range(self.count)]
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in self.sockets:
            if sock is not None:
                sock.close()

    @property
    def open_now(self) -> int:
        return sum(sock is not None for sock in self.sockets)


def _probe_healthz(base: str) -> list[float]:
    """Seconds each /healthz took (a fresh connection each), PROBE_TIMEOUT for one that failed or never ran."""
    latencies, deadline = [], time.monotonic() + MEASURE_FOR_AT_MOST
    while len(latencies) < PROBES and time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            ok = httpx.get(f"{base}/healthz", timeout=PROBE_TIMEOUT).status_code == 200
        except httpx.HTTPError:
            ok = False
        latencies.append(time.perf_counter() - started if ok else PROBE_TIMEOUT)
        time.sleep(0.05)
    return latencies + [PROBE_TIMEOUT] * (PROBES - len(latencies))


def test_healthz_answers_within_a_second_while_200_slow_clients_trickle(tmp_path):
    with gateway_process(tmp_path, ERDM_WEB_WORKERS="2", ERDM_RATE_LIMIT="100000/minute") as base:
        port = int(base.rsplit(":", 1)[1])
        headers = b"GET /api/v1/items HTTP/1.1\r\nHost: gateway\r\nX-Slow: "
        body = (f"POST /api/v1/stock/receipts HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer {ADMIN_KEY}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{").encode()
        with Trickler(port, headers, HEADER_TRICKLERS) as slow_headers, Trickler(port, body, BODY_TRICKLERS) as slow_bodies:
            time.sleep(2 * TRICKLE_SECONDS)  # every slow connection accepted and trickling
            open_before = slow_headers.open_now + slow_bodies.open_now
            latencies = sorted(_probe_healthz(base))
        p50 = statistics.median(latencies)
        p99 = latencies[int(0.99 * len(latencies)) - 1]
        print(f"\n/healthz under {HEADER_TRICKLERS} header and {BODY_TRICKLERS} body tricklers "
              f"({open_before} open, {slow_headers.reopened} reopened after the gateway closed them): "
              f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms over {len(latencies)}")
        assert open_before >= 0.95 * (HEADER_TRICKLERS + BODY_TRICKLERS)
        assert p99 < 1.0
