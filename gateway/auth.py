"""Who is calling: the bearer key on an /api/v1 request, turned into the Actor the gateway vouches for."""
from __future__ import annotations

import hmac

from servicekit.config import Settings
from servicekit.signing import Actor

ADMIN = Actor(id="admin", name="admin", role="admin")

# Sent with every 401 so clients know which scheme to retry with (RFC 6750).
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def bearer_token(header_value: str | None) -> str | None:
    """The key from `Authorization: Bearer <key>`, or None when the header has another shape."""
    if not header_value:
        return None
    scheme, _, token = header_value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def authenticate(header_value: str | None, *, settings: Settings) -> Actor | None:
    """The actor a valid key belongs to, or None; the stored keys of later roles slot in after the admin key."""
    token = bearer_token(header_value)
    if token is None:
        return None
    if settings.admin_key and _same_key(token, settings.admin_key):
        return ADMIN
    return None


def _same_key(given: str, expected: str) -> bool:
    # Bytes, because compare_digest refuses non-ASCII str and a client may send anything.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
