"""Calendar feeds on the calendar page: made with a name and perhaps a plan, the full URL shown once, deleted."""
from __future__ import annotations

import httpx

from console import testing
from tests.api.console import drills_records as records

FEED_PATH = "/feeds/erdmf_iYKmGmbKo7GXPmMPfYoWi2QOioLLISWWAZYPjLM3Qvc.ics"
TOKEN_URL = "http://gateway.internal:8000" + FEED_PATH  # the address the console reaches the gateway at
SHOWN_URL = "http://localhost" + FEED_PATH  # the address the browser reached the console at


def _calendar(gateway, feeds):
    gateway.on("GET", "/drills", testing.page_of([]))
    gateway.on("GET", "/plans", records.plans_by_status)
    gateway.on("GET", "/calendar-feeds", testing.page_of(feeds))


def test_the_panel_lists_the_feeds_with_their_plan_by_code_and_title(console, gateway):
    _calendar(gateway, [records.feed(), records.feed(id="9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                                                     name="防汛预案专用", plan_id=records.PLAN_ID)])
    answer = console.get("/drills/")
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert "值班室 Outlook" in text and "全部预案" in text and "防汛预案专用" in text
    assert "YA-2026-01 防汛防台专项应急预案" in text and "王物资" in text
    assert f'action="/drills/feeds/{records.FEED_ID}/delete"' in html
    assert records.FEED_ID not in text and records.PLAN_ID not in text


def test_a_new_feed_is_made_for_a_plan_and_its_full_url_shown_once(console, gateway):
    _calendar(gateway, [])
    gateway.on("POST", "/calendar-feeds", httpx.Response(201, json={"id": records.FEED_ID, "url": TOKEN_URL}))
    answer = testing.post_form(console, "/drills/feeds", {"name": "防汛预案专用", "plan_id": records.PLAN_ID},
                               page="/drills/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/drills/#feeds"
    assert gateway.sent("POST", "/calendar-feeds") == [{"name": "防汛预案专用", "plan_id": records.PLAN_ID}]
    shown = console.get("/drills/").get_data(as_text=True)
    assert f'value="{SHOWN_URL}"' in shown and "仅显示这一次" in shown
    assert FEED_PATH not in console.get("/drills/").get_data(as_text=True)


def test_a_feed_for_every_plan_is_sent_without_a_plan(console, gateway):
    _calendar(gateway, [])
    gateway.on("POST", "/calendar-feeds", httpx.Response(201, json={"id": records.FEED_ID, "url": TOKEN_URL}))
    testing.post_form(console, "/drills/feeds", {"name": "值班室 Outlook", "plan_id": ""}, page="/drills/")
    assert gateway.sent("POST", "/calendar-feeds") == [{"name": "值班室 Outlook"}]


def test_the_feed_url_is_at_the_address_people_reach_the_gateway_at(console, gateway):
    """Behind the gateway the console learns that address from X-Forwarded-Host and -Proto."""
    _calendar(gateway, [])
    gateway.on("POST", "/calendar-feeds", httpx.Response(201, json={"id": records.FEED_ID, "url": TOKEN_URL}))
    # Over HTTPS the CSRF check also wants the form's page, on the same host, as Referer (a browser sends it).
    behind_the_gateway = {"X-Forwarded-Host": "erdm.yjj.example.cn", "X-Forwarded-Proto": "https",
                          "Referer": "https://erdm.yjj.example.cn/drills/"}
    console.post("/drills/feeds", data={"name": "值班室 Outlook", "csrf_token": testing.csrf_token(console, "/drills/")},
                 headers=behind_the_gateway)
    shown = console.get("/drills/", headers=behind_the_gateway).get_data(as_text=True)
    assert f'value="https://erdm.yjj.example.cn{FEED_PATH}"' in shown


def test_a_feed_without_a_name_is_refused_beside_the_name(console, gateway):
    _calendar(gateway, [])
    gateway.on("POST", "/calendar-feeds", testing.problem(422, "Some fields are invalid", errors={
        "name": ["Missing data for required field."]}))
    answer = testing.post_form(console, "/drills/feeds", {"name": ""}, page="/drills/")
    assert answer.status_code == 422
    assert '<small class="error" data-field="name">此项为必填项。</small>' in answer.get_data(as_text=True)


def test_deleting_a_feed_revokes_it(console, gateway):
    _calendar(gateway, [records.feed()])
    gateway.on("DELETE", f"/calendar-feeds/{records.FEED_ID}", httpx.Response(204))
    answer = testing.post_form(console, f"/drills/feeds/{records.FEED_ID}/delete", {}, page="/drills/")
    assert answer.status_code == 302
    assert [r.method for r in gateway.requests if r.url.path == f"/api/v1/calendar-feeds/{records.FEED_ID}"] == [
        "DELETE"]
