"""Webhook subscriptions as an admin makes them through the gateway, for the tests; every call asserts its status."""
from __future__ import annotations

from typing import Any

from gateway.testing import ADMIN

WEBHOOKS = "/api/v1/webhooks"
SECRET = "s3cret-of-the-command-centre"


def subscribe(client, url: str, events=("drill.completed",), *, headers=ADMIN, secret: str = SECRET,
              expected: int = 201) -> dict[str, Any]:
    response = client.post(WEBHOOKS, json={"url": url, "events": list(events), "secret": secret}, headers=headers)
    assert response.status_code == expected, response.get_data(as_text=True)
    return response.get_json()


def deliveries(client, subscription: dict, *, headers=ADMIN, **query) -> dict[str, Any]:
    response = client.get(f"{WEBHOOKS}/{subscription['id']}/deliveries", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()
