"""The signature an integrator checks: HMAC-SHA256 of the exact body with the subscription's secret."""
from __future__ import annotations

import hashlib
import hmac

HEADER = "X-ERDM-Webhook-Signature"


def sign(secret: str, body: bytes) -> str:
    """The header's value: `sha256=<hex>`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether `header` is the signature of `body` (compared in constant time), as a receiver checks it."""
    return hmac.compare_digest(sign(secret, body), header or "")
