"""The deploy/ files agree with the code: RabbitMQ definitions with the bus topology, compose with every process."""
from __future__ import annotations

import json
import re
from pathlib import Path

from erdm.registry import SERVICES
from servicekit.bus import SUBSCRIPTIONS, queue_name

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _definitions() -> dict:
    return json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))


def test_rabbitmq_definitions_declare_the_exchanges_of_the_bus():
    exchanges = {e["name"]: (e["type"], e["durable"], e["auto_delete"]) for e in _definitions()["exchanges"]}
    assert exchanges == {"erdm.events": ("topic", True, False), "erdm.retry": ("direct", True, False),
                         "erdm.dead": ("direct", True, False)}


def test_rabbitmq_definitions_declare_exactly_the_queues_the_subscriptions_imply():
    queues = _definitions()["queues"]
    expected = {name for service in SUBSCRIPTIONS for name in (queue_name(service), queue_name(service) + ".dead")}
    assert {q["name"] for q in queues} == expected
    # The workers declare these same queues: any other property or argument would refuse their declaration.
    assert all(q["durable"] and not q["auto_delete"] and q["arguments"] == {} for q in queues)


def test_rabbitmq_definitions_bind_each_event_to_its_subscribers_and_retries_and_dead_letters_by_queue():
    bindings = {(b["source"], b["destination"], b["routing_key"]) for b in _definitions()["bindings"]
                if b["destination_type"] == "queue"}
    expected = set()
    for service, event_types in SUBSCRIPTIONS.items():
        queue = queue_name(service)
        expected |= {("erdm.events", queue, event_type) for event_type in event_types}
        expected |= {("erdm.retry", queue, queue), ("erdm.dead", queue + ".dead", queue)}
    assert bindings == expected
    assert len(_definitions()["bindings"]) == len(expected)


def test_compose_runs_the_gateway_and_every_service_web_worker_and_relay():
    compose = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    assert re.search(r'^  gateway:\n(    .*\n)*?    command: \["web", "gateway", "--bind", "0\.0\.0\.0:8000"\]',
                     compose, re.M)
    assert re.search(r'^  migrate:\n(    .*\n)*?    command: \["migrate"\]', compose, re.M)
    for service in SERVICES:
        for process, command in (("web", f'"web", "{service}", "--bind", "0.0.0.0:'),
                                 ("worker", f'"worker", "{service}"'), ("relay", f'"relay", "{service}"')):
            block = re.search(rf"^  {service}-{process}:\n((?:    .*\n|\n)*?)(?=^  \S|^\S)", compose, re.M)
            assert block, f"no {service}-{process} service in docker-compose.yml"
            assert f"command: [{command}" in block.group(1), f"{service}-{process} runs the wrong command"
        assert f"ERDM_{service.upper()}_DATABASE_URL: postgresql+psycopg://" in compose
        assert f"ERDM_{service.upper()}_URL: http://{service}-web:" in compose


def test_kubernetes_manifests_deploy_every_process_with_probes():
    manifests = "\n".join(p.read_text(encoding="utf-8") for p in sorted((DEPLOY / "kubernetes").glob("*.yaml")))
    assert 'args: ["migrate"]' in manifests
    assert 'args: ["web", "gateway", "--bind", "0.0.0.0:8000"]' in manifests
    for service in SERVICES:
        assert f'args: ["web", "{service}", "--bind", "0.0.0.0:' in manifests
        assert f'args: ["worker", "{service}"]' in manifests
        assert f'args: ["relay", "{service}"]' in manifests
    assert manifests.count("path: /readyz") == manifests.count("path: /healthz") == len(SERVICES) + 1
