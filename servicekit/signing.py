"""The gateway's signature on forwarded requests: who the caller is, bound to the request's meaning, time, one use."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote, unquote

HEADER_ACTOR_ID = "X-ERDM-Actor-Id"
HEADER_ACTOR_NAME = "X-ERDM-Actor-Name"
HEADER_ACTOR_ROLE = "X-ERDM-Actor-Role"
HEADER_ACTOR_ORG = "X-ERDM-Actor-Org"
HEADER_ACTOR_ORG_PATH = "X-ERDM-Actor-Org-Path"
HEADER_ACTOR_SCOPE = "X-ERDM-Actor-Scope"
HEADER_TIMESTAMP = "X-ERDM-Timestamp"
HEADER_NONCE = "X-ERDM-Nonce"
HEADER_DEADLINE = "X-ERDM-Deadline"
HEADER_SIGNATURE = "X-ERDM-Signature"
SIGNED_HEADERS = (HEADER_ACTOR_ID, HEADER_ACTOR_NAME, HEADER_ACTOR_ROLE, HEADER_ACTOR_ORG, HEADER_ACTOR_ORG_PATH,
                  HEADER_ACTOR_SCOPE, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_DEADLINE, HEADER_SIGNATURE)

# The client headers that change what a request does (how its body is read, which retry it is, which
# version it may overwrite): the signature binds them, so none can be swapped on a captured request.
# Accept, Accept-Language and X-Request-ID only change how the answer is written or logged.
COVERED_HEADERS = ("Content-Type", "Idempotency-Key", "If-Match", "If-None-Match")

# How long a signature is good for, either side of the service's clock; its nonce is remembered as long.
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Actor:
    """The caller the gateway vouches for; recorded on what a service writes.

    `org_id` and `org_path` (codes from the root, "/ROOT/PD/ENT-001/") are the organisation it acts
    for, `scope` how far it reaches: "own" (that organisation) or "subtree" (it and all below). All
    three are empty for a service calling another as itself.
    """

    id: str
    name: str
    role: str
    org_id: str = ""
    org_path: str = ""
    scope: str = ""


@dataclass(frozen=True)
class SignedRequest:
    """What a valid signature vouches for: the caller, the one-use nonce and when the gateway stops waiting."""

    actor: Actor
    nonce: str
    expires_at: float  # the end of the window: the nonce needs remembering until then, no longer
    deadline: float | None  # epoch seconds; None for internal callers that wait as long as it takes


class SignatureError(Exception):
    """The request does not carry a valid, fresh gateway signature."""


def _covered(headers: Mapping[str, str]) -> list[str]:
    # "=value" for a header that is there (even empty), "" for one that is not: the two never collide,
    # and header values cannot hold the newline that joins the lines.
    present = {name.lower(): value for name, value in headers.items()}
    return ["=" + present[name.lower()] if name.lower() in present else "" for name in COVERED_HEADERS]


def body_digest(body: bytes) -> str:
    """The body's hash as the signature covers it; an upload streamed through a spool is hashed as it is
    spooled (servicekit/attachments/spool.py) and passed as `body_sha256` instead of its bytes."""
    return hashlib.sha256(body).hexdigest()


def _digest(secret: str, method: str, path: str, *, timestamp: str, nonce: str, deadline: str, actor: Actor,
            body_sha256: str, headers: Mapping[str, str]) -> str:
    # Names may be Chinese; headers carry them percent-encoded, the MAC covers the decoded text.
    # The body's hash is covered too, so a captured signature cannot carry another body.
    message = "\n".join((method.upper(), path, timestamp, nonce, deadline, actor.id, actor.name, actor.role,
                         actor.org_id, actor.org_path, actor.scope, body_sha256,
                         *_covered(headers)))
    return hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(secret: str, method: str, path: str, actor: Actor, *, body: bytes = b"",
         headers: Mapping[str, str] | None = None, deadline: float | None = None,
         now: float | None = None, body_sha256: str | None = None) -> dict[str, str]:
    """Headers to add to a forwarded request. `path` includes the query string; `body` is sent as is (or,
    for a body too large to hold, `body_sha256` is its hash); `headers` are the request's own headers, of
    which the COVERED_HEADERS present must be sent unchanged."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    deadline_text = "" if deadline is None else f"{deadline:.3f}"
    signed = {
        HEADER_ACTOR_ID: actor.id,
        HEADER_ACTOR_NAME: quote(actor.name, safe=""),
        HEADER_ACTOR_ROLE: actor.role,
        HEADER_ACTOR_ORG: actor.org_id,
        HEADER_ACTOR_ORG_PATH: quote(actor.org_path, safe="/"),
        HEADER_ACTOR_SCOPE: actor.scope,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: _digest(secret, method, path, timestamp=timestamp, nonce=nonce, deadline=deadline_text,
                                  actor=actor, body_sha256=body_sha256 or body_digest(body),
                                  headers=_only_covered(headers or {})),
    }
    if deadline is not None:
        signed[HEADER_DEADLINE] = deadline_text
    return signed


