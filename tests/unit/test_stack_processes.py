"""What `make run` starts and the command line accepts: the gateway's relay beside the services' processes."""
from __future__ import annotations

import pytest

from contracts.catalogue import GATEWAY
from erdm import __main__ as command_line
from erdm import processes
from erdm.stack import METRICS_PORT_OFFSET, _children, port_span


@pytest.mark.parametrize("instances", [1, 3])
def test_make_run_starts_the_gateway_relay_on_the_last_metrics_port_of_the_span(instances):
    children = _children(instances, 8000)
    by_name = {child.name: child for child in children}
    assert by_name["gateway-relay"].argv[-2:] == ["relay", GATEWAY]
    ports = [child.metrics_port for child in children if child.metrics_port is not None]
    assert len(set(ports)) == len(ports)
    assert min(ports) == 8000 + METRICS_PORT_OFFSET == by_name["gateway"].metrics_port
    # Last: the ports of the gateway, the workers and the services' relays stay where they were.
    assert max(ports) == by_name["gateway-relay"].metrics_port == 8000 + port_span(instances) - 1


def test_the_command_line_runs_the_gateway_relay_but_no_gateway_worker(monkeypatch, capsys):
    relayed = []
    monkeypatch.setattr(processes, "run_relay", relayed.append)
    assert command_line.main(["relay", GATEWAY]) == 0
    assert relayed == [GATEWAY]
    with pytest.raises(SystemExit):
        command_line.main(["worker", GATEWAY])  # the gateway has no queue
    assert "invalid choice" in capsys.readouterr().err


def test_make_run_starts_one_webhook_notifier_with_a_metrics_port_of_its_own():
    for instances in (1, 3):
        by_name = {child.name: child for child in _children(instances, 8000)}
        assert by_name["webhooks-notifier"].argv[-1:] == ["notifier"]
        assert by_name["webhooks-notifier"].metrics_port == by_name["gateway-relay"].metrics_port - 1


def test_the_command_line_runs_the_notifier(monkeypatch):
    ran = []
    monkeypatch.setattr(processes, "run_notifier", lambda: ran.append(True))
    assert command_line.main(["notifier"]) == 0
    assert ran == [True]
