"""Upgrading a gateway database made before people signed in: its keys keep working, and people can be made."""
from __future__ import annotations

from people import PASSWORD, Personnel
from sqlalchemy import create_engine, inspect

from gateway import testing
from gateway.testing import ADMIN, bearer
from servicekit.migrations import upgrade


def test_a_database_with_keys_and_organisations_gains_people_and_sessions(tmp_path):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade("gateway", url, "0004")
    app, client = testing.gateway_client(testing.settings_factory(url)(), None)
    try:
        key = testing.create_key(client, "viewer", "大屏")["key"]
    finally:
        testing.close(app)
    assert "users" not in inspect(create_engine(url)).get_table_names()

    upgrade("gateway", url)

    engine = create_engine(url)
    tables = inspect(engine).get_table_names()
    columns = {column["name"] for column in inspect(engine).get_columns("sessions")}
    engine.dispose()
    assert {"users", "sessions", "sign_in_failures"} <= set(tables)
    assert "token" not in columns and "token_hash" in columns
    app, client = testing.gateway_client(testing.settings_factory(url)(), None)
    try:
        assert client.get("/api/v1/me", headers=bearer(key)).get_json()["name"] == "大屏"
        people = Personnel(client)
        people.create("li.na", headers=ADMIN)
        assert client.get("/api/v1/me", headers=people.token("li.na", PASSWORD)).get_json()["kind"] == "user"
    finally:
        testing.close(app)