def _only_covered(headers: Mapping[str, str]) -> dict[str, str]:
    wanted = {name.lower() for name in COVERED_HEADERS}
    return {name: value for name, value in headers.items() if name.lower() in wanted}


def check_stamp(secret: str, headers: Mapping[str, str], *, window_seconds: int = WINDOW_SECONDS,
                now: float | None = None) -> None:
    """SignatureError unless the request carries the gateway's signature headers with a timestamp inside the window:
    what can be refused before a large body (an upload) is read to check the signature itself."""
    _stamped(secret, headers, window_seconds=window_seconds, now=now)


def _stamped(secret: str, headers: Mapping[str, str], *, window_seconds: int,
             now: float | None) -> tuple[dict[str, str], int, float | None]:
    """The headers (lower-cased names), the signing time and the deadline, or SignatureError."""
    if not secret:
        raise SignatureError("this service has no internal secret configured")
    # Servers re-case header names (X-Erdm-...); look them up case-insensitively.
    headers = {name.lower(): value for name, value in headers.items()}
    if not all(headers.get(name.lower()) for name in (HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_NONCE)):
        raise SignatureError("request was not signed by the gateway")
    try:
        signed_at = int(headers[HEADER_TIMESTAMP.lower()])
        deadline_text = headers.get(HEADER_DEADLINE.lower(), "")
        deadline = float(deadline_text) if deadline_text else None
    except ValueError as exc:
        raise SignatureError("malformed signature timestamp or deadline") from exc
    if abs((time.time() if now is None else now) - signed_at) > window_seconds:
        raise SignatureError("signature timestamp outside the accepted window")
    return headers, signed_at, deadline


def verify(
    secret: str,
    method: str,
    path: str,
    headers: Mapping[str, str],
    *,
    body: bytes = b"",
    body_sha256: str | None = None,
    window_seconds: int = WINDOW_SECONDS,
    now: float | None = None,
) -> SignedRequest:
    """What the gateway signed for, or SignatureError saying why not (`body_sha256` stands for a body
    spooled rather than held). Whether the nonce was used before is the caller's to check
    (servicekit/replay.py): it needs the service's database."""
    headers, signed_at, deadline = _stamped(secret, headers, window_seconds=window_seconds, now=now)
    signature, timestamp, nonce = (headers[name.lower()] for name in (HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_NONCE))
    deadline_text = headers.get(HEADER_DEADLINE.lower(), "")
    actor = Actor(
        id=headers.get(HEADER_ACTOR_ID.lower(), ""),
        name=unquote(headers.get(HEADER_ACTOR_NAME.lower(), "")),
        role=headers.get(HEADER_ACTOR_ROLE.lower(), ""),
        org_id=headers.get(HEADER_ACTOR_ORG.lower(), ""),
        org_path=unquote(headers.get(HEADER_ACTOR_ORG_PATH.lower(), "")),
        scope=headers.get(HEADER_ACTOR_SCOPE.lower(), ""),
    )
    expected = _digest(secret, method, path, timestamp=timestamp, nonce=nonce, deadline=deadline_text,
                       actor=actor, body_sha256=body_sha256 or body_digest(body), headers=_only_covered(headers))
    if not hmac.compare_digest(expected, signature):
        raise SignatureError("bad gateway signature")
    return SignedRequest(actor=actor, nonce=nonce, expires_at=signed_at + window_seconds, deadline=deadline)


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


# A trusted front end (the console) that calls the gateway for a browser names the browser's address, so
# the gateway counts failed sign-ins per browser instead of lumping every browser behind that front end.
HEADER_CLIENT_ADDRESS = "X-ERDM-Client-Address"
HEADER_CLIENT_PROOF = "X-ERDM-Client-Proof"


def client_address_proof(secret: str, address: str) -> str:
    """What proves, with the deployment's internal secret, that a trusted front end named `address`."""
    return hmac.new(secret.encode(), f"erdm-client-address:{address}".encode(), hashlib.sha256).hexdigest()


def vouched_client_address(headers: Mapping[str, str], secret: str) -> str | None:
    """The browser address a trusted front end named and proved, else None."""
    address, proof = headers.get(HEADER_CLIENT_ADDRESS), headers.get(HEADER_CLIENT_PROOF)
    if not (address and proof and secret) or len(address) > 64:
        return None
    return address if hmac.compare_digest(proof, client_address_proof(secret, address)) else None
