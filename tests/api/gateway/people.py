"""The people of the tests: a clock the tests move, and the city's admin creating people who then sign in."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gateway import testing
from gateway.app import create_app
from gateway.testing import ADMIN, bearer

USERS = "/api/v1/users"
SESSIONS = "/api/v1/sessions"
PASSWORD = "correct horse battery"


class FakeClock:
    """The time the gateway reckons sessions and lock-outs by; moved by the test."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def gateway_client(make_settings, transport, clock):
    """The gateway (the usual test settings and stand-in service), reckoning time by this test's clock."""
    app = create_app(make_settings(), transport=transport, clock=clock)
    app.config["TESTING"] = True
    yield app.test_client()
    testing.close(app)


class Personnel:
    """Creates people through the gateway and signs them in; every call asserts its expected status."""

    def __init__(self, client) -> None:
        self.client = client

    def create(self, username: str, *, role: str = "planner", org: str = "ROOT", scope: str | None = None,
               password: str = PASSWORD, headers=ADMIN, expected: int = 201, **fields: Any) -> dict[str, Any]:
        body = {"username": username, "display_name": fields.pop("display_name", f"{username} 同志"),
                "password": password, "role": role, "org_code": org, **fields}
        if scope:
            body["scope"] = scope
        response = self.client.post(USERS, json=body, headers=headers)
        assert response.status_code == expected, response.get_data(as_text=True)
        return response.get_json()

    def sign_in(self, username: str, password: str = PASSWORD, *, expected: int = 201):
        response = self.client.post(SESSIONS, json={"username": username, "password": password})
        assert response.status_code == expected, response.get_data(as_text=True)
        return response

    def token(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        """Sign in and answer the Authorization header the session token makes."""
        return bearer(self.sign_in(username, password).get_json()["token"])

    def change(self, user_id: str, headers=ADMIN, expected: int = 200, **changes: Any) -> dict[str, Any]:
        response = self.client.patch(f"{USERS}/{user_id}", json=changes, headers=headers)
        assert response.status_code == expected, response.get_data(as_text=True)
        return response.get_json()
