"""The console's one way to reach data: the gateway's public API, called as the signed-in person.

Every page calls these functions; none keeps any record itself. A refusal comes back as `Refused` carrying
the problem document (the page puts its `errors` beside the fields), a lapsed session as `SignedOut` (the
app sends the person to /login) and a gateway that cannot be reached as `GatewayDown` (503 page).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import httpx
from flask import current_app, g, request, session

from servicekit.http_client import ProcessClient
from servicekit.instances import Instances
from servicekit.logs import REQUEST_ID_HEADER
from servicekit.signing import (HEADER_CLIENT_ADDRESS, HEADER_CLIENT_PROOF, client_address_proof,
                                vouched_client_address)

API_PREFIX = "/api/v1"
TIMEOUT = httpx.Timeout(connect=2.0, read=30.0, write=30.0, pool=2.0)


@dataclass
class Refused(Exception):
    """A 4xx answer from the API: its status and problem document."""

    status: int
    problem: dict = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail") or self.problem.get("title") or f"HTTP {self.status}")

    @property
    def errors(self) -> dict[str, list[str]]:
        """Field name → messages (422), flattened so a nested field reads `lines.0.quantity`."""
        flat: dict[str, list[str]] = {}
        _flatten(self.problem.get("errors") or {}, "", flat)
        return flat

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


class SignedOut(Exception):
    """The session token was refused (expired, ended, or never given)."""


class GatewayDown(Exception):
    """The gateway could not be reached, or a service behind it is down (502/503/504)."""


def _flatten(errors: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(errors, list) and all(isinstance(item, str) for item in errors):
        into.setdefault(prefix or "_", []).extend(errors)
    elif isinstance(errors, list):
        for item in errors:
            _flatten(item, prefix, into)
    else:
        into.setdefault(prefix or "_", []).append(str(errors))


class GatewayApi:
    """One pooled httpx client per process to the gateway's instances, taken in turn."""

    def __init__(self, base_urls: tuple[str, ...], *, internal_secret: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._instances = Instances(list(base_urls))
        self._internal_secret = internal_secret
        self._client = ProcessClient(transport=transport, timeout=TIMEOUT)

    @property
    def client(self) -> httpx.Client:
        return self._client.get()

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, path: str, *, token: str | None, request_id: str | None = None,
                client_address: str | None = None, language: str | None = None, stream: bool = False,
                **options) -> httpx.Response:
        """The gateway's answer; with `stream`, its body is left unread (an attachment's bytes: read, then close)."""
        headers = dict(options.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        if language:
            headers["Accept-Language"] = language
        if client_address and self._internal_secret:
            # The gateway counts failed sign-ins per browser; behind the console they would all share its address.
            headers[HEADER_CLIENT_ADDRESS] = client_address
            headers[HEADER_CLIENT_PROOF] = client_address_proof(self._internal_secret, client_address)
        url = API_PREFIX + path
        try:
            return self._instances.call(
                lambda base: self.client.send(self.client.build_request(method, base + url, headers=headers, **options),
                                              stream=stream),
                twice_if_alone=method in ("GET", "HEAD"))
        except httpx.HTTPError as failure:
            raise GatewayDown(f"the gateway could not be reached: {failure.__class__.__name__}") from failure


def _gateway() -> GatewayApi:
    return current_app.extensions["erdm_gateway_api"]


def browser_address() -> str | None:
    """The browser's address: the one the gateway names and proves, else whoever called the console directly (an
    X-Forwarded-For anyone could write is never believed)."""
    secret = current_app.extensions["erdm_console_settings"].internal_secret
    return vouched_client_address(request.headers, secret) or request.remote_addr


def call(method: str, path: str, **options) -> httpx.Response:
    """`method /api/v1{path}` as the signed-in person; the raw answer, after refusals are raised (`stream=True`
    leaves a good answer's body unread for the caller to stream and close)."""
    answer = _gateway().request(method, path, token=session.get("token"), request_id=g.get("request_id"),
                                client_address=browser_address(), language=g.get("language"), **options)
    if answer.status_code >= 400 and options.get("stream"):
        answer.read()
        answer.close()
    if answer.status_code == 401:
        raise SignedOut()
    if answer.status_code in (502, 503, 504):
        raise GatewayDown(_problem(answer).get("detail") or f"HTTP {answer.status_code}")
    if answer.status_code >= 400:
        raise Refused(answer.status_code, _problem(answer))
    return answer


def _problem(answer: httpx.Response) -> dict:
    try:
        body = answer.json()
    except ValueError:
        return {"status": answer.status_code, "title": answer.reason_phrase}
    return body if isinstance(body, dict) else {"status": answer.status_code}


def get(path: str, **params) -> dict:
    """A GET's JSON body; `params` with a None value are left out."""
    return call("GET", path, params={key: value for key, value in params.items() if value not in (None, "")}).json()


def post(path: str, payload: dict | None = None, **options) -> dict:
    answer = call("POST", path, json=payload if payload is not None else {}, **options)
    return answer.json() if answer.content else {}


def put(path: str, payload: dict) -> dict:
    answer = call("PUT", path, json=payload)
    return answer.json() if answer.content else {}


def patch(path: str, payload: dict) -> dict:
    answer = call("PATCH", path, json=payload)
    return answer.json() if answer.content else {}


def delete(path: str) -> None:
    call("DELETE", path)


def all_pages(path: str, *, per_page: int = 100, limit: int = 5000, **params) -> list[dict]:
    """Every item of a list endpoint (for choosers and maps), at most `limit`."""
    items: list[dict] = []
    page = 1
    while len(items) < limit:
        body = get(path, page=page, per_page=per_page, **params)
        items.extend(body.get("items", []))
        if len(items) >= body.get("total", 0) or not body.get("items"):
            break
        page += 1
    return items[:limit]
