"""The organisation tree the supervision tests share (a city bureau, two district bureaus, two mines and a chemical
works with their heads and deputies in charge), its callers, and events applied as the worker would."""
from __future__ import annotations

import datetime as dt
import uuid

from contracts.events import OrgChanged, Person
from servicekit.signing import Actor
from services.supervision.handlers import mapping

AT = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone.utc)
# code -> (path, kind, district, industries, principal, deputies)
TREE = {
    "ROOT": ("/ROOT/", "bureau", None, [], Person(name="市局长", title="局长"), []),
    "JB": ("/ROOT/JB/", "bureau", "江北区", [], Person(name="江北局长", title="局长"), []),
    "NS": ("/ROOT/NS/", "bureau", "南山区", [], Person(name="南山局长", title="局长"), []),
    "MINE-1": ("/ROOT/JB/MINE-1/", "enterprise", "江北区", ["mining"], Person(name="王矿长", title="矿长"),
               [Person(name="赵安全", title="安全副矿长"), Person(name="钱生产", title="生产副矿长")]),
    "MINE-2": ("/ROOT/NS/MINE-2/", "enterprise", "南山区", ["mining"], Person(name="孙矿长", title="矿长"),
               [Person(name="李副矿长", title="安全副矿长")]),
    "CHEM-1": ("/ROOT/JB/CHEM-1/", "enterprise", "江北区", ["hazardous_chemicals"], Person(name="周总", title="总经理"),
               [Person(name="吴副总", title="安全副总")]),
}
ORG_IDS = {code: uuid.uuid4() for code in TREE}


def org_changed(code: str, **changes) -> OrgChanged:
    path, kind, district, industries, principal, deputies = TREE[code]
    parent = path.rstrip("/").rsplit("/", 1)[0].rsplit("/", 1)[-1]
    fields = dict(org_id=ORG_IDS[code], code=code, name=f"{code} 单位", kind=kind, path=path,
                  parent_id=ORG_IDS.get(parent) if code != "ROOT" else None, district=district, industries=industries,
                  principal=principal, deputies=deputies, updated_at=AT)
    return OrgChanged(**{**fields, **changes})


def actor(code: str, *, role: str = "inspector", scope: str = "subtree") -> Actor:
    return Actor(id=f"user-{code}-{role}", name=f"{code} {role}", role=role, org_id=str(ORG_IDS[code]),
                 org_path=TREE[code][0], scope=scope)


def deliver(database, event) -> None:
    """Apply `event` as the supervision worker would (its inbox keeps a redelivery from applying twice)."""
    from servicekit import inbox

    with database.transaction() as session:
        if not inbox.already_applied(session, event, consumer="supervision-worker"):
            mapping()[event.type](event, session=session)
            inbox.record(session, event, consumer="supervision-worker")


