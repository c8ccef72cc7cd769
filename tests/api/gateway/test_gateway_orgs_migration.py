"""Upgrading a gateway database made before organisations: the root appears once, and every key acts for it."""
from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

from sqlalchemy import create_engine, select, text

import gateway
from gateway import testing
from gateway.keys import token_hash
from gateway.models import orgs
from servicekit.db import utcnow
from servicekit.migrations import upgrade

MIGRATION = Path(gateway.__file__).parent / "migrations" / "versions" / "0004_orgs_and_key_scope.py"


def _key_before_organisations(url: str, token: str) -> uuid.UUID:
    key_id = uuid.uuid4()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO api_keys (id, name, role, prefix, key_hash, created_at, created_by) "
            "VALUES (:id, '老的大屏', 'viewer', 'erdm_old', :hash, :now, 'admin')"),
            {"id": key_id.hex, "hash": token_hash(token), "now": utcnow().replace(tzinfo=None)})
    engine.dispose()
    return key_id


def test_keys_made_before_organisations_act_for_the_root_over_its_whole_tree(tmp_path, monkeypatch):
    monkeypatch.setenv("ERDM_ROOT_ORG_NAME", "滨海市应急管理局")
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade("gateway", url, "0003")
    key_id = _key_before_organisations(url, "erdm_old-token")

    upgrade("gateway", url)

    engine = create_engine(url)
    with engine.connect() as connection:
        (root,) = connection.execute(select(orgs)).all()
        keys = connection.execute(text("SELECT id, org_id, scope FROM api_keys")).all()
    engine.dispose()
    assert (root.code, root.name, root.kind, root.path, root.parent_id) == ("ROOT", "滨海市应急管理局", "bureau",
                                                                             "/ROOT/", None)
    assert [(row.id, row.org_id, row.scope) for row in keys] == [(key_id.hex, root.id.hex, "subtree")]

    app, client = testing.gateway_client(testing.settings_factory(url)(), None)
    try:
        me = client.get("/api/v1/me", headers=testing.bearer("erdm_old-token")).get_json()
    finally:
        testing.close(app)
    assert (me["id"], me["scope"], me["org"]["code"], me["org"]["name"]) == (str(key_id), "subtree", "ROOT",
                                                                              "滨海市应急管理局")


def test_a_second_process_making_the_root_at_the_same_time_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade("gateway", url)
    spec = importlib.util.spec_from_file_location("gateway_0004", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(migration.INSERT_ROOT, {"id": uuid.uuid4(), "code": "ROOT", "name": "另一个名字",
                                                   "path": "/ROOT/", "active": True, "now": utcnow()})
        names = connection.execute(select(orgs.c.name)).scalars().all()
    engine.dispose()
    assert names == ["市应急管理局"]


def test_the_root_is_announced_once_so_every_services_copy_of_the_directory_names_it(tmp_path):
    import json

    from sqlalchemy import select

    from servicekit.db import Database, outbox_table
    from servicekit.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade("gateway", url)
    upgrade("gateway", url)  # a second process migrating finds the work done and announces nothing
    with Database(url).session(readonly=True) as session:
        rows = session.execute(select(outbox_table.c.event_type, outbox_table.c.envelope)).all()
    assert [row.event_type for row in rows] == ["org.changed"]
    data = json.loads(rows[0].envelope)["data"]
    assert (data["code"], data["path"], data["kind"], data["parent_id"]) == ("ROOT", "/ROOT/", "bureau", None)
