"""A Python load client (processes × keep-alive connections) for what wrk cannot sign: each write signed afresh
(a service runs a signed write once), receipts and reserve-then-release."""
from __future__ import annotations

import http.client
import json
import multiprocessing
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from servicekit.signing import Actor, sign

ACTOR = Actor(id="bench", name="bench", role="admin")


@dataclass
class Result:
    ops: int
    seconds: float
    failures: int
    p95_ms: float

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    def describe(self, unit: str) -> str:
        return f"{self.rate:,.0f} {unit}/s, p95 {self.p95_ms:.1f} ms" + (f", {self.failures} failed" if self.failures else "")


JSON = {"Content-Type": "application/json"}


def _request(connection, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection.request(method, path, body=body, headers={**JSON, **headers})
    response = connection.getresponse()
    return response.status, response.read()


def _signed(job: dict, path: str, body: bytes) -> dict[str, str]:
    return sign(job["secret"], "POST", path, ACTOR, body=body, headers=JSON)


def _bare_op(connection, _job: dict) -> bool:
    status, _ = _request(connection, "POST", "/rows", b'{"n": 1}', {})
    return status == 201


def _reserve_release_op(connection, job: dict) -> bool:
    body = json.dumps({"reference": "bench", "lines": [{"item_id": job["item_id"], "quantity": 1}]}).encode()
    path = "/api/v1/reservations"
    status, answer = _request(connection, "POST", path, body, _signed(job, path, body))
    if status != 201:
        return False
    path = f"/api/v1/reservations/{json.loads(answer)['id']}/release"
    body = b"{}"
    status, _ = _request(connection, "POST", path, body, _signed(job, path, body))
    return status == 200


def _receipt_op(connection, job: dict) -> bool:
    body = json.dumps({"warehouse_id": job["warehouse_id"], "item_id": job["item_id"], "quantity": 1}).encode()
    path = "/api/v1/stock/receipts"
    status, _ = _request(connection, "POST", path, body, _signed(job, path, body))
    return status == 201


OPS = {"bare_insert": _bare_op, "reserve_release": _reserve_release_op, "receipt": _receipt_op}


def _worker(job: dict) -> tuple[int, int, list[float]]:
    parts = urlsplit(job["base"])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    op, ok, failed, latencies = OPS[job["op"]], 0, 0, []
    deadline, limit = time.monotonic() + job["seconds"], job["max_ops"]
    while time.monotonic() < deadline and ok + failed < limit:
        started = time.perf_counter()
        try:
            success = op(connection, job)
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            success = False
            connection.close()
        latencies.append(time.perf_counter() - started)
        ok, failed = ok + success, failed + (not success)
    connection.close()
    return ok, failed, latencies


def run(op: str, base: str, *, processes: int = 8, seconds: float = 5.0, max_ops: int = 200_000, **job) -> Result:
    """`processes` clients each on one keep-alive connection, for at most `seconds` and `max_ops` each."""
    jobs = [{"op": op, "base": base, "seconds": seconds, "max_ops": max_ops, **job} for _ in range(processes)]
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_worker, jobs)
    elapsed = time.monotonic() - started
    latencies = sorted(value for _, _, values in results for value in values)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0
    return Result(sum(r[0] for r in results), elapsed, sum(r[1] for r in results), p95)
