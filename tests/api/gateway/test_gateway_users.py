"""An admin creates the people who sign in, within its scope and never wider than itself; the password is kept
only as an argon2id hash and never comes back."""
from __future__ import annotations

from citydesk import CityDesk
from people import PASSWORD, USERS, Personnel, clock, gateway_client  # noqa: F401 - fixtures
from sqlalchemy import text

from gateway.testing import ADMIN, assert_problem
from servicekit.db import Database


def test_an_admin_creates_a_person_who_is_answered_by_name_and_found_at_its_location(gateway_client):
    city = CityDesk(gateway_client).build_city()
    response = gateway_client.post(USERS, json={
        "username": "Zhang.Wei", "display_name": "张伟", "password": PASSWORD, "role": "planner",
        "org_id": city["PD"]["id"], "scope": "own"}, headers=ADMIN)
    assert response.status_code == 201, response.get_data(as_text=True)
    user = response.get_json()
    assert response.headers["Location"] == f"/api/v1/users/{user['id']}"
    assert {key: user[key] for key in ("username", "display_name", "role", "scope", "active", "last_sign_in_at")} == {
        "username": "Zhang.Wei", "display_name": "张伟", "role": "planner", "scope": "own", "active": True,
        "last_sign_in_at": None}
    assert user["org"] == {"id": city["PD"]["id"], "code": "PD", "name": "浦东新区应急管理局"}
    assert user["created_by"] == {"id": "admin", "name": "admin"} == user["updated_by"]
    assert gateway_client.get(response.headers["Location"], headers=ADMIN).get_json() == user


def test_the_password_is_never_answered_nor_stored(gateway_client, gateway_db_url):
    people = Personnel(gateway_client)
    created = gateway_client.post(USERS, json={"username": "li.na", "display_name": "李娜", "password": PASSWORD,
                                              "role": "viewer"}, headers=ADMIN)
    user = created.get_json()
    changed = gateway_client.patch(f"{USERS}/{user['id']}", json={"password": "another long password"}, headers=ADMIN)
    signed_in = people.sign_in("li.na", "another long password")
    answers = [created, changed, signed_in, gateway_client.get(USERS, headers=ADMIN),
               gateway_client.get(f"{USERS}/{user['id']}", headers=ADMIN)]
    for answer in answers:
        said = answer.get_data(as_text=True)
        assert PASSWORD not in said and "another long password" not in said and "password" not in said
    database = Database(gateway_db_url)
    with database.session(readonly=True) as session:
        (row,) = session.execute(text("SELECT * FROM users")).mappings().all()
    database.dispose()
    stored = " ".join(str(value) for value in row.values())
    assert PASSWORD not in stored and "another long password" not in stored
    assert row["password_hash"].startswith("$argon2id$")


def test_a_username_is_one_whatever_its_case(gateway_client):
    people = Personnel(gateway_client)
    people.create("Zhang.Wei")
    problem = assert_problem(gateway_client.post(USERS, json={
        "username": "zhang.WEI", "display_name": "另一个张伟", "password": PASSWORD, "role": "viewer"},
        headers=ADMIN), 409, mentions="taken")
    assert problem["field"] == "username"


def test_bad_fields_are_422_naming_each(gateway_client):
    body = {"username": "li.na", "display_name": "李娜", "password": PASSWORD, "role": "viewer"}
    for field, value in (("password", "too short"), ("role", "mayor"), ("scope", "city"), ("username", "李娜"),
                         ("username", "has space"), ("org_code", "NO-SUCH-ORG"),
                         ("org_id", "00000000-0000-4000-8000-000000000000"), ("nickname", "娜娜")):
        problem = assert_problem(gateway_client.post(USERS, json={**body, field: value}, headers=ADMIN), 422)
        assert list(problem["errors"]) == [field], (field, problem)
    for field in ("username", "display_name", "password", "role"):
        partial = {name: value for name, value in body.items() if name != field}
        assert field in assert_problem(gateway_client.post(USERS, json=partial, headers=ADMIN), 422)["errors"]


