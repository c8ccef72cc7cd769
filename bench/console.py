"""The console's home page (`GET /` through the gateway, signed in as admin) beside the slowest API call it makes.

`python -m bench.console` runs this figure alone on a stack of its own (BENCH_CONSOLE_DEPOTS sets the depots).
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

import httpx

from bench import depots, procs
from bench.drills import p95
from bench.report import Figure
from console.home import PANELS
from erdm.proctree import free_port_block
from erdm.stack import port_span
from gateway.readiness import CACHE_SECONDS

DEPOTS = int(os.environ.get("BENCH_CONSOLE_DEPOTS", "1000"))
ROUNDS, BUDGET_SECONDS = 40, 20.0
TARGET_RATIO = 3.0
PAGE, AT_ONCE = "page", "six_at_once"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def sign_in(base: str) -> httpx.Client:
    """A browser (its cookie jar) signed in through the console's /login form, as a person would."""
    browser = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    try:
        form = browser.get("/login")
        found = _CSRF.search(form.text)
        if form.status_code != 200 or not found:
            raise RuntimeError(f"GET /login: {form.status_code}, no csrf_token in the form")
        answer = browser.post("/login", data={"csrf_token": found.group(1) or found.group(2), "username": "admin",
                                              "password": procs.ADMIN_PASSWORD})
        if answer.status_code != 302 or answer.headers.get("location", "").startswith("/login"):
            raise RuntimeError(f"POST /login: {answer.status_code} {answer.text[:300]}")
        home = browser.get("/")
        if home.status_code != 200 or 'data-panel="short-plans"' not in home.text:
            raise RuntimeError(f"GET / signed in: {home.status_code} {home.headers.get('location', '')}")
    except BaseException:
        browser.close()
        raise
    return browser


def api_token(base: str) -> str:
    """A session token of the same user, for the API calls the page makes (the console keeps its own)."""
    answer = httpx.post(f"{base}/api/v1/sessions", json={"username": "admin", "password": procs.ADMIN_PASSWORD},
                        timeout=15)
    if answer.status_code != 201:
        raise RuntimeError(f"POST /api/v1/sessions: {answer.status_code} {answer.text[:300]}")
    return answer.json()["token"]


def panel_paths() -> dict[str, str]:
    """The home page's calls, with its own query strings."""
    return {name: f"/api/v1{path}?{urlencode(params)}" for name, (path, params) in PANELS.items()}


def _ms(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:  # a lapsed console session answers 302 to /login: never a sample
        raise RuntimeError(f"GET {path}: {answer.status_code} {answer.headers.get('location', '')}")
    return elapsed


def interleaved(base: str, *, rounds: int = ROUNDS, budget_seconds: float = BUDGET_SECONDS) -> dict[str, list[float]]:
    """Per round, one after another on keep-alive connections: the page, each of its calls alone, then its
    six calls at once as the page makes them. The VM's speed drifts within minutes; taking every side in
    each round keeps a drift out of the ratios."""
    paths = panel_paths()
    samples: dict[str, list[float]] = {name: [] for name in (PAGE, *paths, AT_ONCE)}
    with closing(sign_in(base)) as browser, httpx.Client(base_url=base, timeout=30, headers={
            "Authorization": f"Bearer {api_token(base)}"}) as api, ThreadPoolExecutor(len(paths)) as pool:

        def at_once() -> None:
            list(pool.map(lambda path: _ms(api, path), paths.values()))

        _ms(browser, "/")  # every process on the path has served one before the clock starts
        at_once()
        deadline = time.monotonic() + budget_seconds
        while len(samples[PAGE]) < rounds and time.monotonic() < deadline:
            samples[PAGE].append(_ms(browser, "/"))
            for name, path in paths.items():
                samples[name].append(_ms(api, path))
            started = time.perf_counter()
            at_once()
            samples[AT_ONCE].append((time.perf_counter() - started) * 1000)
    return samples


def home_p95(base: str, seeded: depots.Seeded) -> Figure:
    samples = interleaved(base)
    p95s = {name: p95(values) for name, values in samples.items()}
    medians = {name: median(values) for name, values in samples.items()}
    calls = {name: value for name, value in p95s.items() if name in PANELS}
    slowest = max(calls, key=calls.__getitem__)
    page, call = p95s[PAGE], calls[slowest]
    each = ", ".join(f"{name} {value:.1f} ({medians[name]:.1f})" for name, value in calls.items())
    return Figure(
        f"console_home_p95_ms_{seeded.depots}_depots", page, "ms", call,
        f"GET / (the console's home page: its six API calls at once, then the page rendered) through the gateway, "
        f"signed in as admin through the /login form (csrf_token, then the session cookie), over "
        f"{len(samples[PAGE])} rounds (at most {ROUNDS} or {BUDGET_SECONDS:.0f} s); each round, one request after "
        f"another on keep-alive connections (httpx): the page, each of its calls alone with a session token of the "
        f"same user, then the six calls at once from the client. Page: p95 {page:.1f} ms, median "
        f"{medians[PAGE]:.1f}. Baseline = p95 of the slowest call alone, {slowest} (GET {panel_paths()[slowest]}); "
        f"ratio {page / call:.2f}. Each call alone, p95 (median) ms: {each}; their medians add up to "
        f"{sum(medians[name] for name in calls):.1f}. The six at once from the client: p95 {p95s[AT_ONCE]:.1f}, "
        f"median {medians[AT_ONCE]:.1f}: the page adds {medians[PAGE] - medians[AT_ONCE]:.1f} ms at the median to "
        "its calls made at once (the gateway's hop to the console, its session, six threads decoding the answers, "
        f"rendering). /readiness is the gateway's view, cached {CACHE_SECONDS:.0f} s per gateway process. Data: "
        f"{seeded.describe()}. Target (a judgment): the page at most {TARGET_RATIO:.0f}x its slowest call; six calls "
        "on two cores may make it slower than that one call, but past 3x it adds more than its data explains.",
        f"<= {TARGET_RATIO * call:.1f}")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="erdm-bench-console-"))
    keep = False
    try:
        env = procs.stack_env(work / "var", free_port_block(port_span(1)))
        procs.migrate(env)
        with procs.stack(env, work / "stack.log") as base:
            seeded = depots.seed(base, depots=DEPOTS)
            print(seeded.describe(), flush=True)
            figure = home_p95(base, seeded)
        print(f"{figure.name}: {figure.value:.1f} {figure.unit} (target {figure.target}, baseline "
              f"{figure.baseline:.1f} ms, ratio {figure.value / figure.baseline:.2f})\n{figure.note}")
        return 0
    except BaseException:
        keep = True
        print(f"failed; logs kept in {work}", file=sys.stderr)
        raise
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
