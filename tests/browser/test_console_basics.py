"""The console's foundation as a person meets it in Chromium: signing in and out, who is signed in on every page, the
English switch, forms refused without their CSRF token, the session cookie, and no request leaving the machine."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.browsers import sync_api
from tests.browser.people import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    api_session,
    me,
    seed_person,
    sign_in,
)

expect = sync_api().expect  # without Playwright the module skips (fails under CI=true)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The areas of the navigation bar an admin sees, as (path, name in Chinese, name in English).
AREAS = [("/", "首页", "Home"), ("/stock/", "应急物资", "Stock"), ("/plans/", "应急预案", "Plans"),
         ("/drills/", "应急演练", "Drills"), ("/supervision/", "隐患整改与预警", "Supervision"),
         ("/admin/", "系统管理", "Admin")]
TITLE_ZH = "应急物资与演练管理"  # every page's title ends "· <this>"
TITLE_EN = "ERDM"
# The bar of areas at the top (a page may have navigation of its own, such as the calendar's months).
AREAS_NAV = re.compile("^(功能区|Areas)$")


def path_of(page) -> str:
    return urlsplit(page.url).path


def signed_in_as_admin(page) -> None:
    response = sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert response.ok, f"signing in as admin answered {response.status}"
    expect(page.get_by_test_id("who")).to_be_visible()


def expect_area(page, current: str) -> None:
    """The navigation bar names every area, the one shown marked as current."""
    nav = page.get_by_role("navigation", name=AREAS_NAV)
    expect(nav.get_by_role("link")).to_have_text([name for _path, name, _en in AREAS])
    expect(nav.locator("[aria-current=page]")).to_have_text(current)


def test_the_admin_signs_in_and_sees_their_name_and_organisation(page, stack):
    page.goto("/")
    assert path_of(page) == "/login", "a signed-out browser is sent to the sign-in form"
    expect(page.get_by_test_id("who")).to_have_count(0)

    signed_in_as_admin(page)

    assert path_of(page) == "/"
    admin = me(stack, api_session(stack, ADMIN_USERNAME, ADMIN_PASSWORD)["token"])
    who = page.get_by_test_id("who")
    expect(who.locator(".person")).to_have_text(admin["name"])
    expect(who.locator(".role")).to_have_text("管理员")
    expect(who.locator(".org")).to_have_text(f"{admin['org']['code']} {admin['org']['name']}")
    expect(who.get_by_role("button", name="退出")).to_be_visible()


def test_a_person_of_an_enterprise_sees_their_own_name_and_organisation(page, api):
    person = seed_person(api, display_name="吴仓", role="logistics", org_name="东方建设集团有限公司")

    sign_in(page, person.username, person.password)

    who = page.get_by_test_id("who")
    expect(who.locator(".person")).to_have_text("吴仓")
    expect(who.locator(".org")).to_have_text(f"{person.org['code']} 东方建设集团有限公司")
    nav = page.get_by_role("navigation", name=AREAS_NAV)
    expect(nav.get_by_role("link", name="系统管理")).to_have_count(0)  # the admin area is for admins only


def test_two_people_in_two_browsers_see_their_own_names_and_a_third_browser_is_nobody(page, open_page, api):
    person = seed_person(api, display_name="郑库", role="logistics", org_name="陆家嘴商业广场管理有限公司")
    signed_in_as_admin(page)
    theirs = open_page()
    sign_in(theirs, person.username, person.password)

    page.reload()
    expect(page.get_by_test_id("who").locator(".person")).to_have_text("administrator")
    expect(theirs.get_by_test_id("who").locator(".person")).to_have_text("郑库")
    stranger = open_page()
    stranger.goto("/")
    assert path_of(stranger) == "/login", "a browser that never signed in is nobody, not whoever signed in last"
    expect(stranger.get_by_test_id("who")).to_have_count(0)


def test_a_wrong_password_is_said_on_the_form_in_chinese(page, api):
    person = seed_person(api, display_name="张伟", role="planner", org_name="陆家嘴商业广场管理有限公司")

    response = sign_in(page, person.username, "not-" + person.password)

    assert response.status == 422
    assert path_of(page) == "/login"
    expect(page.locator(".sign-in form")).to_contain_text("用户名或密码错误。")
    expect(page.get_by_test_id("who")).to_have_count(0)
    # and the right password still works: one mistake locks nobody out
    sign_in(page, person.username, person.password)
    expect(page.get_by_test_id("who").locator(".person")).to_have_text("张伟")


def test_the_english_switch_turns_the_page_english_and_back(page):
    signed_in_as_admin(page)
    page.goto("/stock/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect_area(page, "应急物资")

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()

    assert path_of(page) == "/stock/", "the switch comes back to the page it was pressed on"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title(re.compile(f" · {TITLE_EN}$"))
    nav = page.get_by_role("navigation", name=AREAS_NAV)
    expect(nav.get_by_role("link")).to_have_text([english for _path, _zh, english in AREAS])
    expect(page.get_by_test_id("who").locator(".role")).to_have_text("Administrator")
    page.goto("/plans/")  # the choice is remembered on the next page
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.get_by_role("button", name="中文").click()

    assert path_of(page) == "/plans/"
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect_area(page, "应急预案")
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_signing_out_without_the_csrf_token_is_refused_and_leaves_the_person_signed_in(page):
    signed_in_as_admin(page)
    page.evaluate("document.querySelector('form[action=\"/logout\"] input[name=csrf_token]').remove()")

    with page.expect_navigation() as sent:
        page.get_by_test_id("who").get_by_role("button", name="退出").click()

    assert sent.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("表单未被接受")
    page.goto("/")
    assert path_of(page) == "/", "still signed in: the refused sign-out did nothing"
    expect(page.get_by_test_id("who")).to_be_visible()


def test_switching_language_without_the_csrf_token_is_refused_and_changes_nothing(page):
    signed_in_as_admin(page)
    page.evaluate("document.querySelector('form.language input[name=csrf_token]').remove()")

    with page.expect_navigation() as sent:
        page.get_by_role("button", name="English").click()

    assert sent.value.status == 400
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    assert not [cookie for cookie in page.context.cookies() if cookie["name"] == "erdm_lang"]


def test_a_signed_out_person_opening_stock_signs_in_and_lands_back_on_stock(page):
    page.goto("/stock/")

    assert path_of(page) == "/login"
    assert parse_qs(urlsplit(page.url).query)["next"] == ["/stock/"]
    signed_in_as_admin(page)

    assert path_of(page) == "/stock/"
    expect_area(page, "应急物资")


def test_every_page_says_who_is_signed_in_and_loads_nothing_from_elsewhere(page, request_log):
    signed_in_as_admin(page)

    for path, area, _english in AREAS:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert path_of(page) == path
        assert page.title().endswith(f" · {TITLE_ZH}"), f"{path}: title {page.title()!r}"
        expect_area(page, area)
        expect(page.get_by_test_id("who").locator(".person")).to_have_text("administrator")

    asked = request_log.paths()
    for asset in ("/static/console.css", "/static/vendor/htmx.min.js", "/static/console.js"):
        assert asset in asked, f"{asset} was not loaded from the stack"
    request_log.assert_stayed_home()


def test_the_session_cookie_is_httponly_samesite_lax_and_holds_no_api_token(page, stack):
    signed_in_as_admin(page)

    cookie = next(cookie for cookie in page.context.cookies() if cookie["name"] == "erdm_console")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    visible_to_scripts = page.evaluate("document.cookie")
    assert "erdm_console" not in visible_to_scripts and cookie["value"] not in visible_to_scripts

    token = api_session(stack, ADMIN_USERNAME, ADMIN_PASSWORD)["token"]  # what a session token looks like
    assert token.startswith("erdms_")
    assert cookie["value"] != token and "erdms_" not in cookie["value"]
    assert token not in visible_to_scripts
    # The cookie's value is no credential for the API: it names a session only the console can read.
    with_cookie_as_bearer = page.request.get(f"{stack}/api/v1/me",
                                             headers={"Authorization": f"Bearer {cookie['value']}"})
    assert with_cookie_as_bearer.status == 401
