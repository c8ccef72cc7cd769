"""A webhook receiver for the tests: a real HTTP(S) server on 127.0.0.1 that records what reaches it, checks each
signature, and answers as told (fail, redirect, hang until released, else 200)."""
from __future__ import annotations

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gateway.webhooks.signature import HEADER, verify

HANG, OK = "hang", 200


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool  # the signature matched the body under the receiver's secret
    answered: int | None = None

    @property
    def envelope(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """`script` is answered in order, one entry per request: a status code, ("redirect", url), HANG (200 once
    released) or (HANG, status code); then 200. With `tls`, a server context, it speaks HTTPS."""

    secret: str = "s3cret-of-the-command-centre"
    script: list = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    tls: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        self.release = threading.Event()  # lets hanging requests answer (200, or the code scripted with HANG)
        self.arrived = threading.Semaphore(0)  # one release per request that reached the receiver
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                seen = Received(self.path, headers, body, verify(receiver.secret, body, headers.get(HEADER.lower())))
                with receiver._lock:
                    receiver.requests.append(seen)
                    answer = receiver.script.pop(0) if receiver.script else OK
                receiver.arrived.release()
                if answer == HANG or (isinstance(answer, tuple) and answer[0] == HANG):
                    receiver.release.wait(60)
                    answer = OK if answer == HANG else answer[1]
                if isinstance(answer, tuple):
                    seen.answered = 302
                    self.send_response(302)
                    self.send_header("Location", answer[1])
                else:
                    seen.answered = answer
                    self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self.tls is not None:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/hooks/erdm"

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def acknowledged(self) -> list[Received]:
        """The requests it answered with a 2xx."""
        return [seen for seen in self.requests if seen.answered is not None and 200 <= seen.answered < 300]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
