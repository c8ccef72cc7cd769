"""Attachments in the real stack (`python -m erdm run`): a 19 MiB file goes up through the gateway into the plans
service and comes back byte for byte, a 25 MiB one is refused 413, and neither the gateway nor the service grows
by anything near the file's size (bodies are spooled and streamed, never held whole)."""
from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from erdm.proctree import cmdline, descendants
from tests.e2e.stackrun import erdm_stack

ADMIN_KEY = "e2e-attachments-admin-key-0123456789"  # the gateway wants 32+ characters
MiB = 1024 * 1024
# Far less than any file sent: what a process may add to its peak while carrying one (buffers, a part, a chunk).
GROWTH_ALLOWED = 8 * MiB
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with erdm_stack(tmp_path_factory.mktemp("attachments-stack"), ADMIN_KEY) as (base, process, _env):
        yield base, process


def processes_named(supervisor: int, name: str) -> list[int]:
    """The gunicorn master and workers started as `--name <name>` (a worker is a fork: same command line)."""
    found = [pid for pid in descendants(supervisor) if f"--name {name} " in cmdline(pid) + " "]
    assert found, f"no {name} process under the stack"
    return found


def peak_bytes(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for {pid}")


def peaks(pids: list[int]) -> dict[int, int]:
    return {pid: peak_bytes(pid) for pid in pids}


def growth(before: dict[int, int]) -> int:
    return max(peak_bytes(pid) - peak for pid, peak in before.items())


def multipart_stream(content_size: int, filename: str, boundary: str) -> Iterator[bytes]:
    """A multipart body made as it is sent (so the test itself holds no 25 MiB either): a PDF header, then zeros."""
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
           f"Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-1.4\n"
    left = content_size - len(b"%PDF-1.4\n")
    while left > 0:
        chunk = min(left, MiB)
        yield b"\0" * chunk
        left -= chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def framing(filename: str, boundary: str) -> int:
    return sum(len(part) for part in multipart_stream(len(b"%PDF-1.4\n"), filename, boundary))


def test_a_19_mib_file_goes_up_and_comes_back_and_a_25_mib_one_is_refused_without_either_process_swelling(stack):
    base, supervisor = stack
    api = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60)
    plan = api.post("/plans", json={"code": f"E2E-{uuid.uuid4().hex[:6]}", "title": "防汛专项应急预案",
                                    "type": "special", "owner_org": "市应急管理局", "owner": "张伟"})
    assert plan.status_code == 201, plan.text
    attachments = f"/plans/{plan.json()['id']}/attachments"
    # A small file up and down first: what the first upload and download load (the multipart parser, the store,
    # streaming) is loaded before measuring.
    small = api.post(attachments, files={"file": ("小.pdf", b"%PDF-1.4\n" + b"\0" * MiB, "application/pdf")})
    assert small.status_code == 201, small.text
    assert api.get(small.json()["content_url"].removeprefix("/api/v1")).status_code == 200
    watched = processes_named(supervisor.pid, "erdm-gateway") + processes_named(supervisor.pid, "erdm-plans")
    before = peaks(watched)

    boundary = uuid.uuid4().hex
    size = 19 * MiB
    answer = api.post(attachments, content=multipart_stream(size, "big.pdf", boundary),
                      headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                               "Content-Length": str(size + framing("big.pdf", boundary) - len(b"%PDF-1.4\n"))})
    assert answer.status_code == 201, answer.text
    kept = answer.json()
    assert kept["size"] == size
    read, received = hashlib.sha256(), 0
    with api.stream("GET", kept["content_url"].removeprefix("/api/v1")) as download:
        assert download.status_code == 200 and download.headers["content-length"] == str(size)
        for chunk in download.iter_bytes():
            read.update(chunk)
            received += len(chunk)
    assert received == size and read.hexdigest() == kept["sha256"] == _file_digest(size)
    assert growth(before) < GROWTH_ALLOWED, {pid: peak_bytes(pid) - peak for pid, peak in before.items()}

    before = peaks(watched)
    too_big = 25 * MiB
    chunked = api.post(attachments, content=multipart_stream(too_big, "too-big.pdf", boundary),
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert chunked.status_code == 413, chunked.text
    assert chunked.headers["content-type"] == "application/problem+json"
    assert growth(before) < GROWTH_ALLOWED, {pid: peak_bytes(pid) - peak for pid, peak in before.items()}
    assert api.get(attachments).json()["total"] == 2  # the small one and the 19 MiB one; nothing of the refused


def _file_digest(size: int) -> str:
    digest = hashlib.sha256(b"%PDF-1.4\n")
    left = size - len(b"%PDF-1.4\n")
    while left > 0:
        chunk = min(left, MiB)
        digest.update(b"\0" * chunk)
        left -= chunk
    return digest.hexdigest()
