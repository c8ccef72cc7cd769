"""The gateway's signature on forwarded requests: who the caller is, bound to method, path and time."""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

HEADER_ACTOR_ID = "X-ERDM-Actor-Id"
HEADER_ACTOR_NAME = "X-ERDM-Actor-Name"
HEADER_ACTOR_ROLE = "X-ERDM-Actor-Role"
HEADER_TIMESTAMP = "X-ERDM-Timestamp"
HEADER_SIGNATURE = "X-ERDM-Signature"
SIGNED_HEADERS = (HEADER_ACTOR_ID, HEADER_ACTOR_NAME, HEADER_ACTOR_ROLE, HEADER_TIMESTAMP, HEADER_SIGNATURE)


@dataclass(frozen=True)
class Actor:
    """The caller the gateway vouches for; recorded on what a service writes."""

    id: str
    name: str
    role: str


class SignatureError(Exception):
    """The request does not carry a valid, fresh gateway signature."""


def _digest(secret: str, method: str, path: str, timestamp: str, actor: Actor, body: bytes) -> str:
    # Names may be Chinese; headers carry them percent-encoded, the MAC covers the decoded text.
    # The body's hash is covered too, so a captured signature cannot carry another body.
    message = "\n".join((method.upper(), path, timestamp, actor.id, actor.name, actor.role,
                          hashlib.sha256(body).hexdigest()))
    return hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(secret: str, method: str, path: str, actor: Actor, *, body: bytes = b"",
         now: float | None = None) -> dict[str, str]:
    """Headers to add to a forwarded request. `path` includes the query string; `body` is sent as is."""
    from urllib.parse import quote

    timestamp = str(int(time.time() if now is None else now))
    return {
        HEADER_ACTOR_ID: actor.id,
        HEADER_ACTOR_NAME: quote(actor.name, safe=""),
        HEADER_ACTOR_ROLE: actor.role,
        HEADER_TIMESTAMP: timestamp,
        HEADER_SIGNATURE: _digest(secret, method, path, timestamp, actor, body),
    }


def verify(
    secret: str,
    method: str,
    path: str,
    headers: Mapping[str, str],
    *,
    body: bytes = b"",
    window_seconds: int = 60,
    now: float | None = None,
) -> Actor:
    """The actor the gateway signed for, or SignatureError saying why not."""
    from urllib.parse import unquote

    if not secret:
        raise SignatureError("this service has no internal secret configured")
    # Servers re-case header names (X-Erdm-...); look them up case-insensitively.
    headers = {name.lower(): value for name, value in headers.items()}
    signature = headers.get(HEADER_SIGNATURE.lower())
    timestamp = headers.get(HEADER_TIMESTAMP.lower())
    if not signature or not timestamp:
        raise SignatureError("request was not signed by the gateway")
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError as exc:
        raise SignatureError("malformed signature timestamp") from exc
    if age > window_seconds:
        raise SignatureError("signature timestamp outside the accepted window")
    actor = Actor(
        id=headers.get(HEADER_ACTOR_ID.lower(), ""),
        name=unquote(headers.get(HEADER_ACTOR_NAME.lower(), "")),
        role=headers.get(HEADER_ACTOR_ROLE.lower(), ""),
    )
    expected = _digest(secret, method, path, timestamp, actor, body)
    if not hmac.compare_digest(expected, signature):
        raise SignatureError("bad gateway signature")
    return actor


# Characters a request target may carry as they are; anything else is percent-encoded.
_TARGET_SAFE = "!$&'()*+,/:;=?@~%"


def request_target(environ: Mapping[str, object]) -> str:
    """The path and query as the client sent them: what is forwarded and what the signature covers."""
    raw = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "")
    if raw:
        path = raw.partition("?")[0]
        if "://" in path:  # absolute-form request line: keep only the path
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        path = _wire(path, safe=_TARGET_SAFE)
    else:  # a server without the raw URI: PATH_INFO is decoded, so re-encode a literal "%"
        path = _wire(str(environ.get("PATH_INFO", "")), safe=_TARGET_SAFE.replace("%", ""))
    query = _wire(str(environ.get("QUERY_STRING", "")), safe=_TARGET_SAFE)
    return path + ("?" + query if query else "")


def _wire(text: str, *, safe: str) -> str:
    # WSGI strings are bytes decoded as latin-1; raw non-ASCII bytes go out percent-encoded,
    # so sign exactly the form the service will receive.
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return quote(data, safe=safe)
