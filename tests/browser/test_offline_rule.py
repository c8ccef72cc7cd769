"""The harness's own promise, in the real browser: a request to another host is seen, and stopped before it leaves."""
from __future__ import annotations

import pytest

from tests.browser.browsers import sync_api

playwright = sync_api()  # without Playwright the module skips (fails under CI=true)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

CDN_SCRIPT = "https://cdn.jsdelivr.net/npm/htmx.org@2.0.4/dist/htmx.min.js"


def test_a_request_to_another_host_is_logged_and_stopped_before_it_leaves_the_machine(page, request_log):
    page.goto("/login")

    with pytest.raises(playwright.Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto(CDN_SCRIPT)

    assert request_log.take_foreign() == [CDN_SCRIPT]  # taken: this test sent it on purpose
    assert "/login" in request_log.paths()
