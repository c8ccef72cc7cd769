"""An inspector records the hazards found at an enterprise; the enterprise and the bureaus above it see them, no one
else does."""
from __future__ import annotations

import re

import pytest

from inspections import HAZARDS, MORNING, Desk, day, events, pin_clock
from supervised import ORG_IDS


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    return pin_clock(monkeypatch)


@pytest.fixture
def inspector(desk):
    return Desk(desk("JB"))


def test_an_inspector_records_a_major_hazard_at_a_mine(inspector, supervision_db):
    response = inspector.client.post("/api/v1/hazards", json={
        "org_code": "MINE-1", "title": "主斜井顶板离层", "description": "主斜井 300 米处顶板离层，未支护",
        "level": "major", "location": "主斜井", "found_at": MORNING.isoformat(), "found_by": "江北检查员"})
    assert response.status_code == 201, response.get_json()
    hazard = response.get_json()
    assert re.fullmatch(r"/api/v1/hazards/[0-9a-f-]{36}", response.headers["Location"])
    assert hazard["org"] == {"id": str(ORG_IDS["MINE-1"]), "code": "MINE-1", "name": "MINE-1 单位"}
    assert hazard["org_id"] == str(ORG_IDS["MINE-1"])
    assert (hazard["title"], hazard["level"], hazard["location"], hazard["found_by"]) == \
        ("主斜井顶板离层", "major", "主斜井", "江北检查员")
    assert hazard["found_at"] == "2026-12-02T01:30:00+00:00"
    assert hazard["recorded_by"] == {"id": "user-JB-inspector", "name": "JB inspector"}
    assert inspector.get(response.headers["Location"].removeprefix("/api/v1")) == hazard
    [recorded] = events(supervision_db, "hazard.recorded")
    assert (recorded["hazard_id"], recorded["level"], recorded["org_id"], recorded["org_path"]) == \
        (hazard["id"], "major", str(ORG_IDS["MINE-1"]), "/ROOT/JB/MINE-1/")


def test_a_hazard_found_on_a_plain_date_was_found_at_that_days_start_in_the_bureaus_zone(inspector):
    hazard = inspector.hazard(found_at=day(-1), level="general", location=None)
    assert (hazard["found_at"], hazard["level"], hazard["location"]) == ("2026-11-30T16:00:00+00:00", "general", None)


def test_a_hazard_cannot_be_found_in_the_future(inspector):
    inspector.refused(HAZARDS, {"org_code": "MINE-1", "title": "t", "description": "d", "level": "major",
                                "found_at": day(1), "found_by": "检查员"}, 422, "found_at")


@pytest.mark.parametrize("field, value", [
    ("level", "minor"), ("title", ""), ("found_at", "yesterday"), ("found_by", None), ("colour", "red"),
])
def test_a_bad_hazard_field_is_422_naming_it(inspector, field, value):
    body = {"org_code": "MINE-1", "title": "皮带机无防护罩", "description": "d", "level": "general",
            "found_at": MORNING.isoformat(), "found_by": "检查员", field: value}
    inspector.refused(HAZARDS, body, 422, field)


def test_leaving_out_the_enterprise_is_refused_rather_than_filing_the_hazard_against_the_bureau(inspector):
    body = {"title": "t", "description": "d", "level": "major", "found_at": MORNING.isoformat(), "found_by": "x"}
    problem = inspector.refused(HAZARDS, body, 422, "org_id")
    assert "bureau" in problem["errors"]["org_id"][0]


def test_an_enterprise_of_another_district_is_outside_the_inspectors_scope(inspector):
    problem = inspector.refused(HAZARDS, {"org_code": "MINE-2", "title": "t", "description": "d", "level": "major",
                                          "found_at": MORNING.isoformat(), "found_by": "x"}, 403)
    assert "MINE-2" in problem["detail"]


def test_an_unknown_organisation_code_is_422_naming_it(inspector):
    inspector.refused(HAZARDS, {"org_code": "MINE-9", "title": "t", "description": "d", "level": "major",
                                "found_at": MORNING.isoformat(), "found_by": "x"}, 422, "org_code")


def test_each_caller_sees_the_hazards_in_its_scope_only(desk):
    city = Desk(desk("ROOT"))
    at_mine_1 = city.hazard("MINE-1")
    at_chem_1 = city.hazard("CHEM-1", level="general")
    at_mine_2 = city.hazard("MINE-2")
    assert set(city.listed(HAZARDS)) == {at_mine_1["id"], at_chem_1["id"], at_mine_2["id"]}
    assert set(Desk(desk("JB")).listed(HAZARDS)) == {at_mine_1["id"], at_chem_1["id"]}
    south = Desk(desk("NS"))
    assert south.listed(HAZARDS) == [at_mine_2["id"]]
    south.get(f"{HAZARDS}/{at_mine_1['id']}", expect=404)
    mine_2 = Desk(desk("MINE-2", role="logistics", scope="own"))
    assert mine_2.listed(HAZARDS) == [at_mine_2["id"]]
    assert mine_2.get(f"{HAZARDS}/{at_mine_1['id']}", expect=404)["status"] == 404
    assert Desk(desk("MINE-1", role="logistics", scope="own")).get(f"{HAZARDS}/{at_mine_1['id']}")["id"] == \
        at_mine_1["id"]


def test_hazards_are_listed_latest_found_first_and_filtered_by_level_and_enterprise(inspector):
    older = inspector.hazard(found_at=day(-3), level="general")
    newer = inspector.hazard(found_at=day(-1))
    at_chem = inspector.hazard("CHEM-1", found_at=day(-2), level="general")
    assert inspector.listed(HAZARDS) == [newer["id"], at_chem["id"], older["id"]]
    assert inspector.listed(HAZARDS, level="general") == [at_chem["id"], older["id"]]
    assert inspector.listed(HAZARDS, org_id=str(ORG_IDS["MINE-1"])) == [newer["id"], older["id"]]
    page = inspector.get(HAZARDS, per_page=1, page=2)
    assert (page["total"], [item["id"] for item in page["items"]], page["page"], page["per_page"]) == \
        (3, [at_chem["id"]], 2, 1)
