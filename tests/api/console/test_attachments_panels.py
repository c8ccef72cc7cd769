"""A record's files on its page: a plan's, a drill's and an order's attachments listed with their name, kind, size,
who uploaded them and when, a download link, and an upload form for those who may add one; the file goes to the API
as the person chose it, a refusal is said beside the field, and a download passes the API's bytes on."""
from __future__ import annotations

import io

import httpx

import plans_answers
from console import testing
from console.testing import field_errors, visible_text
from drills_records import DRILL_ID, answer_drill_page, drill
from supervision_answers import MINE, MINE_ORG, ORDER, as_person, order

PLAN_FILES = f"/plans/{plans_answers.PLAN_ID}/attachments"
ATTACHMENT_ID = "5f1d2c3b-4a59-4e8d-9c7b-6a5f4e3d2c1b"
SIGNED_PLAN = {"id": ATTACHMENT_ID, "record_id": plans_answers.PLAN_ID, "filename": "总体预案（签发版）.pdf",
               "size": 3 * 1024 * 1024 + 200, "sha256": "ab" * 32, "content_type": "application/pdf",
               "uploaded_by": {"id": "u1", "name": "张预案"}, "uploaded_at": "2026-03-02T02:30:00+00:00",
               "content_url": f"/api/v1/attachments/{ATTACHMENT_ID}/content"}


def test_a_plans_page_lists_its_files_and_offers_the_upload_form(console, gateway):
    plans_answers.serve_plan(gateway)
    gateway.on("GET", PLAN_FILES, testing.page_of([SIGNED_PLAN]))
    page = console.get(f"/plans/{plans_answers.PLAN_ID}")
    text = visible_text(page.data)
    assert "附件 (1)" in text
    assert "总体预案（签发版）.pdf PDF 3.0 MiB 张预案 2026" in text
    html = page.get_data(as_text=True)
    assert f'href="/attachments/{ATTACHMENT_ID}/content"' in html
    assert f'action="{PLAN_FILES}"' in html and 'enctype="multipart/form-data"' in html


def test_a_viewer_sees_the_files_but_no_upload_form(console_app, gateway):
    plans_answers.serve_plan(gateway)
    gateway.on("GET", PLAN_FILES, testing.page_of([SIGNED_PLAN]))
    gateway.on("GET", "/me", {**testing.ME, "role": "viewer"})
    viewer = console_app.test_client()
    testing.sign_in(viewer)
    html = viewer.get(f"/plans/{plans_answers.PLAN_ID}").get_data(as_text=True)
    assert "总体预案（签发版）.pdf" in html and f'action="{PLAN_FILES}"' not in html


def test_the_chosen_file_goes_to_the_api_as_it_is_and_the_page_says_it_is_attached(console, gateway):
    plans_answers.serve_plan(gateway)
    gateway.on("POST", PLAN_FILES, httpx.Response(201, json=SIGNED_PLAN))
    content = b"%PDF-1.4 signed plan"
    answer = console.post(PLAN_FILES, content_type="multipart/form-data", data={
        "csrf_token": testing.csrf_token(console, f"/plans/{plans_answers.PLAN_ID}"),
        "file": (io.BytesIO(content), "总体预案（签发版）.pdf")})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/plans/{plans_answers.PLAN_ID}#attachments")
    (sent,) = [request for request in gateway.requests if request.method == "POST"
               and request.url.path == "/api/v1" + PLAN_FILES]
    assert content in sent.content and "总体预案（签发版）.pdf".encode() in sent.content
    assert sent.headers["Authorization"] == "Bearer session-token"
    assert "已添加附件 总体预案（签发版）.pdf" in visible_text(console.get(f"/plans/{plans_answers.PLAN_ID}").data)


def test_a_refused_file_is_said_beside_the_field(console, gateway):
    plans_answers.serve_plan(gateway)
    gateway.on("POST", PLAN_FILES, testing.problem(415, "Attachments are PDF, DOCX, XLSX, JPEG or PNG files.",
                                                   errors={"file": ["The file is not a PDF (judged by content)."]}))
    console.post(PLAN_FILES, content_type="multipart/form-data", data={
        "csrf_token": testing.csrf_token(console, f"/plans/{plans_answers.PLAN_ID}"),
        "file": (io.BytesIO(b"MZ..."), "预案.pdf")})
    page = console.get(f"/plans/{plans_answers.PLAN_ID}")
    assert field_errors(page.data, "file") == ["The file is not a PDF (judged by content)."]
    assert field_errors(console.get(f"/plans/{plans_answers.PLAN_ID}").data, "file") == []  # said once


def test_no_file_chosen_is_said_beside_the_field_without_asking_the_api(console, gateway):
    plans_answers.serve_plan(gateway)
    console.post(PLAN_FILES, data={"csrf_token": testing.csrf_token(console, f"/plans/{plans_answers.PLAN_ID}")})
    assert field_errors(console.get(f"/plans/{plans_answers.PLAN_ID}").data, "file") == ["请选择要上传的文件。"]
    assert not [request for request in gateway.requests if request.method == "POST" and "attachments" in str(request.url)]


def test_an_upload_without_the_forms_token_is_refused(console, gateway):
    plans_answers.serve_plan(gateway)
    answer = console.post(PLAN_FILES, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")})
    assert answer.status_code == 400
    assert not [request for request in gateway.requests if request.method == "POST" and "attachments" in str(request.url)]


def test_a_download_passes_the_apis_bytes_and_name_on(console, gateway):
    gateway.on("GET", f"/attachments/{ATTACHMENT_ID}/content", httpx.Response(200, content=b"%PDF-1.4 bytes", headers={
        "Content-Type": "application/pdf", "Content-Disposition": "attachment; filename*=UTF-8''a.pdf"}))
    answer = console.get(f"/attachments/{ATTACHMENT_ID}/content")
    assert answer.status_code == 200 and answer.data == b"%PDF-1.4 bytes"
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == "attachment; filename*=UTF-8''a.pdf"
    assert console.get(f"/attachments/{PLAN_FILES[-36:]}/content").status_code == 404


def test_a_drills_page_and_an_orders_page_have_their_files_too(console, console_app, gateway):
    answer_drill_page(gateway, drill())
    gateway.on("GET", f"/drills/{DRILL_ID}/attachments", testing.page_of([{**SIGNED_PLAN, "filename": "签到表.xlsx",
        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "size": 2048}]))
    assert "签到表.xlsx XLSX 2 KiB" in visible_text(console.get(f"/drills/{DRILL_ID}").data)

    gateway.on("GET", f"/rectification-orders/{ORDER}", order("acknowledged"))
    gateway.on("GET", f"/orgs/{MINE['id']}", MINE_ORG)
    gateway.on("GET", f"/rectification-orders/{ORDER}/attachments", testing.page_of([{**SIGNED_PLAN,
        "filename": "整改照片.jpg", "content_type": "image/jpeg", "size": 512}]))
    mine = as_person(console_app, gateway, role="logistics", org=MINE, name="李安全")
    page = mine.get(f"/supervision/orders/{ORDER}")
    assert "整改照片.jpg JPEG 1 KiB" in visible_text(page.data)
    assert f'action="/rectification-orders/{ORDER}/attachments"' in page.get_data(as_text=True)
