"""Running wrk with a generated Lua script and reading back throughput, p50/p95 and errors as numbers."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_DONE = r'''
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
    .. '"socket_errors": %d, "bad_status": %d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.connect + e.read + e.write + e.timeout, e.status))
end
'''


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    socket_errors: int
    bad_status: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        return (f"{self.rps:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms"
                + (f", {self.bad_status} non-2xx/3xx" if self.bad_status else "")
                + (f", {self.socket_errors} socket errors" if self.socket_errors else ""))


def available() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, *, headers: dict[str, str] | None = None, method: str = "GET", body: bytes | None = None,
        threads: int = 2, connections: int = 16, seconds: int = 5) -> Result:
    """One wrk run (bounded by `seconds`); POST bodies are fixed, so one signature covers every request."""
    script = f"wrk.method = {json.dumps(method)}\n"
    if body is not None:
        script += f"wrk.body = [==[{body.decode()}]==]\n"
    script += _DONE
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name]
        for name, value in (headers or {}).items():
            argv += ["-H", f"{name}: {value}"]
        out = subprocess.run(argv + [url], capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    finally:
        Path(handle.name).unlink(missing_ok=True)
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    data = json.loads(line.removeprefix("BENCH "))
    return Result(data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1e3, data["p95_us"] / 1e3,
                  data["socket_errors"], data["bad_status"])
