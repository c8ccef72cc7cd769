"""The measurements, one function per figure, each bounded in count and time."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

from bench import drills, procs, pyload, wrk
from bench.fixtures import World
from bench.report import Figure
from contracts import catalogue
from servicekit.signing import Actor, sign

ACTOR = Actor(id="bench", name="bench", role="admin")
SECONDS = 3
# A ratio's two sides run in turn, ROUNDS times each: this VM's speed drifts by 2-3x within minutes,
# and a drift between one long run of each side would land in the ratio whole.
ROUNDS = 3
R = TypeVar("R")


def alternating(this: Callable[[], R], baseline: Callable[[], R], rate: Callable[[R], float]) -> tuple[float, R, R, str]:
    """The median of the rounds' this/baseline ratios, that round's two results, and every round's ratio."""
    rounds = []
    for _ in range(ROUNDS):
        base_result = baseline()
        this_result = this()
        rounds.append((rate(this_result) / rate(base_result), this_result, base_result))
    rounds.sort(key=lambda round_: round_[0])
    ratio, this_result, base_result = rounds[len(rounds) // 2]
    return ratio, this_result, base_result, ", ".join(f"{r[0]:.3f}" for r in rounds)


def service_url(env: dict[str, str], service: str = catalogue.RESOURCES) -> str:
    return f"http://127.0.0.1:{int(env['ERDM_PORT']) + catalogue.service(service).port_offset}"


def signed(method: str, target: str, body: bytes = b"") -> dict[str, str]:
    """Signed right before each run: the signature is valid 60 s and runs last 5. Only reads may send one
    signature again and again (wrk does); a service runs a signed write once (bench/pyload.py signs each)."""
    return sign(procs.INTERNAL_SECRET, method, target, ACTOR, body=body)


def stock_p95(env: dict[str, str], item_id: str, seconds: int = 3) -> wrk.Result:
    """GET /stock for one item, one connection at a time, direct to the resources service."""
    target = f"/api/v1/stock?item_id={item_id}"
    return wrk.run(service_url(env) + target, headers=signed("GET", target), threads=1, connections=1, seconds=seconds)


def gateway_overhead(base: str, env: dict[str, str], world: World) -> Figure:
    target = f"/api/v1/stock?item_id={world.item_id}"
    auth = {"Authorization": f"Bearer {procs.ADMIN_KEY}"}
    wrk.run(base + target, headers=auth, seconds=1)  # warm both paths up
    wrk.run(service_url(env) + target, headers=signed("GET", target), seconds=1)
    ratio, through, direct, rounds = alternating(
        lambda: wrk.run(base + target, headers=auth, seconds=SECONDS),
        lambda: wrk.run(service_url(env) + target, headers=signed("GET", target), seconds=SECONDS),
        lambda result: result.rps)
    return Figure("gateway_overhead_ratio", ratio, "ratio", direct.rps,
                  f"GET /api/v1/stock?item_id=…, wrk -t2 -c16 -d{SECONDS}s, direct and through the gateway in turn "
                  f"{ROUNDS} times (ratios {rounds}; the median round shown). Through the gateway: {through.describe()}; "
                  f"direct to resources (signed): {direct.describe()}. Baseline = direct req/s.", ">= 0.5")


def receipts_vs_bare(env: dict[str, str], world: World, bare_base: str) -> tuple[Figure, pyload.Result]:
    # Python clients, not wrk: a service runs a signed write once, so each receipt is signed afresh.
    pyload.run("bare_insert", bare_base, seconds=1)
    ratio, receipts, bare, rounds = alternating(
        lambda: pyload.run("receipt", service_url(env), seconds=SECONDS, warehouse_id=world.warehouse_id,
                           item_id=world.item_id, secret=procs.INTERNAL_SECRET),
        lambda: pyload.run("bare_insert", bare_base, seconds=SECONDS),
        lambda result: result.rate)
    figure = Figure("receipt_vs_bare_insert_ratio", ratio, "ratio", bare.rate,
                    f"POST /api/v1/stock/receipts direct to resources, each signed afresh (bench/pyload.py, 8 "
                    f"keep-alive clients, {SECONDS}s), in turn with the bare insert {ROUNDS} times (ratios {rounds}; "
                    f"the median round shown): {receipts.describe('receipts')}; bare Flask insert (bench/bare_app.py, "
                    f"same SQLite pragmas, same gunicorn config, same clients): {bare.describe('inserts')}. "
                    "Baseline = bare inserts/s.", ">= 0.5")
    return figure, bare


def reservations_vs_bare(env: dict[str, str], world: World, bare_base: str) -> Figure:
    pyload.run("bare_insert", bare_base, seconds=1)
    ratio, cycles, bare, rounds = alternating(
        lambda: pyload.run("reserve_release", service_url(env), seconds=SECONDS, item_id=world.item_id,
                           secret=procs.INTERNAL_SECRET),
        lambda: pyload.run("bare_insert", bare_base, seconds=SECONDS),
        lambda result: result.rate)
    return Figure("reservation_vs_bare_insert_ratio", ratio, "ratio", bare.rate,
                  f"One reservation = POST /reservations (1 unit) then POST /reservations/{{id}}/release, direct to "
                  f"resources, signed per request, bench/pyload.py 8 processes × 1 keep-alive connection, {SECONDS} s, "
                  f"in turn with the bare insert {ROUNDS} times (ratios {rounds}; the median round shown): "
                  f"{cycles.describe('reservations')}; bare insert with the same client: {bare.describe('inserts')}. "
                  "Baseline = bare inserts/s (one request each, a reservation is two).", ">= 0.4")


def drill_ready(name: str, base: str, world: World, transport: str, kombu_url: str, folder: Path | None,
                count: int, target: str) -> Figure:
    times, failed = drills.drill_ready_ms(base, world, count=count)
    trips = drills.kombu_round_trip_ms(kombu_url, folder=folder, rounds=100)
    median = sorted(times)[len(times) // 2] if times else float("nan")
    return Figure(name, drills.p95(times), "ms", drills.p95(trips),
                  f"{len(times)} drills on {transport}, each POST /api/v1/drills (needing 1 unit, approved plan) then "
                  f"GET /drills/{{id}} every 5 ms until `ready`, from the 201: median {median:.0f} ms, max "
                  f"{max(times, default=float('nan')):.0f} ms" + (f", {failed} not ready within 10 s" if failed else "")
                  + f". Baseline = p95 of {len(trips)} bare kombu round trips (publish → consumer in another process "
                  f"publishes back → consumed) on the same transport.", target)
