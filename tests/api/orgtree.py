"""The organisation tree the per-service scope tests share: the city, two districts, an enterprise under one,
as signed callers of each and as the directory copy `org.changed` leaves in a service's database."""
from __future__ import annotations

import datetime as dt
import uuid

from servicekit.signing import Actor

ORGS = {  # code -> (id, path, name)
    "ROOT": (uuid.uuid4(), "/ROOT/", "市应急管理局"),
    "PD": (uuid.uuid4(), "/ROOT/PD/", "浦东新区应急管理局"),
    "ENT-001": (uuid.uuid4(), "/ROOT/PD/ENT-001/", "东方化工有限公司"),
    "XH": (uuid.uuid4(), "/ROOT/XH/", "徐汇区应急管理局"),
}


def actor(code: str, scope: str, *, role: str) -> Actor:
    """A caller of the organisation `code`, as the gateway signs it."""
    org_id, path, name = ORGS[code]
    return Actor(id=f"user-{code}", name=name, role=role, org_id=str(org_id), org_path=path, scope=scope)


def seed_directory(database, model) -> dict:
    """The service's directory copy (`model`: its OrgDirectory) holding the tree, as org.changed left it."""
    now = dt.datetime.now(dt.timezone.utc)
    with database.transaction() as session:
        for code, (org_id, path, name) in ORGS.items():
            session.add(model(id=org_id, code=code, name=name, kind="enterprise" if "ENT" in code else "bureau",
                              path=path, parent_id=None, district=None, industries=[], principal=None,
                              deputies=[], active=True, changed_at=now))
    return ORGS
