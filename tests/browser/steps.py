"""What the story tests do on the console's pages as a person does: open a folded form, choose from a list by code,
send a form and read its answer, and wait (bounded) for what the services do in the background."""
from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from servicekit.clock import local_today
from tests.browser.browsers import sync_api

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Response

expect = sync_api().expect  # without Playwright the module skips (fails under CI=true)

# How long a story waits for the services' background work (a drill's reservation, a plan hearing of its drill):
# seconds on a quiet machine, more on a loaded one; past this it is a failure.
BACKGROUND_S = 30
RELOAD_EVERY_MS = 5_000  # longer than a self-refreshing page's own period (the drill page's is 3 s)


def unique(prefix: str) -> str:
    """A code no other test uses: the stack is shared by every browser test (and by reruns against it)."""
    return f"{prefix}-{uuid.uuid4().hex[:6].upper()}"


def days_from_today(days: int) -> str:
    """A date `YYYY-MM-DD` counted from today where the bureau is (the stack's zone), as a date input takes it."""
    return (local_today() + dt.timedelta(days=days)).isoformat()


def path_of(page: Page) -> str:
    """The path of the page shown, e.g. `/stock/depots/<id>` after a form led there."""
    return urlsplit(page.url).path


def open_panel(page: Page, summary: str) -> Locator:
    """The form inside the folded panel (`<details>`) whose summary says `summary`, unfolded."""
    panel = page.locator("details").filter(has=page.locator("summary", has_text=summary))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return panel.locator("form")


def choose(select: Locator, text: str) -> None:
    """Choose the one option that says `text` (a code made by `unique`), whatever else its label says."""
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))


def send(page: Page, button: Locator) -> Response:
    """Press a form's button; the answer to its POST (a redirect is followed to the page it leads to)."""
    with page.expect_navigation() as sent:
        button.click()
    return sent.value


def flashed(page: Page) -> Locator:
    """The success message a form leaves on the page it leads to."""
    return page.locator("p.flash-success")


def reload_until_visible(page: Page, locator: Locator, *, timeout_s: float = BACKGROUND_S) -> None:
    """Wait for `locator` to show on this page, reloading it now and then: for what another service does in the
    background (a page that refreshes itself shows it sooner). Fails after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        remaining_ms = (deadline - time.monotonic()) * 1000
        try:
            expect(locator).to_be_visible(timeout=max(1, min(RELOAD_EVERY_MS, remaining_ms)))
            return
        except AssertionError:
            if time.monotonic() >= deadline:
                raise
        page.reload()
