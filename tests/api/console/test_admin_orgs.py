"""An administrator reads the organisation tree, creates an organisation under a parent and changes one."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import httpx

from console import testing
from console.testing import field_errors, visible_text

ROOT_ID = "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01"
PD_ID = "5a1e6c3b-2d4f-4e1a-9b7c-1d2e3f4a5b01"
XH_ID = "5a1e6c3b-2d4f-4e1a-9b7c-1d2e3f4a5b02"
ENT_ID = "7c2d9e4f-3a5b-4c6d-8e7f-9a0b1c2d3e01"
ADMIN = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资"}


def org(org_id, code, name, kind, path, parent=None, **fields):
    """An organisation as `GET /orgs` answers it (gateway/org_schemas.py: OrgSchema)."""
    return {"id": org_id, "code": code, "name": name, "kind": kind, "path": path,
            "parent": parent and {"id": parent["id"], "code": parent["code"], "name": parent["name"]},
            "district": fields.get("district"), "industries": fields.get("industries", []),
            "principal": fields.get("principal"), "deputies": fields.get("deputies", []),
            "active": fields.get("active", True),
            "created_at": "2025-03-01T01:00:00+00:00", "created_by": ADMIN,
            "updated_at": "2025-03-02T02:30:00+00:00", "updated_by": ADMIN}


ROOT = org(ROOT_ID, "ROOT", "市应急管理局", "bureau", "/ROOT/", principal={"name": "周正", "title": "局长"})
PD = org(PD_ID, "PD", "浦东新区应急管理局", "bureau", "/ROOT/PD/", ROOT, district="浦东新区")
XH = org(XH_ID, "XH", "徐汇区应急管理局", "bureau", "/ROOT/XH/", ROOT, district="徐汇区", active=False)
ENT = org(ENT_ID, "ENT-001", "高桥石化有限公司", "enterprise", "/ROOT/PD/ENT-001/", PD, district="浦东新区",
          industries=["hazardous_chemicals", "fireworks"], principal={"name": "王建国", "title": "总经理"},
          deputies=[{"name": "李四", "title": "安全副总"}, {"name": "赵六", "title": None}])
TREE = [ROOT, PD, ENT, XH]  # as the API orders them: by path



def serve_tree(gateway, orgs=TREE):
    gateway.on("GET", "/orgs", testing.page_of(orgs, per_page=500))



def test_the_tree_nests_each_organisation_under_its_parent_with_its_heads_and_industries(console, gateway):
    serve_tree(gateway)
    page = console.get("/admin/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rows = re.findall(r'<td class="tree-cell depth-(\d)">\s*<a href="/admin/orgs/([^"]+)">([^<]+)</a>', html)
    assert rows == [("0", ROOT_ID, "ROOT 市应急管理局"), ("1", PD_ID, "PD 浦东新区应急管理局"),
                    ("2", ENT_ID, "ENT-001 高桥石化有限公司"), ("1", XH_ID, "XH 徐汇区应急管理局")]
    text = visible_text(html)
    assert "生产经营单位" in text and "应急管理部门" in text
    assert "危险化学品、烟花爆竹" in text
    assert "王建国（总经理）" in text and "李四（安全副总）、赵六" in text
    assert "已停用" in text  # XH is retired
    assert not any(org_id in text for org_id in (ROOT_ID, PD_ID, XH_ID, ENT_ID))


def test_the_whole_tree_is_read_page_by_page(console, gateway):
    def pages(request: httpx.Request):
        page = int(request.url.params["page"])
        return testing.page_of(TREE[:2] if page == 1 else TREE[2:], page=page, per_page=2, total=len(TREE))

    gateway.on("GET", "/orgs", pages)
    html = console.get("/admin/").get_data(as_text=True)
    assert "ENT-001 高桥石化有限公司" in html and "XH 徐汇区应急管理局" in html
    asked = [parse_qs(r.url.query.decode())["page"] for r in gateway.requests if r.url.path == "/api/v1/orgs"]
    assert asked == [["1"], ["2"]]


def test_the_parent_chooser_lists_active_organisations_indented_by_depth(console, gateway):
    serve_tree(gateway)
    html = console.get("/admin/").get_data(as_text=True)
    chooser = re.search(r'<select[^>]*name="parent_id"[^>]*>(.*?)</select>', html, re.DOTALL).group(1)
    options = re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]+)</option>', chooser)
    assert options == [(ROOT_ID, "ROOT 市应急管理局"), (PD_ID, "\u3000PD 浦东新区应急管理局"),
                       (ENT_ID, "\u3000\u3000ENT-001 高桥石化有限公司")]


def test_creating_an_organisation_sends_it_as_the_api_takes_it(console, gateway):
    serve_tree(gateway)
    created = org("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c01", "ENT-002", "外高桥仓储公司", "custodian",
                  "/ROOT/PD/ENT-002/", PD)
    gateway.on("POST", "/orgs", httpx.Response(201, json=created))
    answer = testing.post_form(console, "/admin/", {
        "parent_id": PD_ID, "code": "ENT-002", "name": " 外高桥仓储公司 ", "kind": "custodian", "district": "浦东新区",
        "industries": ["mining", "construction"], "principal_name": "钱七", "principal_title": "经理",
        "deputies": "孙八，安全总监\n\n周九, 副经理\n吴十"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/"
    assert gateway.sent("POST", "/orgs") == [{
        "parent_id": PD_ID, "code": "ENT-002", "name": "外高桥仓储公司", "kind": "custodian", "district": "浦东新区",
        "industries": ["mining", "construction"], "principal": {"name": "钱七", "title": "经理"},
        "deputies": [{"name": "孙八", "title": "安全总监"}, {"name": "周九", "title": "副经理"},
                     {"name": "吴十", "title": None}]}]
    assert "已创建单位 ENT-002 外高桥仓储公司" in console.get("/admin/").get_data(as_text=True)


def test_an_organisation_without_district_or_heads_leaves_them_out(console, gateway):
    serve_tree(gateway)
    gateway.on("POST", "/orgs", httpx.Response(201, json=org(ENT_ID, "QP", "青浦区应急管理局", "bureau",
                                                             "/ROOT/QP/", ROOT)))
    testing.post_form(console, "/admin/", {"parent_id": ROOT_ID, "code": "QP", "name": "青浦区应急管理局",
                                           "kind": "bureau"})
    assert gateway.sent("POST", "/orgs") == [{"parent_id": ROOT_ID, "code": "QP", "name": "青浦区应急管理局",
                                              "kind": "bureau", "industries": [], "deputies": []}]


def test_a_taken_code_is_said_beside_the_code_in_chinese(console, gateway):
    serve_tree(gateway)
    gateway.on("POST", "/orgs", testing.problem(409, "an organisation with code 'PD' already exists"))
    answer = testing.post_form(console, "/admin/", {"parent_id": ROOT_ID, "code": "PD", "name": "浦东",
                                                    "kind": "bureau"}, page="/admin/")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert field_errors(html, "code") == ["该代码已被其他单位使用。"]
    assert '<details class="form-panel" open>' in html and 'value="PD"' in html


def test_the_apis_422_is_put_beside_its_field(console, gateway):
    serve_tree(gateway)
    too_deep = "The tree is too deep here: a path may be at most 1000 characters."
    gateway.on("POST", "/orgs", testing.problem(422, "Some fields are invalid: parent_id",
                                                errors={"parent_id": [too_deep]}))
    answer = testing.post_form(console, "/admin/", {"parent_id": ENT_ID, "code": "DEEP", "name": "深层单位",
                                                    "kind": "enterprise"})
    assert answer.status_code == 422
    assert field_errors(answer.get_data(as_text=True), "parent_id") == [too_deep]


def test_a_code_of_the_wrong_shape_is_refused_before_anything_is_sent(console, gateway):
    serve_tree(gateway)
    answer = testing.post_form(console, "/admin/", {"parent_id": ROOT_ID, "code": "浦东 局", "name": "浦东",
                                                    "kind": "bureau", "deputies": "，副局长"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert field_errors(html, "code") == ["只能使用英文字母、数字及 - _，并以字母或数字开头。"]
    assert field_errors(html, "deputies") == ["每行须先写姓名，再写职务。"]
    assert gateway.sent("POST", "/orgs") == []


def test_an_organisation_page_shows_its_parent_and_heads_by_name(console, gateway):
    gateway.on("GET", f"/orgs/{ENT_ID}", ENT)
    html = console.get(f"/admin/orgs/{ENT_ID}").get_data(as_text=True)
    text = visible_text(html)
    assert "PD 浦东新区应急管理局" in text and "/ROOT/PD/ENT-001/" in text
    assert f'href="/admin/orgs/{PD_ID}"' in html and f'href="/admin/users?org_id={ENT_ID}"' in html
    assert "2025-03-01 09:00 · 王物资" in text  # created, in Asia/Shanghai
    assert 'name="deputies"' in html and "李四, 安全副总\n赵六</textarea>" in html
    assert re.search(r'<input checked[^>]*value="hazardous_chemicals"|value="hazardous_chemicals"[^>]*checked', html)
    assert not any(org_id in text for org_id in (PD_ID, ENT_ID))


def test_changing_an_organisation_sends_only_what_changed(console, gateway):
    gateway.on("GET", f"/orgs/{ENT_ID}", ENT)
    gateway.on("PATCH", f"/orgs/{ENT_ID}", {**ENT, "name": "高桥石化公司"})
    answer = testing.post_form(console, f"/admin/orgs/{ENT_ID}", {
        "name": "高桥石化公司", "district": "浦东新区", "industries": ["hazardous_chemicals", "fireworks"],
        "principal_name": "", "principal_title": "", "deputies": "李四, 安全副总\n赵六", "active": "y"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/admin/orgs/{ENT_ID}"
    assert gateway.sent("PATCH", f"/orgs/{ENT_ID}") == [{"name": "高桥石化公司", "principal": None}]


def test_a_refused_change_is_put_beside_its_field_on_the_redrawn_page(console, gateway):
    gateway.on("GET", f"/orgs/{ENT_ID}", ENT)
    gateway.on("PATCH", f"/orgs/{ENT_ID}", testing.problem(422, "Some fields are invalid: name",
                                                          errors={"name": ["Longer than maximum length 200."]}))
    answer = testing.post_form(console, f"/admin/orgs/{ENT_ID}", {
        "name": "高桥石化公司", "district": "浦东新区", "industries": ["hazardous_chemicals", "fireworks"],
        "principal_name": "", "principal_title": "", "deputies": "李四, 安全副总\n赵六", "active": "y"})
    assert answer.status_code == 422
    assert field_errors(answer.get_data(as_text=True), "name")


def test_an_organisation_is_retired_by_unticking_active(console, gateway):
    gateway.on("GET", f"/orgs/{PD_ID}", PD)
    gateway.on("PATCH", f"/orgs/{PD_ID}", {**PD, "active": False})
    testing.post_form(console, f"/admin/orgs/{PD_ID}", {"name": PD["name"], "district": "浦东新区"})
    assert gateway.sent("PATCH", f"/orgs/{PD_ID}") == [{"active": False}]


def test_saving_an_unchanged_organisation_sends_nothing(console, gateway):
    gateway.on("GET", f"/orgs/{PD_ID}", PD)
    answer = testing.post_form(console, f"/admin/orgs/{PD_ID}", {"name": PD["name"], "district": "浦东新区",
                                                                  "active": "y"})
    assert answer.status_code == 302
    assert gateway.sent("PATCH", f"/orgs/{PD_ID}") == []
    assert "没有修改任何内容" in console.get(f"/admin/orgs/{PD_ID}").get_data(as_text=True)


def test_someone_who_is_not_an_administrator_is_refused_the_admin_area(anonymous, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "planner", "name": "李预案"})
    serve_tree(gateway)
    testing.sign_in(anonymous)
    for path in ("/admin/", "/admin/users", "/admin/keys", f"/admin/orgs/{PD_ID}"):
        page = anonymous.get(path)
        assert page.status_code == 403, path
        assert "您的角色无权执行此操作" in page.get_data(as_text=True)
    assert testing.post_form(anonymous, "/admin/", {"parent_id": ROOT_ID, "code": "X", "name": "X",
                                                    "kind": "bureau"}, page="/").status_code == 403
    assert not any(r.url.path.startswith(("/api/v1/orgs", "/api/v1/users", "/api/v1/keys"))
                   for r in gateway.requests)
    assert 'href="/admin/"' not in anonymous.get("/").get_data(as_text=True)


def test_the_tree_page_speaks_english_on_request(console, gateway):
    serve_tree(gateway)
    text = visible_text(console.get("/admin/?lang=en").get_data(as_text=True))
    assert "Organisations" in text and "Enterprise unit" in text and "Hazardous chemicals, Fireworks" in text
