"""An administrator lists the API keys, creates one (its secret shown once, on the answer) and revokes one."""
from __future__ import annotations

from urllib.parse import parse_qs

import httpx

from console import testing
from console.testing import field_errors, visible_text

ROOT = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
PD = {"id": "5a1e6c3b-2d4f-4e1a-9b7c-1d2e3f4a5b01", "code": "PD", "name": "浦东新区应急管理局"}
ADMIN = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资"}
SCREEN_ID = "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c01"
SECRET = "erdm_Zq8xR2mN5pL7vT1wY4kH9jF3dS6aG0cB"


def tree_org(reference, path, parent=None):
    return {**reference, "kind": "bureau", "path": path, "parent": parent, "district": None, "industries": [],
            "principal": None, "deputies": [], "active": True, "created_at": "2025-03-01T01:00:00+00:00",
            "created_by": ADMIN, "updated_at": "2025-03-01T01:00:00+00:00", "updated_by": ADMIN}


def key(key_id, name, role, org, scope, *, prefix, revoked=False):
    """A key as `GET /keys` answers it (gateway/schemas.py: KeySchema): never its secret."""
    return {"id": key_id, "name": name, "role": role, "prefix": prefix, "org": org, "scope": scope,
            "created_at": "2025-03-01T06:00:00+00:00", "created_by": ADMIN,
            "revoked_at": "2025-03-04T06:00:00+00:00" if revoked else None,
            "revoked_by": ADMIN if revoked else None}


SCREEN = key(SCREEN_ID, "指挥中心大屏", "viewer", ROOT, "subtree", prefix="erdm_Ab12")
REPORTS = key("6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c02", "省级报送系统", "logistics", PD, "own", prefix="erdm_Cd34",
              revoked=True)




def serve(gateway, keys=(SCREEN,)):
    gateway.on("GET", "/orgs", testing.page_of([tree_org(ROOT, "/ROOT/"), tree_org(PD, "/ROOT/PD/", ROOT)]))
    gateway.on("GET", "/keys", testing.page_of(list(keys)))


def test_the_keys_list_shows_each_keys_holder_role_organisation_and_who_made_it(console, gateway):
    serve(gateway)
    html = console.get("/admin/keys").get_data(as_text=True)
    text = visible_text(html)
    assert "指挥中心大屏" in text and "erdm_Ab12…" in text and "只读" in text and "ROOT 市应急管理局" in text
    assert "本单位及下级单位" in text and "2025-03-01 14:00 · 王物资" in text
    assert f'action="/admin/keys/{SCREEN_ID}/revoke"' in html
    assert 'data-confirm="确定吊销密钥「指挥中心大屏」吗？使用它的程序将立即被拒绝访问。"' in html
    assert not any(record_id in text for record_id in (SCREEN_ID, ROOT["id"]))


def test_revoked_keys_are_shown_on_request_without_a_revoke_button(console, gateway):
    serve(gateway, keys=(SCREEN, REPORTS))
    html = console.get("/admin/keys?include_revoked=true").get_data(as_text=True)
    asked = parse_qs(next(r for r in gateway.requests if r.url.path == "/api/v1/keys").url.query.decode())
    assert asked["include_revoked"] == ["true"]
    assert "省级报送系统" in html and "已吊销" in html and "2025-03-04 14:00 · 王物资" in html
    assert f'/admin/keys/{REPORTS["id"]}/revoke' not in html


def test_the_list_asks_for_live_keys_only_by_default(console, gateway):
    serve(gateway)
    console.get("/admin/keys?page=2")
    asked = parse_qs(next(r for r in gateway.requests if r.url.path == "/api/v1/keys").url.query.decode())
    assert asked == {"page": ["2"], "per_page": ["50"]}


def test_a_new_key_is_shown_once_on_the_answer_and_kept_nowhere(console, gateway):
    serve(gateway)
    created = {**key("6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c03", "区指挥中心", "planner", PD, "own", prefix="erdm_Zq8x"),
               "key": SECRET}
    gateway.on("POST", "/keys", httpx.Response(201, json=created, headers={"Cache-Control": "no-store"}))
    answer = testing.post_form(console, "/admin/keys", {"name": "区指挥中心", "role": "planner",
                                                        "org_id": PD["id"], "scope": "own"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 201 and answer.headers["Cache-Control"] == "no-store"
    assert f'value="{SECRET}"' in html and "它只显示这一次" in html and "PD 浦东新区应急管理局" in html
    assert gateway.sent("POST", "/keys") == [{"name": "区指挥中心", "role": "planner", "org_id": PD["id"],
                                              "scope": "own"}]
    assert SECRET not in console.get("/admin/keys").get_data(as_text=True)
    with console.session_transaction() as session:
        assert SECRET not in repr(dict(session))


def test_a_taken_key_name_is_said_beside_the_name(console, gateway):
    serve(gateway)
    gateway.on("POST", "/keys", testing.problem(409, "a key named '指挥中心大屏' already exists; revoke it or "
                                                     "choose another name"))
    answer = testing.post_form(console, "/admin/keys", {"name": "指挥中心大屏", "role": "viewer",
                                                        "org_id": ROOT["id"], "scope": "subtree"})
    assert answer.status_code == 409
    assert field_errors(answer.get_data(as_text=True), "name") == ["已有同名密钥：请先吊销该密钥，或另取一个名称。"]


def test_the_apis_422_is_put_beside_its_field(console, gateway):
    serve(gateway)
    gateway.on("POST", "/keys", testing.problem(422, "Some fields are invalid: name",
                                                errors={"name": ["Must not contain control characters."]}))
    answer = testing.post_form(console, "/admin/keys", {"name": "大屏\u0007", "role": "viewer",
                                                        "org_id": ROOT["id"], "scope": "subtree"})
    assert answer.status_code == 422
    assert field_errors(answer.get_data(as_text=True), "name") == ["Must not contain control characters."]


def test_revoking_a_key_deletes_it_and_says_so(console, gateway):
    serve(gateway)
    gateway.on("DELETE", f"/keys/{SCREEN_ID}", httpx.Response(204))
    answer = testing.post_form(console, f"/admin/keys/{SCREEN_ID}/revoke", {}, page="/admin/keys")
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/keys"
    assert [r.method for r in gateway.requests if r.url.path == f"/api/v1/keys/{SCREEN_ID}"] == ["DELETE"]
    assert "密钥已吊销" in console.get("/admin/keys").get_data(as_text=True)


def test_revoking_a_key_twice_says_it_is_gone_rather_than_failing(console, gateway):
    serve(gateway)
    gateway.on("DELETE", f"/keys/{SCREEN_ID}", testing.problem(404, f"no live key with id {SCREEN_ID}"))
    answer = testing.post_form(console, f"/admin/keys/{SCREEN_ID}/revoke", {}, page="/admin/keys")
    assert answer.status_code == 302
    assert "该密钥已被吊销" in console.get("/admin/keys").get_data(as_text=True)


def test_the_apis_403_on_keys_is_the_error_page(console, gateway):
    gateway.on("GET", "/orgs", testing.page_of([]))
    gateway.on("GET", "/keys", testing.problem(403, "the viewer role may not read in the keys area; this needs "
                                                    "the admin role"))
    page = console.get("/admin/keys")
    assert page.status_code == 403 and "您的角色无权执行此操作" in page.get_data(as_text=True)
