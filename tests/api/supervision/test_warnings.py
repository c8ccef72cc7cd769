"""A city bureau warns the mines of two districts of a red rainstorm and orders them to stop and evacuate (停产撤人):
who is reached, what the warning answers, one mine acknowledging and reporting, the other silent and overdue,
and the close with its summary."""
from __future__ import annotations

import datetime as dt
import re

from supervised import ORG_IDS
from weather import WARNINGS, call, close, events, issue, read, red_rainstorm, step, target, target_codes, travel


def test_a_red_rainstorm_reaches_the_mines_of_two_districts_and_not_the_chemical_works(desk, supervision_db):
    city = desk("ROOT")
    response = city.post(WARNINGS, json=red_rainstorm())
    assert response.status_code == 201, response.get_data(as_text=True)
    warning = response.get_json()
    assert response.headers["Location"] == f"{WARNINGS}/{warning['id']}"

    assert re.fullmatch(r"YJ-\d{8}-[0-9A-F]{6}", warning["code"])
    assert (warning["kind"], warning["level"], warning["directive"], warning["status"]) == \
        ("rainstorm", "red", "stop_and_evacuate", "issued")
    assert (warning["districts"], warning["industries"]) == (["江北区", "南山区"], ["mining"])
    assert warning["org"] == {"id": str(ORG_IDS["ROOT"]), "code": "ROOT", "name": "ROOT 单位"}
    assert warning["created_by"] == {"id": "user-ROOT-inspector", "name": "ROOT inspector"}
    assert warning["issued_by"] == "市局值班员 张伟" and warning["message"].startswith("预计未来12小时")
    assert warning["ack_within_minutes"] == 30 and warning["summary"] is None

    assert target_codes(warning) == ["MINE-1", "MINE-2"], "CHEM-1 is in 江北区, but no mine"
    mine = target(warning, "MINE-2")
    assert mine["org"] == {"id": str(ORG_IDS["MINE-2"]), "code": "MINE-2", "name": "MINE-2 单位"}
    assert (mine["org_id"], mine["status"], mine["ack_overdue"], mine["acknowledged_late"]) == \
        (str(ORG_IDS["MINE-2"]), "sent", False, False)
    sent_at = dt.datetime.fromisoformat(mine["sent_at"])
    assert dt.datetime.fromisoformat(mine["ack_due_at"]) - sent_at == dt.timedelta(minutes=30)
    assert warning["counts"] == {"sent": 2, "acknowledged": 0, "reported": 0, "resumed": 0}
    assert warning["not_acknowledged"] == [
        {"org_id": str(ORG_IDS[code]), "code": code, "name": f"{code} 单位"} for code in ("MINE-1", "MINE-2")]

    [issued] = events(supervision_db, "warning.issued")
    assert (issued["warning_id"], issued["code"], issued["org_id"], issued["kind"], issued["level"]) == \
        (warning["id"], warning["code"], str(ORG_IDS["ROOT"]), "rainstorm", "red")
    assert issued["target_org_ids"] == [str(ORG_IDS["MINE-1"]), str(ORG_IDS["MINE-2"])]
    assert issued["directive"] == "stop_and_evacuate" and issued["districts"] == ["江北区", "南山区"]


def test_one_mine_reports_23_evacuated_the_other_never_answers_and_the_warning_closes_naming_it(
        desk, supervision_db, monkeypatch):
    city, mine_1 = desk("ROOT"), desk("MINE-1", role="logistics", scope="own")
    warning = issue(city)

    step(mine_1, warning, "MINE-1", "acknowledge", {"by": "王矿长"})
    stopped_at = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)).isoformat()
    reported = step(mine_1, warning, "MINE-1", "report",
                    {"stopped_at": stopped_at, "evacuated_count": 23, "rainfall_mm": 86.5, "note": "井下人员全部升井"})
    answer = target(reported, "MINE-1")
    assert (answer["status"], answer["acknowledged_by"], answer["evacuated_count"], answer["rainfall_mm"]) == \
        ("reported", "王矿长", 23, 86.5)
    assert answer["note"] == "井下人员全部升井" and answer["reported_at"]

    travel(monkeypatch, minutes=31)
    seen = read(city, warning)
    assert (target(seen, "MINE-1")["ack_overdue"], target(seen, "MINE-2")["ack_overdue"]) == (False, True)
    assert seen["counts"] == {"sent": 1, "acknowledged": 0, "reported": 1, "resumed": 0}
    assert [silent["code"] for silent in seen["not_acknowledged"]] == ["MINE-2"]

    closed = close(city, warning, summary="暴雨过程结束；MINE-1 撤离23人，MINE-2 未叫应，已约谈。")
    assert (closed["status"], closed["summary"]) == ("closed", "暴雨过程结束；MINE-1 撤离23人，MINE-2 未叫应，已约谈。")
    assert closed["closed_at"] and [silent["code"] for silent in closed["not_acknowledged"]] == ["MINE-2"]
    assert target(closed, "MINE-2")["ack_overdue"] is True

    [ended] = events(supervision_db, "warning.closed")
    assert (ended["warning_id"], ended["org_id"], ended["summary"]) == \
        (warning["id"], str(ORG_IDS["ROOT"]), closed["summary"])
    assert ended["not_acknowledged"] == [str(ORG_IDS["MINE-2"])]
    assert read(city, warning) == closed, "read back as it was answered"