def test_a_person_is_never_wider_than_who_creates_or_changes_them(gateway_client):
    CityDesk(gateway_client).build_city()
    people = Personnel(gateway_client)
    people.create("pd.admin", role="admin", org="PD", scope="subtree")
    people.create("ent.admin", role="admin", org="ENT-001", scope="own")
    pd, ent = people.token("pd.admin"), people.token("ent.admin")

    people.create("pd.planner", org="ENT-002", headers=pd)  # below PD: fine
    problem = assert_problem(gateway_client.post(USERS, json={
        "username": "mh.planner", "display_name": "闵行", "password": PASSWORD, "role": "planner", "org_code": "MH"},
        headers=pd), 403, mentions="never wider than its creator")
    assert "outside your scope" in problem["detail"]
    people.create("root.viewer", org="ROOT", role="viewer", headers=pd, expected=403)

    own = people.create("ent.viewer", org="ENT-001", role="viewer", headers=ent)
    assert own["scope"] == "own"  # the default for a creator whose scope is own
    people.create("ent.wide", org="ENT-001", role="viewer", scope="subtree", headers=ent, expected=403)
    assert_problem(gateway_client.patch(f"{USERS}/{own['id']}", json={"scope": "subtree"}, headers=ent), 403,
                   mentions="own-scoped")


def test_people_are_listed_and_read_only_within_the_callers_scope(gateway_client):
    CityDesk(gateway_client).build_city()
    people = Personnel(gateway_client)
    for username, org in (("root.hand", "ROOT"), ("pd.hand", "PD"), ("ent.hand", "ENT-001"), ("mh.hand", "MH")):
        people.create(username, org=org, role="viewer")
    pd_viewer = people.create("pd.viewer", org="PD", role="viewer")
    auth = people.token("pd.viewer")

    listed = gateway_client.get(USERS, headers=auth).get_json()
    assert [user["username"] for user in listed["items"]] == ["ent.hand", "pd.hand", "pd.viewer"]
    assert (listed["total"], listed["page"], listed["per_page"]) == (3, 1, 50)
    assert_problem(gateway_client.get(f"{USERS}?org_id=not-an-id", headers=ADMIN), 422)
    everyone = gateway_client.get(USERS, headers=ADMIN).get_json()
    assert everyone["total"] == 5
    mh_hand = next(user for user in everyone["items"] if user["username"] == "mh.hand")
    assert_problem(gateway_client.get(f"{USERS}/{mh_hand['id']}", headers=auth), 404)
    assert gateway_client.get(f"{USERS}/{pd_viewer['id']}", headers=auth).status_code == 200
    # A viewer reads people but changes nobody, itself included.
    assert_problem(gateway_client.patch(f"{USERS}/{pd_viewer['id']}", json={"role": "admin"}, headers=auth), 403)


def test_an_admin_changes_a_persons_name_role_scope_and_active(gateway_client):
    people = Personnel(gateway_client)
    wang = people.create("wang.fang", role="viewer")
    changed = people.change(wang["id"], display_name="王芳", role="logistics", scope="own", active=False)
    assert {key: changed[key] for key in ("display_name", "role", "scope", "active")} == {
        "display_name": "王芳", "role": "logistics", "scope": "own", "active": False}
    assert changed["updated_at"] >= wang["updated_at"]
    listed = gateway_client.get(f"{USERS}?active=false", headers=ADMIN).get_json()
    assert [user["username"] for user in listed["items"]] == ["wang.fang"]
    for field, value in (("username", "wang.f"), ("org_code", "ROOT"), ("password", "short"), ("role", "mayor")):
        problem = assert_problem(gateway_client.patch(f"{USERS}/{wang['id']}", json={field: value}, headers=ADMIN),
                                 422)
        assert list(problem["errors"]) == [field]
    assert_problem(gateway_client.patch(f"{USERS}/00000000-0000-4000-8000-000000000000", json={"role": "viewer"},
                                        headers=ADMIN), 404)
