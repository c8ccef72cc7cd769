"""Taking a service's instances in turn, and moving on from one that refuses the connection."""
from __future__ import annotations

import httpx
import pytest

from servicekit.instances import Instances, NoInstance


def test_calls_take_the_instances_in_turn():
    instances = Instances(["http://a:1/", "http://b:2"])
    asked = [instances.call(lambda base: httpx.Response(200, text=base)).text for _ in range(4)]
    assert asked == ["http://a:1", "http://b:2"] * 2


def test_a_refusing_instance_is_passed_over_and_the_last_refusal_raised():
    tried = []

    def request(base: str) -> httpx.Response:
        tried.append(base)
        if base == "http://a:1":
            raise httpx.ConnectError("refused")
        return httpx.Response(200)

    instances = Instances(["http://a:1", "http://b:2"])
    assert instances.call(request).status_code == 200 and tried == ["http://a:1", "http://b:2"]
    with pytest.raises(httpx.ConnectError):
        Instances(["http://a:1"]).call(request, twice_if_alone=True)
    assert tried[-2:] == ["http://a:1", "http://a:1"], "a lone instance is asked twice when allowed"


def test_no_instance_at_all():
    with pytest.raises(NoInstance):
        Instances([]).call(lambda base: httpx.Response(200))
