"""An administrator lists the people who sign in, creates one and changes a role, scope, sign-in or password."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import httpx

from console import testing
from console.testing import field_errors, visible_text

ROOT = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
ENT = {"id": "7c2d9e4f-3a5b-4c6d-8e7f-9a0b1c2d3e01", "code": "ENT-001", "name": "高桥石化有限公司"}
ADMIN = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资"}
LIU_ID = "3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e01"


def tree_org(reference, path, parent=None):
    """An organisation as `GET /orgs` answers it, for the choosers."""
    return {**reference, "kind": "bureau" if parent is None else "enterprise", "path": path, "parent": parent,
            "district": None, "industries": [], "principal": None, "deputies": [], "active": True,
            "created_at": "2025-03-01T01:00:00+00:00", "created_by": ADMIN,
            "updated_at": "2025-03-01T01:00:00+00:00", "updated_by": ADMIN}


ORGS = [tree_org(ROOT, "/ROOT/"), tree_org(ENT, "/ROOT/ENT-001/", ROOT)]


def person(user_id, username, display_name, role, org, scope, *, active=True, last_sign_in_at=None):
    """A person as `GET /users` answers them (gateway/user_schemas.py: UserSchema)."""
    return {"id": user_id, "username": username, "display_name": display_name, "role": role, "org": org,
            "scope": scope, "active": active, "last_sign_in_at": last_sign_in_at,
            "created_at": "2025-03-01T01:00:00+00:00", "created_by": ADMIN,
            "updated_at": "2025-03-05T08:00:00+00:00", "updated_by": ADMIN}


LIU = person(LIU_ID, "liu.wuzi", "刘物资", "logistics", ENT, "own", last_sign_in_at="2025-03-06T00:15:00+00:00")
CHEN = person("3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e02", "chen.yuan", "陈预案", "planner", ROOT, "subtree",
              active=False)




def serve(gateway, people=(LIU, CHEN)):
    gateway.on("GET", "/orgs", testing.page_of(ORGS))
    gateway.on("GET", "/users", testing.page_of(list(people)))


def test_the_people_list_shows_role_organisation_scope_and_sign_in_in_chinese(console, gateway):
    serve(gateway)
    html = console.get("/admin/users").get_data(as_text=True)
    text = visible_text(html)
    rows = re.findall(r"<tr(?: class=\"retired\")?>\s*<td><a href=\"/admin/users/([^\"]+)\">([^<]+)</a></td>", html)
    assert rows == [(LIU_ID, "liu.wuzi"), (CHEN["id"], "chen.yuan")]
    assert "刘物资" in text and "物资保障" in text and "ENT-001 高桥石化有限公司" in text and "仅本单位" in text
    assert "陈预案" in text and "预案管理" in text and "本单位及下级单位" in text and "已停用" in text
    assert "2025-03-06 08:15" in text and "从未登录" in text
    assert not any(record_id in text for record_id in (LIU_ID, CHEN["id"], ROOT["id"], ENT["id"]))


def test_the_filters_and_the_pager_reach_the_api(console, gateway):
    serve(gateway)
    gateway.on("GET", "/users", testing.page_of([LIU], page=2, per_page=50, total=51))
    html = console.get(f"/admin/users?role=logistics&org_id={ENT['id']}&active=true&page=2").get_data(as_text=True)
    asked = parse_qs(next(r for r in gateway.requests if r.url.path == "/api/v1/users").url.query.decode())
    assert asked == {"role": ["logistics"], "org_id": [ENT["id"]], "active": ["true"], "page": ["2"],
                     "per_page": ["50"]}
    assert "第 2 / 2 页（共 51 条）" in html and 'rel="prev"' in html
    assert '<option value="logistics" selected>' in html and f'<option value="{ENT["id"]}" selected>' in html


def test_creating_a_person_sends_what_the_api_takes(console, gateway):
    serve(gateway)
    created = person("3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e03", "zhao.jian", "赵检查", "inspector", ENT, "own")
    gateway.on("POST", "/users", httpx.Response(201, json=created))
    answer = testing.post_form(console, "/admin/users", {
        "username": "zhao.jian", "display_name": "赵检查", "password": "a-long-password-1", "role": "inspector",
        "org_id": ENT["id"], "scope": "own"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/users"
    assert gateway.sent("POST", "/users") == [{"username": "zhao.jian", "display_name": "赵检查",
                                               "password": "a-long-password-1", "role": "inspector",
                                               "org_id": ENT["id"], "scope": "own"}]
    assert "已创建用户 赵检查（zhao.jian），现在即可登录。" in console.get("/admin/users").get_data(as_text=True)


def test_a_new_person_is_offered_the_least_role_unless_someone_chooses_more(console, gateway):
    serve(gateway)
    html = console.get("/admin/users").get_data(as_text=True)
    role_chooser = re.search(r'<select id="role" name="role"[^>]*>(.*?)</select>', html, re.DOTALL).group(1)
    assert re.findall(r"<option selected value=\"(\w+)\"", role_chooser) == ["viewer"]


def test_a_short_password_is_refused_in_chinese_before_anything_is_sent(console, gateway):
    serve(gateway)
    answer = testing.post_form(console, "/admin/users", {
        "username": "zhao.jian", "display_name": "赵检查", "password": "short", "role": "viewer",
        "org_id": ENT["id"], "scope": "own"})
    assert answer.status_code == 422
    assert field_errors(answer.get_data(as_text=True), "password") == ["至少 10 个字符。"]
    assert gateway.sent("POST", "/users") == []


def test_a_taken_username_is_said_beside_the_username(console, gateway):
    serve(gateway)
    gateway.on("POST", "/users", testing.problem(409, "the username 'Liu.Wuzi' is taken (usernames are the same "
                                                      "whatever their case)"))
    answer = testing.post_form(console, "/admin/users", {
        "username": "Liu.Wuzi", "display_name": "刘二", "password": "a-long-password-1", "role": "viewer",
        "org_id": ENT["id"], "scope": "own"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert field_errors(html, "username") == ["该用户名已被使用（不区分大小写）。"]
    assert 'value="Liu.Wuzi"' in html and "a-long-password-1" not in html  # a password is never sent back


def test_the_apis_422_is_put_beside_its_field(console, gateway):
    serve(gateway)
    gateway.on("POST", "/users", testing.problem(422, "Some fields are invalid: display_name",
                                                 errors={"display_name": ["Shorter than minimum length 1."]}))
    answer = testing.post_form(console, "/admin/users", {
        "username": "zhao.jian", "display_name": "   ", "password": "a-long-password-1", "role": "viewer",
        "org_id": ENT["id"], "scope": "own"})
    assert answer.status_code == 422
    assert field_errors(answer.get_data(as_text=True), "display_name") == ["此项为必填项。"]


def test_a_scope_wider_than_the_administrators_is_refused_at_the_top_of_the_form(console, gateway):
    serve(gateway)
    detail = "a user is never wider than who creates it: ENT-001 lies outside your organisation"
    gateway.on("POST", "/users", testing.problem(403, detail))
    answer = testing.post_form(console, "/admin/users", {
        "username": "zhao.jian", "display_name": "赵检查", "password": "a-long-password-1", "role": "viewer",
        "org_id": ENT["id"], "scope": "subtree"})
    assert answer.status_code == 403
    assert re.search(r'<div class="form-errors" role="alert">\s*<ul><li>' + re.escape(detail),
                     answer.get_data(as_text=True))


def test_a_persons_page_shows_their_record_and_a_change_form(console, gateway):
    gateway.on("GET", f"/users/{LIU_ID}", LIU)
    html = console.get(f"/admin/users/{LIU_ID}").get_data(as_text=True)
    text = visible_text(html)
    assert "刘物资" in text and "liu.wuzi" in text and "ENT-001 高桥石化有限公司" in text
    assert f'href="/admin/orgs/{ENT["id"]}"' in html
    assert '<option selected value="logistics">' in html and '<option selected value="own">' in html
    assert not any(record_id in text for record_id in (LIU_ID, ENT["id"]))


def test_changing_role_scope_and_sign_in_sends_only_those(console, gateway):
    gateway.on("GET", f"/users/{LIU_ID}", LIU)
    gateway.on("PATCH", f"/users/{LIU_ID}", {**LIU, "role": "planner", "scope": "subtree", "active": False})
    answer = testing.post_form(console, f"/admin/users/{LIU_ID}", {
        "display_name": "刘物资", "role": "planner", "scope": "subtree", "password": ""})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/admin/users/{LIU_ID}"
    assert gateway.sent("PATCH", f"/users/{LIU_ID}") == [{"role": "planner", "scope": "subtree", "active": False}]


def test_a_new_password_alone_is_sent_alone(console, gateway):
    gateway.on("GET", f"/users/{LIU_ID}", LIU)
    gateway.on("PATCH", f"/users/{LIU_ID}", LIU)
    testing.post_form(console, f"/admin/users/{LIU_ID}", {
        "display_name": "刘物资", "role": "logistics", "scope": "own", "active": "y", "password": "another-password"})
    assert gateway.sent("PATCH", f"/users/{LIU_ID}") == [{"password": "another-password"}]


def test_saving_an_unchanged_person_sends_nothing(console, gateway):
    gateway.on("GET", f"/users/{LIU_ID}", LIU)
    answer = testing.post_form(console, f"/admin/users/{LIU_ID}", {
        "display_name": "刘物资", "role": "logistics", "scope": "own", "active": "y"})
    assert answer.status_code == 302
    assert gateway.sent("PATCH", f"/users/{LIU_ID}") == []


def test_a_refused_change_is_said_on_the_page_it_redraws(console, gateway):
    gateway.on("GET", f"/users/{LIU_ID}", LIU)
    detail = "a user is never wider than who changes it: subtree reaches beyond your organisation"
    gateway.on("PATCH", f"/users/{LIU_ID}", testing.problem(403, detail))
    answer = testing.post_form(console, f"/admin/users/{LIU_ID}", {
        "display_name": "刘物资", "role": "logistics", "scope": "subtree", "active": "y"})
    assert answer.status_code == 403
    assert re.search(r'<div class="form-errors" role="alert">\s*<ul><li>' + re.escape(detail),
                     answer.get_data(as_text=True))


def test_a_person_outside_the_administrators_scope_is_not_found(console, gateway):
    gateway.on("GET", f"/users/{LIU_ID}", testing.problem(404, f"no user with id {LIU_ID}"))
    page = console.get(f"/admin/users/{LIU_ID}")
    assert page.status_code == 404 and "不属于您的单位范围" in page.get_data(as_text=True)
