"""Debian's Chromium through Playwright for Python (never Playwright's own download); screenshots of failures."""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType


from servicekit.testing import missing_real_component, require_tool
from tests.e2e.stackrun import REPO

SCREENSHOTS = REPO / "test-artifacts" / "browser"  # git-ignored; CI keeps the folder as its artifacts
CHROMIUM_HINT = "Debian: apt-get install chromium fonts-noto-cjk"
# Chromium as root in a container has no user namespace for its sandbox.
CHROMIUM_ARGS = ["--no-sandbox"]


def sync_api() -> ModuleType:
    """`playwright.sync_api`, or the test skipped (failed under CI=true) when Playwright is not installed."""
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError:
        missing_real_component("Playwright for Python not installed (pip install -e '.[test]')")


def chromium_path() -> str:
    """Debian's Chromium: `playwright install` fetches a browser from the internet, which CI may not reach."""
    return require_tool("chromium", CHROMIUM_HINT)


def screenshot_path(test_name: str, page_number: int = 1) -> Path:
    """`test-artifacts/browser/<test name>.png` for a test's first page, `<test name>@2.png` for its second browser and
    so on; the name made safe for a file (parameters in brackets)."""
    safe = re.sub(r"[^\w.-]+", "_", test_name).strip("_")
    return SCREENSHOTS / (f"{safe}.png" if page_number == 1 else f"{safe}@{page_number}.png")


def keep_screenshots(pages: list, test_name: str, *, failed: bool) -> list[str]:
    """Each page as the failing test left it, full length (a story with two people has two browsers); a passing
    test removes its last failure's pictures, so the folder shows only what fails now. The paths written."""
    if not failed:
        for stale in [screenshot_path(test_name), *SCREENSHOTS.glob(f"{screenshot_path(test_name).stem}@*.png")]:
            stale.unlink(missing_ok=True)
        return []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for number, page in enumerate(pages, start=1):
        if not page.is_closed():
            path = screenshot_path(test_name, number)
            page.screenshot(path=str(path), full_page=True)
            written.append(str(path))
    return written