def test_an_empty_industries_list_warns_every_industry_of_the_districts(desk):
    warning = issue(desk("ROOT"), kind="heat", level="orange", districts=["江北区"], industries=[],
                    directive="heightened_watch", ack_within_minutes=60)
    assert target_codes(warning) == ["CHEM-1", "MINE-1"]
    assert warning["industries"] == [] and warning["ack_within_minutes"] == 60
    mine = target(warning, "MINE-1")
    assert dt.datetime.fromisoformat(mine["ack_due_at"]) - dt.datetime.fromisoformat(mine["sent_at"]) == \
        dt.timedelta(minutes=60)


def test_a_district_or_industry_named_twice_counts_once(desk):
    warning = issue(desk("ROOT"), districts=["南山区", "南山区"], industries=["mining", "mining"])
    assert (warning["districts"], warning["industries"], target_codes(warning)) == (["南山区"], ["mining"], ["MINE-2"])


def test_a_plain_date_keeps_the_warning_in_force_to_the_end_of_that_day(desk):
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).astimezone(
        dt.timezone(dt.timedelta(hours=8))).date()
    warning = issue(desk("ROOT"), valid_to=tomorrow.isoformat())
    ends = dt.datetime.fromisoformat(warning["valid_to"]).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (ends.date(), ends.hour, ends.minute) == (tomorrow, 23, 59)


def test_warnings_are_listed_newest_first_and_filtered_by_status_kind_and_level(desk, monkeypatch):
    city = desk("ROOT")
    rainstorm = issue(city)
    travel(monkeypatch, minutes=5)
    snowstorm = issue(city, kind="snowstorm", level="yellow", directive="heightened_watch")
    close(city, rainstorm)

    listed = call(city, WARNINGS)
    assert [w["id"] for w in listed["items"]] == [snowstorm["id"], rainstorm["id"]]
    assert (listed["total"], listed["page"], listed["per_page"]) == (2, 1, 50)
    assert listed["items"][0]["counts"]["sent"] == 2 and listed["items"][0]["targets"]
    assert [w["id"] for w in call(city, f"{WARNINGS}?status=issued")["items"]] == [snowstorm["id"]]
    assert [w["id"] for w in call(city, f"{WARNINGS}?status=closed")["items"]] == [rainstorm["id"]]
    assert [w["id"] for w in call(city, f"{WARNINGS}?kind=rainstorm")["items"]] == [rainstorm["id"]]
    assert [w["id"] for w in call(city, f"{WARNINGS}?level=yellow")["items"]] == [snowstorm["id"]]
    assert call(city, f"{WARNINGS}?per_page=1&page=2")["items"][0]["id"] == rainstorm["id"]


def test_a_warning_answers_its_etag_and_304_while_nothing_changed(desk):
    city = desk("ROOT")
    warning = issue(city)
    first = city.get(f"{WARNINGS}/{warning['id']}")
    assert first.status_code == 200 and first.headers["ETag"]
    assert city.get(f"{WARNINGS}/{warning['id']}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    step(city, warning, "MINE-2", "acknowledge", {"by": "孙矿长"})
    assert city.get(f"{WARNINGS}/{warning['id']}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_a_retried_issue_with_the_same_key_is_issued_once(desk, supervision_db):
    city, body, key = desk("ROOT"), red_rainstorm(), {"Idempotency-Key": "yj-2026-06-01-01"}
    first = call(city, WARNINGS, body, status=201, headers=key)
    again = call(city, WARNINGS, body, status=201, headers=key)
    assert again["id"] == first["id"]
    assert call(city, WARNINGS)["total"] == 1 and len(events(supervision_db, "warning.issued")) == 1
