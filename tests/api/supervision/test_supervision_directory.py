"""The supervision service keeps its copy of the organisation directory from org.changed, newest wins, once."""
from __future__ import annotations

from sqlalchemy import select

from supervised import AT, ORG_IDS, deliver, org_changed
from servicekit.events import new_event
from services.supervision.models import OrgDirectory


def test_org_changed_keeps_heads_districts_and_industries_newest_wins(supervision_db, directory):
    newer = org_changed("MINE-1", deputies=[], updated_at=AT.replace(hour=9))
    older = org_changed("MINE-1", name="旧名", updated_at=AT.replace(hour=7))
    deliver(supervision_db, new_event(newer, source="gateway"))
    deliver(supervision_db, new_event(older, source="gateway"))
    with supervision_db.session(readonly=True) as session:
        mine = session.scalar(select(OrgDirectory).where(OrgDirectory.id == ORG_IDS["MINE-1"]))
        assert (mine.name, mine.district, mine.industries, mine.deputies) == ("MINE-1 单位", "江北区", ["mining"], [])
        assert mine.principal["name"] == "王矿长"
