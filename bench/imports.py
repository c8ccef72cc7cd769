"""`python -m bench.imports`: what hostile and maximal stock imports cost (issue 11 items 1 and 3), measured.

Part 1, in one process (the resources app on SQLite): time and peak-RSS growth of refusing a few-KB XLSX
that declares or reaches row 5,000,000, and a zip bomb. Part 2, in one process too: how long a 20,000-row
import holds SQLite's write lock (from BEGIN IMMEDIATE to the end of COMMIT), beside the whole request.
Part 3, the real stack (`python -m erdm run`, gunicorn, embedded default): seconds of a 20,000-row CSV
import through the gateway, and the longest wait of single receipts for another item sent meanwhile.
Run one part with `refusals`, `lock` or `bulk` as the argument; all three without.
"""
from __future__ import annotations

import io
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

from bench import procs
from bench.fixtures import client, ok
from erdm.stack import port_span

ROWS = 20_000


# --- part 1: refusals ------------------------------------------------------------------------
def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _xlsx(sheet_xml: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook, out = Workbook(), io.BytesIO()
    workbook.active.append(["warehouse_code", "item_code", "quantity", "batch_no", "expiry_date"])
    workbook.save(out)
    source, result = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if sheet_xml and member.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(member, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return result.getvalue()


def _sheet(dimension: str, rows: list[int]) -> str:
    head = '<row r="1">' + "".join(f'<c r="{c}1" t="inlineStr"><is><t>{n}</t></is></c>' for c, n in
                                    zip("ABC", ("warehouse_code", "item_code", "quantity"))) + "</row>"
    body = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>WH</t></is></c>'
                   f'<c r="B{r}" t="inlineStr"><is><t>IT</t></is></c><c r="C{r}"><v>1</v></c></row>' for r in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{head}{body}</sheetData></worksheet>')


def _resources_in_process(work: Path):
    """The resources app on a fresh migrated SQLite file, called as the gateway would."""
    from servicekit.config import Settings
    from servicekit.testing import TEST_SECRET, SqliteDatabases, signed_client
    from servicekit.db import Database
    from services.resources.app import create_app

    database = Database(SqliteDatabases(work).fresh("services.resources"))
    app = create_app(Settings(internal_secret=TEST_SECRET, data_dir=work, broker_url=f"filesystem://{work / 'b'}"),
                     database=database, required_processes=())
    return database, signed_client(app)


def refusals(work: Path) -> None:
    database, api = _resources_in_process(work)
    files = {
        "declares A1:E5000000, one row at 5,000,000": _xlsx(_sheet("A1:E5000000", [5_000_000])),
        "declares A1:E2, a row at 5,000,000": _xlsx(_sheet("A1:E2", [2, 5_000_000])),
        "zip bomb: 400 MB of sharedStrings": _xlsx(extra={"xl/sharedStrings.xml": b" " * (400 * 2**20)}),
    }
    upload = lambda content: api.post("/api/v1/stock/import", data={"file": (io.BytesIO(content), "x.xlsx")},  # noqa: E731
                                      content_type="multipart/form-data")
    upload(files["declares A1:E2, a row at 5,000,000"])  # warm up imports and the database
    for name, content in files.items():
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (peak RSS) to the current RSS
        before = _status_kb("VmRSS")
        started = time.perf_counter()
        response = upload(content)
        elapsed = time.perf_counter() - started
        growth = (_status_kb("VmHWM") - before) / 1024
        print(f"  {name} ({len(content):,} bytes): {response.status_code} in {elapsed * 1000:.0f} ms, "
              f"peak RSS +{growth:.1f} MB — {response.get_json()['errors']['file'][0][:70]}")
    database.dispose()


# --- part 2: the write lock of a maximal import, in process ----------------------------------
class WriteLockClock:
    """Seconds each writer transaction of `engine` held SQLite's write lock: from its BEGIN IMMEDIATE (the
    kit's own `begin` listener runs first) to the connection's return to the pool, after COMMIT or ROLLBACK."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.held: list[float] = []
        self._since: float | None = None
        event.listen(engine, "begin", self._begun)
        event.listen(engine.pool, "reset", self._ended)

    def _begun(self, _connection) -> None:
        self._since = time.perf_counter()

    def _ended(self, *_args) -> None:
        if self._since is not None:
            self.held.append(time.perf_counter() - self._since)
            self._since = None


def _shapes(depots: list[dict], items: list[dict]) -> dict[str, list[tuple[str, str]]]:
    return {
        "20,000 rows, 20,000 positions (200 depots x 100 items)":
            [(d["code"], i["code"]) for d in depots for i in items],
        "20,000 rows, 100 positions, the same file again onto them":
            [(depots[n % 100]["code"], items[0]["code"]) for n in range(ROWS)],
    }


def _attempts(name: str) -> tuple[str, ...]:
    return ("first", "again") if "again" in name else ("first",)


def lock(work: Path) -> None:
    database, api = _resources_in_process(work)
    tag = uuid.uuid4().hex[:6].upper()
    depots = [api.post("/api/v1/warehouses", json={"code": f"D{tag}-{n:03d}", "name": f"{n}号库",
                                                   "level": "county"}).get_json() for n in range(200)]
    items = [api.post("/api/v1/items", json={"code": f"I{tag}-{n:03d}", "name": f"物资{n}", "category_code": "3",
                                             "unit": "件", "kind": "material"}).get_json() for n in range(100)]
    clock = WriteLockClock(database.engine)
    for name, pairs in _shapes(depots, items).items():
        for attempt in _attempts(name):
            content = _csv(pairs)
            clock.held.clear()
            started = time.perf_counter()
            response = api.post("/api/v1/stock/import", data={"file": (io.BytesIO(content), "20000.csv")},
                                content_type="multipart/form-data")
            elapsed = time.perf_counter() - started
            assert response.status_code == 201, response.get_data(as_text=True)[:300]
            print(f"  {name} [{attempt}]: {elapsed:.2f} s in all, write lock held {max(clock.held):.2f} s")
    database.dispose()


# --- part 3: a maximal import on the running stack --------------------------------------------
def _free_port() -> int:
    for _ in range(100):
        base = random.randrange(20000, 29999 - port_span(1))
        try:
            for offset in range(port_span(1)):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise RuntimeError("no free port block in 20000-29999")


def _csv(pairs: list[tuple[str, str]]) -> bytes:
    lines = ["warehouse_code,item_code,quantity,batch_no,expiry_date"]
    lines += [f"{w},{i},{1 + n % 7}.5,B-{n % 3},2030-01-{1 + n % 28:02d}" for n, (w, i) in enumerate(pairs)]
    return ("\n".join(lines) + "\n").encode()


def bulk(work: Path) -> None:
    env = procs.stack_env(work / "var", _free_port())
    procs.migrate(env)
    with procs.stack(env, work / "stack.log") as base, client(base) as api:
        api.timeout = 120
        tag = uuid.uuid4().hex[:6].upper()
        depots = [ok(api.post("/warehouses", json={"code": f"D{tag}-{n:03d}", "name": f"{n}号库", "level": "county"}),
                     201) for n in range(200)]
        items = [ok(api.post("/items", json={"code": f"I{tag}-{n:03d}", "name": f"物资{n}", "category_code": "3",
                                             "unit": "件", "kind": "material"}), 201) for n in range(101)]
        other = items.pop()
        for name, pairs in _shapes(depots, items).items():
            for attempt in _attempts(name):
                waits, stop = [], threading.Event()

                def receipts() -> None:
                    with client(base) as side:
                        side.timeout = 60
                        while not stop.is_set():
                            started = time.perf_counter()
                            ok(side.post("/stock/receipts", json={"warehouse_id": depots[-1]["id"],
                                                                  "item_id": other["id"], "quantity": 1}), 201)
                            waits.append(time.perf_counter() - started)
                            time.sleep(0.05)

                side = threading.Thread(target=receipts)
                side.start()
                time.sleep(0.5)
                started = time.perf_counter()
                result = ok(api.post("/stock/import", files={"file": ("20000.csv", _csv(pairs), "text/csv")}), 201)
                elapsed = time.perf_counter() - started
                time.sleep(0.5)
                stop.set()
                side.join()
                print(f"  {name} [{attempt}]: imported {result['imported']:,} in {elapsed:.2f} s; "
                      f"{len(waits)} receipts meanwhile, longest {max(waits) * 1000:.0f} ms, "
                      f"median {statistics.median(waits) * 1000:.0f} ms")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="erdm-bench-imports-") as folder:
        work = Path(folder)
        parts = set(sys.argv[1:]) or {"refusals", "lock", "bulk"}
        if "refusals" in parts:
            print("Refusing hostile workbooks (in process, SQLite):")
            refusals(work)
        if "lock" in parts:
            print("The write lock of a maximal import (in process, SQLite):")
            lock(work)
        if "bulk" in parts:
            print("A maximal import on the running stack (embedded default, through the gateway):")
            bulk(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
