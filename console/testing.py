"""What the console's tests share: a stand-in gateway answering the API as told, and a signed-in test client."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import httpx
from flask import Flask
from flask.testing import FlaskClient

from console.app import create_app
from console.settings import ConsoleSettings
from servicekit.config import Settings

ME = {"kind": "user", "id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资", "role": "admin",
      "org": {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局", "path": "/ROOT/"},
      "scope": "subtree"}
CSRF_FIELD = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')

Answer = Callable[[httpx.Request], httpx.Response]


def problem(status: int, detail: str, **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"status": status, "title": detail, "detail": detail, **extra},
                          headers={"Content-Type": "application/problem+json"})


def page_of(items: list[dict], *, page: int = 1, per_page: int = 50, total: int | None = None) -> dict:
    return {"items": items, "total": len(items) if total is None else total, "page": page, "per_page": per_page}


@dataclass
class FakeGateway:
    """Answers `/api/v1` calls from `routes` ((METHOD, path) → JSON body, httpx.Response or a function of the
    request); anything else is 404. `requests` keeps every call, with its JSON body read."""

    routes: dict[tuple[str, str], Any] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.routes.setdefault(("POST", "/sessions"), lambda request: httpx.Response(
            201, json={"token": "session-token", "expires_at": "2030-01-01T00:00:00+00:00", "user": {}}))
        self.routes.setdefault(("GET", "/me"), ME)
        self.routes.setdefault(("DELETE", "/sessions/current"), httpx.Response(204))

    def on(self, method: str, path: str, answer: Any) -> None:
        self.routes[(method, path)] = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        path = request.url.path.removeprefix("/api/v1")
        answer = self.routes.get((request.method, path))
        if answer is None and request.method == "GET" and path.endswith("/attachments"):
            answer = page_of([])  # every record's page lists its files: none unless a test gives some
        if answer is None:
            return problem(404, f"no endpoint at {request.url.path}")
        if callable(answer):
            answer = answer(request)
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

    def sent(self, method: str, path: str) -> list[dict]:
        """The JSON bodies of the calls made to `method path`."""
        return [json.loads(r.content or b"null") for r in self.requests
                if r.method == method and r.url.path == "/api/v1" + path]


def console_app(gateway: FakeGateway, data_dir: Path) -> Flask:
    settings = Settings(internal_secret="test-secret", data_dir=data_dir)
    app = create_app(settings, console_settings=ConsoleSettings.from_settings(settings, environ={}),
                     gateway_transport=httpx.MockTransport(gateway))
    app.config["TESTING"] = True
    return app


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token of the form on `path` (the session's token: every form of the page carries the same)."""
    page = client.get(path)
    match = CSRF_FIELD.search(page.data)
    assert match, f"no CSRF token on {path}: {page.status_code}"
    return match.group(1).decode()


def sign_in(client: FlaskClient) -> None:
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"username": "wang", "password": "a-long-password", "csrf_token": token})
    assert answer.status_code == 302, answer.data[:500]


def post_form(client: FlaskClient, path: str, data: dict, *, page: str | None = None):
    """POST `data` to `path` as the page's form would, with the CSRF token of `page` (default `path`)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)})


def visible_text(html: str | bytes) -> str:
    """What a person reads: the page without its tags (ids inside hrefs and hidden values do not count)."""
    text = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def field_errors(html: str | bytes, name: str) -> list[str]:
    """The messages the page shows beside the form field `name` (macros.html's `field`)."""
    text = html.decode() if isinstance(html, bytes) else html
    return re.findall(rf'<small class="error" data-field="{re.escape(name)}">([^<]*)</small>', text)
