"""The address failed authentications are counted against: the caller's, or the browser's that the console
(a trusted front end, servicekit/signing.py) names and proves."""
from __future__ import annotations

from flask import current_app, request

from servicekit.signing import vouched_client_address


def client_address() -> str:
    secret = current_app.extensions["erdm_settings"].internal_secret
    return vouched_client_address(request.headers, secret) or request.remote_addr or "unknown"
