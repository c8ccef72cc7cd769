"""The drills service asking the plans service about a plan it has not heard of: signed, passing over
an instance that refuses connections, and saying so when none answers."""
from __future__ import annotations

import socket
import threading
import uuid

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from servicekit.signing import verify
from services.drills.adapters.plans_http import HttpPlanLookup, PlansUnavailable

SECRET = "plan-lookup-secret"
KNOWN = uuid.uuid4()


@pytest.fixture
def plans_url():
    @Request.application
    def app(request: Request) -> Response:
        actor = verify(SECRET, "GET", request.path, request.headers).actor
        if request.path == f"/api/v1/plans/{KNOWN}" and actor.id == "system":
            return Response(f'{{"id": "{KNOWN}", "status": "approved"}}', mimetype="application/json")
        return Response("{}", status=404, mimetype="application/json")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def refusing_url():
    with socket.socket() as sock:  # a port just freed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_refusing_instance_is_passed_over_for_the_next(plans_url, refusing_url):
    lookup = HttpPlanLookup([refusing_url, plans_url], SECRET, timeout=2)
    assert lookup(KNOWN) == {"id": str(KNOWN), "status": "approved"}
    assert lookup(uuid.uuid4()) is None


def test_no_instance_answering_is_plans_unavailable(refusing_url):
    with pytest.raises(PlansUnavailable, match="cannot be reached"):
        HttpPlanLookup([refusing_url, refusing_url], SECRET, timeout=2)(KNOWN)
