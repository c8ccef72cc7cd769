"""The area in the top bar (隐患整改与预警), marked on its pages, and its tabs on every one of them with the page
shown (or the one it belongs to) marked; English on request."""
from __future__ import annotations

import re

import pytest

from console import testing
from supervision_answers import ENTERPRISES, FAN, ORDER, WARNING, as_person, follow_up, hazard, order, warning

TABS = [("/supervision/orders", "整改指令"), ("/supervision/hazards", "事故隐患"),
        ("/supervision/follow-ups", "回头看"), ("/supervision/warnings", "预警")]


@pytest.fixture(autouse=True)
def answers(gateway):
    gateway.on("GET", "/orgs", testing.page_of(ENTERPRISES))
    gateway.on("GET", "/hazards", testing.page_of([hazard()]))
    gateway.on("GET", f"/hazards/{FAN}", hazard())
    gateway.on("GET", "/rectification-orders", testing.page_of([order("closed")]))
    gateway.on("GET", f"/rectification-orders/{ORDER}", order())
    gateway.on("GET", "/follow-ups", testing.page_of([follow_up()]))
    gateway.on("GET", "/warnings", testing.page_of([warning()]))
    gateway.on("GET", f"/warnings/{WARNING}", warning())


def tabs(client, path: str) -> list[tuple[str, str, bool]]:
    html = client.get(path).get_data(as_text=True)
    [nav] = re.findall(r'<nav class="supervision-tabs" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    return [(href, words, bool(marked))
            for href, marked, words in re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)]


@pytest.mark.parametrize(("path", "current"), [
    ("/supervision/orders", "整改指令"), (f"/supervision/orders/{ORDER}", "整改指令"),
    ("/supervision/orders/new", "整改指令"), ("/supervision/hazards", "事故隐患"),
    (f"/supervision/hazards/{FAN}", "事故隐患"), ("/supervision/hazards/new", "事故隐患"),
    ("/supervision/follow-ups", "回头看"), ("/supervision/follow-ups/new", "回头看"),
    ("/supervision/warnings", "预警"), (f"/supervision/warnings/{WARNING}", "预警"), ("/supervision/warnings/new", "预警"),
])
def test_every_page_of_the_area_has_its_tabs_with_its_own_marked(console, path, current):
    links = tabs(console, path)
    assert [(href, words) for href, words, _marked in links] == TABS
    assert [words for _href, words, marked in links if marked] == [current]


def test_the_top_bar_names_the_area_and_marks_it_on_its_pages(console):
    html = console.get("/supervision/warnings").get_data(as_text=True)
    assert '<a href="/supervision/orders" aria-current="page">隐患整改与预警</a>' in html
    assert '<a href="/supervision/warnings" aria-current="page">预警</a>' in html  # the tab says which page


def test_every_role_finds_the_area_from_any_page(console_app, gateway):
    viewer = as_person(console_app, gateway, role="viewer")
    gateway.on("GET", "/alerts", testing.page_of([]))
    assert '<a href="/supervision/orders">隐患整改与预警</a>' in viewer.get("/stock/alerts").get_data(as_text=True)


def test_the_pages_are_in_english_on_request(console):
    html = console.get("/supervision/orders?lang=en").get_data(as_text=True)
    assert ">Supervision</a>" in html and "Rectification orders" in html and "Stop and rectify" in html
    assert "Issued" in html
