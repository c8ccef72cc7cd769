"""What the stock pages' tests share beyond console/testing.py: what the pages asked the API, a table row of a
page, and a browser signed in as someone who only reads stock."""
from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from console import testing


def asked(gateway: testing.FakeGateway, path: str) -> list[dict]:
    """The query parameters of each GET made to `path`, in order."""
    return [dict(r.url.params) for r in gateway.requests if r.method == "GET" and r.url.path == "/api/v1" + path]


def row_of(html: str | bytes, text: str) -> str:
    """The first table row of the page whose HTML holds `text`."""
    page = html.decode() if isinstance(html, bytes) else html
    for row in re.findall(r"<tr\b.*?</tr>", page, flags=re.S):
        if text in row:
            return row
    raise AssertionError(f"no row shows {text!r}")


def reader(console_app: Flask, gateway: testing.FakeGateway) -> FlaskClient:
    """A browser signed in as a viewer: the role that reads stock and writes none of it."""
    gateway.on("GET", "/me", {**testing.ME, "name": "赵查看", "role": "viewer"})
    client = console_app.test_client()
    testing.sign_in(client)
    return client
