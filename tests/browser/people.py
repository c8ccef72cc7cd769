"""What the browser tests do as people: sign in through the form or the API, and people seeded for a story."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

if TYPE_CHECKING:  # Playwright itself is imported where its absence can skip (tests/browser/browsers.py)
    from playwright.sync_api import Page, Response

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "browser-admin-password-2026"  # given to the stack as ERDM_ADMIN_PASSWORD
PASSWORD = "browser-person-password-2026"  # every seeded person's (10+ characters)


def sign_in(page: Page, username: str, password: str) -> Response:
    """Fill the sign-in form and send it; the answer to the POST (a redirect is followed to the page it leads to).

    Opens /login first unless the page shows the form already (a redirect there keeps its `next`).
    """
    if urlsplit(page.url).path != "/login":
        page.goto("/login")
        assert urlsplit(page.url).path == "/login", (
            f"/login sent this browser on to {page.url}: it is signed in already, though it never signed in here")
    form = page.locator(".sign-in form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as sent:
        form.locator("button[type=submit]").click()
    return sent.value


def api_session(stack: str, username: str, password: str) -> dict:
    """Sign in as a program does: `{token, expires_at, user}` from POST /api/v1/sessions."""
    answer = httpx.post(f"{stack}/api/v1/sessions", json={"username": username, "password": password}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()


def me(stack: str, token: str) -> dict:
    """Who the gateway says a token's holder is (what the console shows at the top of each page)."""
    answer = httpx.get(f"{stack}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


@dataclass(frozen=True)
class Person:
    username: str
    password: str
    display_name: str
    org: dict  # the organisation as the API answered it: id, code, name, path


def seed_person(api: httpx.Client, *, display_name: str, role: str, org_name: str, kind: str = "enterprise",
                scope: str = "own") -> Person:
    """A new organisation under the root and one person in it; codes and username unique within the stack every
    browser test shares."""
    suffix = uuid.uuid4().hex[:6].upper()
    org = api.post("/orgs", json={"code": f"B-{suffix}", "name": org_name, "kind": kind, "parent_code": "ROOT"})
    assert org.status_code == 201, org.text
    username = f"browser.{suffix.lower()}"
    user = api.post("/users", json={"username": username, "display_name": display_name, "password": PASSWORD,
                                    "role": role, "org_id": org.json()["id"], "scope": scope})
    assert user.status_code == 201, user.text
    return Person(username=username, password=PASSWORD, display_name=display_name, org=org.json())
