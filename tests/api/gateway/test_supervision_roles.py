"""Who may do what on the supervision service's paths, through the gateway: inspectors and admins write the
bureau's records; an enterprise's own people take the answering steps (acknowledge, report, resume); everyone reads."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest

from contracts.catalogue import SUPERVISION
from gateway import roles
from gateway.routes import service_for
from gateway.testing import SERVICE_URLS, assert_problem, bearer, create_key
from servicekit.signing import HEADER_ACTOR_ROLE

ORDER, FOLLOW_UP, WARNING, MINE = (str(uuid.uuid4()) for _ in range(4))
# The bureau's writes: recording a hazard, issuing an order or a warning, reviewing an order, closing a warning,
# scheduling a look-back and recording what it found.
BUREAU_WRITES = ("/api/v1/hazards", "/api/v1/rectification-orders", "/api/v1/warnings", "/api/v1/follow-ups",
                 f"/api/v1/rectification-orders/{ORDER}/review", f"/api/v1/warnings/{WARNING}/close",
                 f"/api/v1/follow-ups/{FOLLOW_UP}/result")
# The enterprise's answers: signing for an order and reporting it done; acknowledging a warning, reporting
# what it did and resuming production.
ANSWERS = (f"/api/v1/rectification-orders/{ORDER}/acknowledge", f"/api/v1/rectification-orders/{ORDER}/report",
           *(f"/api/v1/warnings/{WARNING}/targets/{MINE}/{step}" for step in ("acknowledge", "report", "resume")))
READS = ("/api/v1/hazards", f"/api/v1/rectification-orders/{ORDER}", "/api/v1/follow-ups",
         f"/api/v1/warnings/{WARNING}/targets")


@pytest.fixture(autouse=True)
def supervision_answers(service):
    """The stand-in answers as the supervision service would a call it accepts, naming the host it was reached at."""
    service.answer = lambda request: httpx.Response(200 if request.method == "GET" else 201,
                                                    json={"answered_by": request.url.host, "path": request.url.path})


@pytest.fixture
def keys(gateway_client):
    """One key per role of the roles table, made through the API."""
    return {role: create_key(gateway_client, role, f"{role} desk")["key"] for role in roles.ROLES}


def forwarded(response, service, role: str, method: str, path: str) -> None:
    """The gateway passed the call on, unchanged, to the supervision service, and answered what it answered."""
    assert response.status_code == (200 if method == "GET" else 201), response.get_data(as_text=True)
    assert response.get_json() == {"answered_by": httpx.URL(SERVICE_URLS[SUPERVISION]).host, "path": path}
    sent = service.requests[-1]
    assert (sent.method, sent.url.path, sent.headers[HEADER_ACTOR_ROLE]) == (method, path, role)


def test_every_supervision_path_is_routed_to_the_supervision_service():
    assert {service_for(path) for path in (*BUREAU_WRITES, *ANSWERS, *READS)} == {SUPERVISION}


def test_an_inspector_records_a_hazard_and_the_supervision_service_answers(gateway_client, service, keys):
    body = {"org_id": MINE, "title": "采空区积水", "description": "井下采空区积水未探放", "level": "major",
            "found_at": "2026-06-01", "found_by": "检查员 刘明"}
    response = gateway_client.post("/api/v1/hazards", json=body, headers=bearer(keys["inspector"]))
    forwarded(response, service, "inspector", "POST", "/api/v1/hazards")
    assert json.loads(service.requests[-1].content) == body


@pytest.mark.parametrize("role", ["inspector", "admin"])
@pytest.mark.parametrize("path", BUREAU_WRITES + ANSWERS)
def test_inspectors_and_admins_write_every_supervision_record_and_step(gateway_client, service, keys, role, path):
    forwarded(gateway_client.post(path, json={}, headers=bearer(keys[role])), service, role, "POST", path)


@pytest.mark.parametrize("role", ["logistics", "planner", "viewer"])
@pytest.mark.parametrize("path", BUREAU_WRITES)
def test_only_the_bureau_writes_hazards_orders_warnings_and_look_backs(gateway_client, service, keys, role, path):
    problem = assert_problem(gateway_client.post(path, json={}, headers=bearer(keys[role])), 403,
                             mentions=f"the {role} role may not write in the oversight area")
    assert problem["required_roles"] == ["admin", "inspector"]
    assert service.requests == []


@pytest.mark.parametrize("role", ["logistics", "planner"])
@pytest.mark.parametrize("path", ANSWERS)
def test_an_enterprises_own_people_acknowledge_and_report_on_orders_and_warnings(gateway_client, service, keys,
                                                                                 role, path):
    # The gateway checks the role only; whose order or warning target it is, the supervision service decides.
    forwarded(gateway_client.post(path, json={}, headers=bearer(keys[role])), service, role, "POST", path)


@pytest.mark.parametrize("path", ANSWERS)
def test_a_viewer_may_not_answer_for_an_enterprise(gateway_client, service, keys, path):
    problem = assert_problem(gateway_client.post(path, json={}, headers=bearer(keys["viewer"])), 403,
                             mentions="the viewer role may not write in the answer area")
    assert problem["required_roles"] == ["admin", "logistics", "planner", "inspector"]
    assert service.requests == []


def test_a_step_name_is_an_answer_only_as_the_last_segment_below_the_prefix(gateway_client, service, keys):
    logistics = bearer(keys["logistics"])
    # An order whose id happens to read "report" is still the bureau's record to review.
    assert_problem(gateway_client.post("/api/v1/rectification-orders/report/review", json={}, headers=logistics), 403)
    # A look-back has no answering steps: its "report" is the bureau's.
    assert_problem(gateway_client.post(f"/api/v1/follow-ups/{FOLLOW_UP}/report", json={}, headers=logistics), 403)
    assert service.requests == []


@pytest.mark.parametrize("role", roles.ROLES)
def test_everyone_reads_the_supervision_records(gateway_client, service, keys, role):
    for path in READS:
        forwarded(gateway_client.get(path, headers=bearer(keys[role])), service, role, "GET", path)
