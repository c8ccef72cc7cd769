"""Whom a warning reaches and who sees it: enterprises within the issuer's scope only (district × industry × scope),
the issuer and every target's reach read it, an enterprise sees its own answer alone, anyone else gets 404."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from servicekit.errors import InvalidInput
from servicekit.events import new_event
from services.supervision.domain.warnings import select_targets
from supervised import AT, ORG_IDS, deliver, org_changed
from weather import WARNINGS, call, close, issue, read, red_rainstorm, refused, step, target, target_codes


def test_a_district_bureau_warns_only_the_mines_within_its_own_scope(desk):
    warning = issue(desk("JB"))
    assert target_codes(warning) == ["MINE-1"], "MINE-2 is a mine in 南山区, but outside 江北区's bureau"
    assert warning["org"]["code"] == "JB" and warning["districts"] == ["江北区", "南山区"]


def test_a_bureau_seeing_only_itself_reaches_no_enterprise_and_issues_nothing(desk):
    city = desk("ROOT", scope="own")
    refused(city.post(WARNINGS, json=red_rainstorm()), 422, "districts")
    assert call(city, WARNINGS)["total"] == 0


def test_a_deactivated_mine_is_not_warned(desk, supervision_db):
    closed_down = org_changed("MINE-2", active=False, updated_at=AT.replace(hour=9))
    deliver(supervision_db, new_event(closed_down, source="gateway"))
    assert target_codes(issue(desk("ROOT"))) == ["MINE-1"]


def test_a_mines_own_people_read_the_warning_sent_to_them_with_their_own_answer_alone(desk):
    warning = issue(desk("ROOT"))
    mine = desk("MINE-1", role="logistics", scope="own")

    listed = call(mine, WARNINGS)
    assert [w["id"] for w in listed["items"]] == [warning["id"]]
    seen = read(mine, warning)
    assert target_codes(seen) == ["MINE-1"] and seen["org"]["code"] == "ROOT"
    assert seen["counts"] == {"sent": 1, "acknowledged": 0, "reported": 0, "resumed": 0}
    assert [silent["code"] for silent in seen["not_acknowledged"]] == ["MINE-1"]
    assert target_codes(step(mine, warning, "MINE-1", "acknowledge", {"by": "王矿长"})) == ["MINE-1"]


def test_an_enterprise_the_warning_did_not_reach_gets_404_and_an_empty_list(desk):
    warning = issue(desk("ROOT"))
    works = desk("CHEM-1", role="logistics", scope="own")
    refused(works.get(f"{WARNINGS}/{warning['id']}"), 404)
    assert call(works, WARNINGS)["total"] == 0
    refused(step_response(works, warning, "CHEM-1", "acknowledge", {"by": "周总"}), 404)


def test_one_mine_cannot_answer_for_another(desk):
    city = desk("ROOT")
    warning = issue(city)
    mine_1 = desk("MINE-1", role="logistics", scope="own")
    refused(step_response(mine_1, warning, "MINE-2", "acknowledge", {"by": "王矿长"}), 404)
    assert target(read(city, warning), "MINE-2")["status"] == "sent"


def test_each_district_sees_the_citys_warning_with_its_own_mines_and_not_the_others_warnings(desk):
    city_warning = issue(desk("ROOT"))
    jb_warning = issue(desk("JB"))
    south = desk("NS")
    assert target_codes(read(south, city_warning)) == ["MINE-2"]
    refused(south.get(f"{WARNINGS}/{jb_warning['id']}"), 404)
    assert [w["id"] for w in call(south, WARNINGS)["items"]] == [city_warning["id"]]
    assert {w["id"] for w in call(desk("ROOT"), WARNINGS)["items"]} == {city_warning["id"], jb_warning["id"]}, \
        "the city sees its districts' warnings too"


def test_only_the_issuing_bureau_or_one_above_it_closes_a_warning(desk):
    city_warning, jb_warning = issue(desk("ROOT")), issue(desk("JB"))
    refused(desk("JB").post(f"{WARNINGS}/{city_warning['id']}/close", json={"summary": "区局总结"}), 403)
    refused(desk("MINE-1").post(f"{WARNINGS}/{city_warning['id']}/close", json={"summary": "矿山总结"}), 403)
    assert read(desk("ROOT"), city_warning)["status"] == "issued"
    assert close(desk("ROOT"), jb_warning, summary="市局代为总结")["status"] == "closed"


def step_response(client, warning, code, name, body):
    return client.post(f"{WARNINGS}/{warning['id']}/targets/{ORG_IDS[code]}/{name}", json=body)


def organisation(code: str, *, kind="enterprise", path=None, district="江北区", industries=("mining",), active=True):
    return SimpleNamespace(code=code, kind=kind, path=path or f"/ROOT/JB/{code}/", district=district,
                           industries=list(industries), active=active)


def within_jb(path: str) -> bool:
    return path.startswith("/ROOT/JB/")


def test_the_rule_takes_active_enterprises_in_reach_listed_district_and_meeting_industry_by_code():
    orgs = [organisation("M-2"), organisation("M-1"), organisation("C-1", industries=("hazardous_chemicals",)),
            organisation("OFF", active=False), organisation("DEPOT", kind="custodian"),
            organisation("FAR", path="/ROOT/NS/FAR/"), organisation("ELSE", district="南山区"),
            organisation("BOTH", industries=("metallurgy", "mining"))]
    chosen = select_targets(orgs, districts=["江北区"], industries=["mining"], reaches=within_jb)
    assert [org.code for org in chosen] == ["BOTH", "M-1", "M-2"]
    every = select_targets(orgs, districts=["江北区"], industries=[], reaches=within_jb)
    assert [org.code for org in every] == ["BOTH", "C-1", "M-1", "M-2"]


@pytest.mark.parametrize("districts, industries, field", [(["南山区"], ["mining"], "districts"),
                                                          (["江北区"], ["fireworks"], "industries")])
def test_the_rule_refuses_a_warning_that_reaches_nobody_naming_the_field(districts, industries, field):
    with pytest.raises(InvalidInput) as refusal:
        select_targets([organisation("M-1"), organisation("FAR", path="/ROOT/NS/FAR/", district="南山区")],
                       districts=districts, industries=industries, reaches=within_jb)
    assert set(refusal.value.errors) == {field}
