"""`python -m bench`: start the real stack, measure every figure, stop everything, write bench/report.{md,json}."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from erdm.proctree import free_port_block
from erdm.stack import port_span
from bench import console, depots, ledger, phases, procs, wrk
from bench.fixtures import build
from bench.report import Figure, write
from contracts import catalogue
from contracts.catalogue import subscriptions
from servicekit import bus

LEDGER_ROWS = int(os.environ.get("BENCH_LEDGER_ROWS", "1000000"))
DRILLS = int(os.environ.get("BENCH_DRILLS", "100"))


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def embedded(work: Path) -> list[Figure]:
    """Everything on the embedded default (SQLite files, filesystem broker) in one data folder."""
    data = work / "var"
    env = procs.stack_env(data, free_port_block(port_span(1)))
    procs.migrate(env)
    resources_db = data / "resources.db"
    item_id = ledger.create_item(resources_db)
    ledger.seed(resources_db, item_id, 1000)
    small_rows = ledger.ledger_rows(resources_db)
    figures: list[Figure] = []
    with procs.stack(env, work / "stack.log") as base:
        say(f"stack up at {base}; GET /stock with {small_rows:,} ledger rows")
        small = phases.stock_p95(env, item_id)
        world = build(base)
        say("gateway overhead")
        figures.append(phases.gateway_overhead(base, env, world))
        with procs.bare_app(work / "bare.db", work / "bare.log", env) as bare_base:
            say("receipts vs bare insert")
            figures.append(phases.receipts_vs_bare(env, world, bare_base)[0])
            say("reservations vs bare insert")
            figures.append(phases.reservations_vs_bare(env, world, bare_base))
        say(f"{DRILLS} drills on the embedded broker")
        figures.append(phases.drill_ready("drill_ready_p95_ms_embedded", base, world, "the embedded filesystem broker",
                                          "filesystem://", work / "kombu-baseline", DRILLS, "<= 500"))
    say(f"stack stopped; seeding the ledger to {LEDGER_ROWS:,} rows")
    started = time.monotonic()
    added = ledger.seed(resources_db, item_id, LEDGER_ROWS)
    seeded = time.monotonic() - started
    large_rows = ledger.ledger_rows(resources_db)
    with procs.stack(env, work / "stack.log") as base:
        say(f"stack up again; GET /stock with {large_rows:,} ledger rows")
        large = phases.stock_p95(env, item_id)
        say(f"{console.DEPOTS:,} depots' stock through the API, then the console's home page")
        stocked = depots.seed(base, depots=console.DEPOTS)
        say(stocked.describe())
        home = console.home_p95(base, stocked)
    figures.append(Figure(
        "balance_query_growth_ratio_1k_to_1m", large.p95_ms / small.p95_ms, "ratio", small.p95_ms,
        f"p95 of GET /api/v1/stock?item_id=… direct to resources (signed), wrk -t1 -c1 -d3s: {large.p95_ms:.2f} ms "
        f"with {large_rows:,} ledger rows ({large.describe()}) / {small.p95_ms:.2f} ms with {small_rows:,} "
        f"({small.describe()}); baseline = the p95 at {small_rows:,} rows. All rows belong to the queried item; "
        f"{added:,} were bulk-inserted into movements in {seeded:.0f} s with the stack stopped, without updating "
        "balances (the query reads the balance row, so ledger/balance consistency does not matter for this "
        "read figure).", "<= 1.5"))
    figures.append(home)
    return figures


def _reachable(url: str) -> str | None:
    """None when the broker answers, else why not."""
    try:
        with bus.connect(url) as connection:
            connection.ensure_connection(max_retries=1, timeout=5)
        return None
    except Exception as exc:  # any connection failure means "skip", with the reason
        return f"{type(exc).__name__}: {exc}"


def amqp(work: Path) -> Figure:
    """Drill readiness on RabbitMQ (and PostgreSQL when ERDM_TEST_POSTGRES_URL is set), or why it was skipped."""
    name, target = "drill_ready_p95_ms_amqp", "<= 100"
    url = os.environ.get("ERDM_BENCH_AMQP_URL") or os.environ.get("ERDM_TEST_AMQP_URL")
    if not url:
        return Figure(name, None, "ms", None, "skipped: neither ERDM_BENCH_AMQP_URL nor ERDM_TEST_AMQP_URL is set", target)
    problem = _reachable(url)
    if problem:
        return Figure(name, None, "ms", None, f"skipped: RabbitMQ at the configured URL is not reachable ({problem})", target)
    extra, databases, backend = {"ERDM_BROKER_URL": url}, None, "RabbitMQ + SQLite"
    if os.environ.get("ERDM_TEST_POSTGRES_URL"):
        from servicekit.testing import PostgresDatabases

        databases, backend = PostgresDatabases(os.environ["ERDM_TEST_POSTGRES_URL"]), "RabbitMQ + PostgreSQL"
        for part, package in [*((s.name, s.package) for s in catalogue.SERVICES), ("gateway", "gateway")]:
            extra[f"ERDM_{part.upper()}_DATABASE_URL"] = databases.fresh(package)
    try:
        with bus.connect(url) as connection:  # durable queues outlive earlier runs: start them empty
            bus.declare_topology(connection, subscriptions())
            for service, types in subscriptions().items():
                bus.service_queue(service, types).bind(connection.default_channel).purge()
        env = procs.stack_env(work / "var-amqp", free_port_block(port_span(1)), **extra)
        with procs.stack(env, work / "stack-amqp.log") as base:
            say(f"stack up on {backend}; {DRILLS} drills")
            world = build(base)
            return phases.drill_ready(name, base, world, backend, url, None, DRILLS, target)
    finally:
        if databases is not None:
            databases.drop_all()


def main() -> int:
    if not wrk.available():
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="erdm-bench-"))
    keep = False
    try:
        figures = embedded(work)
        figures.append(amqp(work))
        context = (f"embedded stack, ERDM_WEB_WORKERS=2, ledger {LEDGER_ROWS:,} rows, {DRILLS} drills, "
                   f"{console.DEPOTS:,} depots behind the console")
        print(write(figures, seconds=time.monotonic() - started, context=context))
        print(f"wrote {Path(__file__).resolve().parent / 'report.md'} and report.json")
        return 0
    except BaseException:
        keep = True
        print(f"bench failed; logs kept in {work}", file=sys.stderr)
        raise
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
