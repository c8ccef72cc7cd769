"""Browser tests: ONE real stack for all of them (stopped after the last), Debian's Chromium through Playwright, a
fresh browser context per test; a request to any origin but the stack's fails the test, and a failing test leaves
its full-page screenshot in test-artifacts/browser/."""
from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser import browsers
from tests.browser.people import ADMIN_PASSWORD
from tests.browser.requestlog import RequestLog
from tests.e2e.stackrun import erdm_stack

if TYPE_CHECKING:
    from playwright.sync_api import Page

ADMIN_KEY = "browser-tests-admin-key-0123456789abcdef"  # for seeding through the API; people sign in instead
LOCALE = "zh-CN"  # the bureau's browsers; the console is Chinese by default whatever the browser says
VIEWPORT = {"width": 1280, "height": 900}
# Playwright waits up to 30 s by default; a page of the local stack that takes longer is a failure, said sooner.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser():
    """One Chromium for every browser test; each test gets contexts of its own, so no cookie passes between tests."""
    sync_api = browsers.sync_api()
    executable = browsers.chromium_path()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=browsers.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def stack(browser, tmp_path_factory):
    """`python -m erdm run` (gateway, services, console) on free ports; its base URL, e.g. http://127.0.0.1:23456.

    Asks for the browser first: without one the tests skip (or fail under CI=true) before spending ~20 s on a stack.
    """
    with erdm_stack(tmp_path_factory.mktemp("browser-stack"), ADMIN_KEY,
                    ERDM_ADMIN_PASSWORD=ADMIN_PASSWORD) as (base, _supervisor, _env):
        yield base


@pytest.fixture(scope="package")
def api(stack):
    """The API as the admin key sees it (base `<stack>/api/v1`), to seed organisations, people and data quickly."""
    with httpx.Client(base_url=f"{stack}/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                      timeout=30) as client:
        yield client


@pytest.fixture
def request_log(stack) -> RequestLog:
    """Every request this test's browser makes; checked after the test (see pytest_runtest_call below)."""
    return RequestLog(stack)


@pytest.fixture
def open_page(request, browser, stack, request_log):
    """Opens a page in a browser context of its own (no cookies, zh-CN), as if on another person's machine; relative
    URLs go to the stack. Every request is logged, and one to another origin refused before it leaves the machine."""
    contexts = []
    request.node.request_log = request_log  # for the check after the test
    request.node.browser_pages = []  # for the screenshots of a failure

    def open_() -> Page:
        context = browser.new_context(base_url=stack, locale=LOCALE, viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", request_log.record)
        context.route(request_log.leaves_home, lambda route: route.abort("blockedbyclient"))
        contexts.append(context)
        request.node.browser_pages.append(context.new_page())
        return request.node.browser_pages[-1]

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """The test's browser page (a fresh context: signed out, Chinese)."""
    return open_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test body that passed: had its browser asked any other origin, the test fails (the SPEC's rule)."""
    result = yield
    log = getattr(item, "request_log", None)
    if log is not None:
        log.assert_stayed_home()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test leaves test-artifacts/browser/<test name>.png (its pages are still open here)."""
    report = yield
    pages = getattr(item, "browser_pages", None)
    if report.when == "call" and pages:
        try:
            saved = browsers.keep_screenshots(pages, item.name, failed=report.failed)
        except (OSError, browsers.sync_api().Error) as exc:  # the test's failure is what matters; say why no picture
            report.sections.append(("screenshot", f"no screenshot: {exc}"))
        else:
            if saved:
                report.sections.append(("screenshots", "\n".join(saved)))
    return report
