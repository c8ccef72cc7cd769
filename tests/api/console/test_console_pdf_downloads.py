"""下载 PDF: the plan, drill, ledger and rectification order pages offer the record's printed document, and the
console hands the browser the PDF the API printed for the signed-in person, under the API's file name, never
cached; a record the API does not show them is the console's 404, a bad period its 422."""
from __future__ import annotations

import re

import httpx
import pytest

import plans_answers
from console import testing
from supervision_answers import MINE, MINE_ORG, ORDER, as_person, order
from tests.api.console import drills_records
from tests.api.console.test_stock_ledger import CITY, LEDGER, answer_choosers

PDF = b"%PDF-1.7\n% the API's bytes\n"
DISPOSITION = "inline; filename=\"filing-form-YA-1.pdf\"; filename*=UTF-8''%E5%BA%94%E6%80%A5.pdf"


def pdf_answer() -> httpx.Response:
    return httpx.Response(200, content=PDF, headers={"Content-Type": "application/pdf",
                                                     "Content-Disposition": DISPOSITION,
                                                     "Cache-Control": "private, no-store"})


def offered(page, href: str) -> bool:
    """The page links to `href` with the words 下载 PDF."""
    html = page.get_data(as_text=True)
    return any("下载 PDF" in link for link in re.findall(rf'<a [^>]*href="{re.escape(href)}"[^>]*>[^<]*</a>', html))


def test_the_plan_page_offers_its_filing_form(console, gateway):
    plan = plans_answers.serve_plan(gateway)
    href = f"/documents/plans/{plan['id']}/filing-form.pdf"
    assert offered(console.get(f"/plans/{plan['id']}"), href)
    gateway.on("GET", f"/plans/{plan['id']}/filing-form.pdf", pdf_answer())
    answer = console.get(href)
    assert answer.status_code == 200 and answer.data == PDF and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == DISPOSITION and answer.headers["Cache-Control"] == "no-store"


def test_the_drill_page_offers_its_report(console, gateway):
    drills_records.answer_drill_page(gateway, drills_records.drill())
    href = f"/documents/drills/{drills_records.DRILL_ID}/report.pdf"
    assert offered(console.get(f"/drills/{drills_records.DRILL_ID}"), href)
    gateway.on("GET", f"/drills/{drills_records.DRILL_ID}/report.pdf", pdf_answer())
    assert console.get(href).data == PDF


def test_a_viewer_on_the_order_page_is_offered_the_order_to_sign(console_app, gateway):
    gateway.on("GET", f"/rectification-orders/{ORDER}", order("issued"))
    gateway.on("GET", f"/orgs/{MINE['id']}", MINE_ORG)
    viewer = as_person(console_app, gateway, role="viewer", name="值班员")
    href = f"/documents/rectification-orders/{ORDER}.pdf"
    assert offered(viewer.get(f"/supervision/orders/{ORDER}"), href)
    gateway.on("GET", f"/rectification-orders/{ORDER}.pdf", pdf_answer())
    assert viewer.get(href).data == PDF


def test_the_depots_ledger_offers_the_printed_ledger_for_the_period_shown(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of(LEDGER))
    page = console.get(f"/stock/movements?warehouse_id={CITY['id']}&from=2026-11-01&to=2026-11-30")
    assert [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/movements"][-1] == {
        "warehouse_id": CITY["id"], "from": "2026-11-01", "to": "2026-11-30", "per_page": "50"}
    href = f"/documents/stock/ledger.pdf?warehouse_id={CITY['id']}&amp;from=2026-11-01&amp;to=2026-11-30"
    assert offered(page, href)
    gateway.on("GET", "/stock/ledger.pdf", pdf_answer())
    assert console.get(href.replace("&amp;", "&")).data == PDF
    asked = [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/stock/ledger.pdf"][-1]
    assert asked == {"warehouse_id": CITY["id"], "from": "2026-11-01", "to": "2026-11-30"}


def test_the_ledger_of_every_depot_offers_no_pdf(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of(LEDGER))
    assert "/documents/stock/ledger.pdf" not in console.get("/stock/movements").get_data(as_text=True)


@pytest.mark.parametrize("status", [404, 422])
def test_what_the_api_refuses_is_the_consoles_refusal(console, gateway, status):
    gateway.on("GET", "/stock/ledger.pdf", testing.problem(status, "No warehouse 1 in your scope."))
    answer = console.get(f"/documents/stock/ledger.pdf?warehouse_id={CITY['id']}&from=2026-12-10&to=2026-12-01")
    assert answer.status_code == status and answer.mimetype == "text/html"


def test_an_answer_that_is_no_pdf_is_never_handed_over_as_one(console, gateway):
    gateway.on("GET", f"/drills/{drills_records.DRILL_ID}/report.pdf", {"not": "a pdf"})
    assert console.get(f"/documents/drills/{drills_records.DRILL_ID}/report.pdf").status_code == 502
