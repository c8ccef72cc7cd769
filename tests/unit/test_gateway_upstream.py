"""One reading of upstream failures: what a forwarded request answers, and the reason a gathered answer gives."""
from __future__ import annotations

import httpx
import pytest

from gateway.upstream import Unavailable, ask
from servicekit.instances import NoInstance

REQUEST = httpx.Request("GET", "http://plans.internal/api/v1/plans")


@pytest.mark.parametrize("error, status, reason, detail", [
    (NoInstance(), 503, "no URL configured", "plans service has no URL configured"),
    (httpx.ConnectError("refused", request=REQUEST), 502, "unreachable", "plans service unreachable"),
    (httpx.ConnectTimeout("slow", request=REQUEST), 504, "timed out",
     "plans service did not answer in time; nothing was changed, so the request may be retried"),
    (httpx.ReadTimeout("slow", request=REQUEST), 504, "timed out",
     "plans service did not answer in time; nothing was changed, so the request may be retried"),
    (httpx.PoolTimeout("busy", request=REQUEST), 504, "timed out",
     "plans service did not answer in time; nothing was changed, so the request may be retried"),
    (httpx.RemoteProtocolError("cut", request=REQUEST), 502, "unreachable", "plans service failed to answer"),
    (httpx.InvalidURL("bad"), 502, "unreachable", "plans service failed to answer"),
])
def test_each_failure_has_one_status_one_reason_and_one_text(error, status, reason, detail):
    def send():
        raise error

    with pytest.raises(Unavailable) as raised:
        ask("plans", send)
    failure = raised.value
    assert (failure.service, failure.status, failure.reason, failure.detail) == ("plans", status, reason, detail)


def test_an_answer_passes_unless_a_200_was_needed():
    teapot = httpx.Response(418, request=REQUEST)
    assert ask("plans", lambda: teapot) is teapot
    with pytest.raises(Unavailable, match="answered 418") as raised:
        ask("plans", lambda: teapot, expect_ok=True)
    assert raised.value.reason == "answered 418"


def test_anything_else_is_not_taken_for_a_service_failure():
    def broken():
        raise KeyError("a bug of ours")

    with pytest.raises(KeyError):
        ask("plans", broken)
