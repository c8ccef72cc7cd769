"""A part's URL from the environment: unset means its port beside the gateway's, empty means not deployed."""
from __future__ import annotations

from contracts.catalogue import CONSOLE, CONSOLE_PORT_OFFSET
from servicekit.config import Settings


def test_an_unset_console_url_is_the_port_beside_the_gateways():
    settings = Settings.from_env({"ERDM_PORT": "9000"})
    assert settings.service_instances(CONSOLE, port_offset=CONSOLE_PORT_OFFSET) == ["http://127.0.0.1:9005"]


def test_an_empty_console_url_makes_an_api_only_gateway():
    settings = Settings.from_env({"ERDM_CONSOLE_URL": ""})
    assert settings.service_instances(CONSOLE, port_offset=CONSOLE_PORT_OFFSET) == []


def test_several_console_instances_are_taken_in_turn():
    settings = Settings.from_env({"ERDM_CONSOLE_URL": "http://a:8005, http://b:8005/"})
    assert settings.service_instances(CONSOLE, port_offset=CONSOLE_PORT_OFFSET) == ["http://a:8005", "http://b:8005"]
