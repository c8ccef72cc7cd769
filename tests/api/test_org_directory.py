"""Every service keeps the gateway's organisation directory from org.changed, through its worker's handler table:
the newest announcement of an organisation wins, and a late or repeated one changes nothing."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from contracts.catalogue import GATEWAY
from contracts.events import Person
from servicekit import inbox
from servicekit.db import Database
from servicekit.events import Event, new_event
from tests.flows.directory import JUNE, enterprise


def _handlers(service: str):
    if service == "resources":
        from services.resources.handlers import ResourceHandlers

        return ResourceHandlers(timezone="Asia/Shanghai").mapping()
    if service == "plans":
        from services.plans.domain.workdays import WorkCalendar
        from services.plans.handlers import PlanHandlers

        return PlanHandlers(work_calendar=WorkCalendar()).mapping()
    from services.drills.handlers import mapping

    return mapping()


@pytest.fixture(params=["resources", "plans", "drills"])
def directory(request, fresh_database_url):
    """A service's worker handling org.changed (inbox included, as the worker does) and its copy to read."""
    service = request.param
    database = Database(fresh_database_url(f"services.{service}"))
    model = __import__(f"services.{service}.models", fromlist=["OrgDirectory"]).OrgDirectory
    mapping = _handlers(service)

    class Directory:
        def deliver(self, change=None, *, event: Event | None = None) -> Event:
            event = event or new_event(change, source=GATEWAY)
            with database.transaction() as session:
                if not inbox.already_applied(session, event, consumer=f"{service}-worker"):
                    mapping[event.type](event, session=session)
                    inbox.record(session, event, consumer=f"{service}-worker")
            return event

        def rows(self):
            with database.session(readonly=True) as session:
                return list(session.scalars(select(model).order_by(model.code)))

    yield Directory()
    database.dispose()


def test_an_announced_organisation_is_kept_with_its_place_district_industries_and_heads(directory):
    change = enterprise()
    directory.deliver(change)

    [org] = directory.rows()
    assert (org.id, org.code, org.name, org.kind, org.path, org.parent_id) == (
        change.org_id, change.code, "江北化工有限公司", "enterprise", f"/ROOT/PD/{change.code}/", change.parent_id)
    assert (org.district, org.industries, org.active) == ("江北区", ["hazardous_chemicals"], True)
    assert org.principal == {"name": "李强", "title": "总经理"}
    assert org.deputies == [{"name": "周敏", "title": "安全副总"}]
    assert org.changed_at == JUNE


def test_a_newer_announcement_replaces_the_copy_and_a_late_one_changes_nothing(directory):
    first = enterprise()
    renamed = dataclasses.replace(first, name="江北化工集团", principal=Person(name="王芳", title="董事长"),
                                  deputies=[], industries=["hazardous_chemicals", "fireworks"], active=False,
                                  updated_at=JUNE + dt.timedelta(days=1))
    directory.deliver(first)
    directory.deliver(renamed)
    directory.deliver(dataclasses.replace(first, name="旧名称", updated_at=JUNE - dt.timedelta(days=1)))

    [org] = directory.rows()
    assert (org.name, org.principal, org.deputies, org.industries, org.active) == (
        "江北化工集团", {"name": "王芳", "title": "董事长"}, [], ["hazardous_chemicals", "fireworks"], False)
    assert org.changed_at == JUNE + dt.timedelta(days=1)


def test_a_repeated_announcement_changes_nothing_even_as_another_event(directory):
    change = enterprise()
    event = directory.deliver(change)
    directory.deliver(event=event)  # redelivered: the inbox has it
    directory.deliver(dataclasses.replace(change, name="同一时刻的另一名称"))  # the same updated_at, a new event id

    [org] = directory.rows()
    assert org.name == "江北化工有限公司"


def test_a_child_announced_before_its_parent_is_kept_and_so_is_the_parent(directory):
    bureau = enterprise(code="PD", kind="bureau", name="浦东新区应急管理局", path="/ROOT/PD/", parent_id=None,
                        industries=[], principal=None, deputies=[])
    child = enterprise(parent_id=bureau.org_id)
    directory.deliver(child)
    directory.deliver(bureau)

    by_code = {org.code: org for org in directory.rows()}
    assert by_code[child.code].parent_id == by_code["PD"].id
    assert (by_code["PD"].kind, by_code["PD"].principal, by_code["PD"].parent_id) == ("bureau", None, None)
