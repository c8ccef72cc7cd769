"""The browser tests' own rules, checked without a browser: what counts as leaving the stack, where screenshots go."""
from __future__ import annotations

import pytest

from tests.browser.browsers import SCREENSHOTS, screenshot_path
from tests.browser.requestlog import RequestLog

STACK = "http://127.0.0.1:23450"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:23450/static/console.css",
    "http://127.0.0.1:23450/stock/?page=2",
    "HTTP://127.0.0.1:23450/login",
    "data:image/png;base64,iVBORw0KGgo=",
    "blob:http://127.0.0.1:23450/5f0c6e3a",
])
def test_the_stacks_own_pages_and_assets_and_inline_data_stay_home(url):
    log = RequestLog(STACK)
    log.urls.append(url)

    assert not log.leaves_home(url)
    log.assert_stayed_home()


@pytest.mark.parametrize("url", [
    "https://cdn.jsdelivr.net/npm/htmx.org@2/dist/htmx.min.js",
    "https://fonts.googleapis.com/css2?family=Noto+Sans+SC",
    "https://a.tile.openstreetmap.org/3/4/2.png",
    "http://127.0.0.1:23451/static/console.css",  # another port is another server, even on this machine
    "http://localhost:23450/static/console.css",  # the same server by another name is still another origin
    "https://127.0.0.1:23450/static/console.css",
    "ws://127.0.0.1:9222/devtools",
])
def test_any_other_origin_leaves_home_and_fails_the_check_naming_the_url(url):
    log = RequestLog(STACK)
    log.urls += [f"{STACK}/", url]

    assert log.leaves_home(url)
    assert log.foreign() == [url]
    with pytest.raises(AssertionError, match="1 request\\(s\\) left the stack") as refused:
        log.assert_stayed_home()
    assert url in str(refused.value)


def test_a_stray_taken_on_purpose_is_no_longer_held_against_the_test():
    log = RequestLog(STACK)
    log.urls += [f"{STACK}/", "https://cdn.example.com/x.js", f"{STACK}/static/console.js"]

    assert log.take_foreign() == ["https://cdn.example.com/x.js"]
    assert log.paths() == ["/", "/static/console.js"]
    log.assert_stayed_home()


def test_a_failing_tests_screenshot_is_named_after_it_in_the_artifacts_folder():
    assert screenshot_path("test_sign_in") == SCREENSHOTS / "test_sign_in.png"
    assert screenshot_path("test_pages[/stock/-应急物资]") == SCREENSHOTS / "test_pages_stock_-应急物资.png"
    assert screenshot_path("test_two_people", 2) == SCREENSHOTS / "test_two_people@2.png"
    assert SCREENSHOTS.parts[-2:] == ("test-artifacts", "browser")
