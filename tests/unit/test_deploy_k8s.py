"""The deploy/ files agree with the code: the Kubernetes manifests."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from contracts import catalogue
from contracts.catalogue import CONSOLE, CONSOLE_PORT_OFFSET, GATEWAY
from erdm.registry import SERVICES
from erdm.stack import DATABASES
from servicekit.config import Settings

from tests.unit.deployfiles import (
    DEPLOY, K8S, WEB_PORTS, CONSOLE_PORT, DATA_SECRETS, WORKLOADS, manifests as _manifests, find as _find,
    containers as _containers, redis_database as _redis_database,
)


def test_every_manifest_parses_and_names_its_kind_and_namespace():
    manifests = _manifests()
    assert manifests
    for doc in manifests:
        assert doc.get("apiVersion") and doc.get("kind") and doc.get("metadata", {}).get("name"), doc
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == "erdm", doc["metadata"]["name"]


def test_every_container_requests_cpu_and_memory():
    workloads = [doc for doc in _manifests() if doc["kind"] in WORKLOADS]
    for workload in workloads:
        for container in _containers(workload):
            requests = container.get("resources", {}).get("requests", {})
            assert {"cpu", "memory"} <= set(requests), f"{workload['metadata']['name']}/{container['name']}"


def test_every_workload_selects_its_own_pods():
    for doc in _manifests():
        if doc["kind"] in ("Deployment", "StatefulSet"):
            labels = doc["spec"]["template"]["metadata"]["labels"]
            assert doc["spec"]["selector"]["matchLabels"].items() <= labels.items(), doc["metadata"]["name"]


def test_kubernetes_runs_the_gateway_its_relay_and_every_service_web_worker_and_relay():
    args = {doc["metadata"]["name"]: _containers(doc)[0].get("args") for doc in _manifests() if doc["kind"] in WORKLOADS}
    assert args["erdm-migrate"] == ["migrate"]
    assert args["gateway"] == ["web", "gateway", "--bind", "0.0.0.0:8000"]
    assert args["gateway-relay"] == ["relay", GATEWAY]
    for service in SERVICES:
        assert args[f"{service}-web"] == ["web", service, "--bind", f"0.0.0.0:{WEB_PORTS[f'{service}-web']}"]
        assert args[f"{service}-worker"] == ["worker", service]
        assert args[f"{service}-relay"] == ["relay", service]
    assert args[CONSOLE] == ["web", CONSOLE, "--bind", f"0.0.0.0:{CONSOLE_PORT}"]
    assert args["notifier"] == ["notifier"]  # the webhooks' sender, on the gateway's database
    assert _find("ConfigMap", "erdm-settings")["data"]["ERDM_WEBHOOK_ALLOW_PRIVATE"] == "false"
    web = {name for name, arg in args.items() if arg and arg[0] == "web"}
    assert web == set(WEB_PORTS) | {CONSOLE}


def test_kubernetes_points_the_gateway_at_every_service_and_every_part_at_its_own_database():
    settings = Settings.from_env(_find("ConfigMap", "erdm-settings")["data"])
    secrets = _find("Secret", "erdm-secrets")["stringData"]
    for service in SERVICES:
        port = WEB_PORTS[f"{service}-web"]
        assert catalogue.instance_urls(settings, service) == [f"http://{service}-web:{port}"]
    for part in DATABASES:
        url = urlsplit(secrets[f"ERDM_{part.upper()}_DATABASE_URL"])
        assert (url.scheme, url.hostname, url.port) == ("postgresql+psycopg", "postgres", 5432)
        assert url.path == f"/erdm_{part}"


@pytest.mark.parametrize("name", sorted(WEB_PORTS))
def test_web_deployment_is_ready_on_readyz_alive_on_healthz_and_reached_through_its_service(name):
    (container,) = _containers(_find("Deployment", name))
    port = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert port["http"] == WEB_PORTS[name] and set(port) <= {"http", "metrics"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}

    service = _find("Service", name)
    pod_labels = _find("Deployment", name)["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    (service_port,) = service["spec"]["ports"]
    assert service_port["port"] == WEB_PORTS[name]
    assert service_port["targetPort"] in ("http", WEB_PORTS[name])


def _runs_erdm(workload: dict) -> bool:
    return any(container["image"].startswith("erdm:") for container in _containers(workload))


def test_every_erdm_pod_is_scraped_by_prometheus_on_a_port_it_serves():
    for doc in _manifests():
        if doc["kind"] != "Deployment" or not _runs_erdm(doc):
            continue
        annotations = doc["spec"]["template"]["metadata"].get("annotations", {})
        if doc["metadata"]["name"] == CONSOLE:
            # It records no metrics (the gateway counts every page it passes on): no promise to scrape it.
            assert "prometheus.io/scrape" not in annotations
            continue
        assert annotations.get("prometheus.io/scrape") == "true", doc["metadata"]["name"]
        assert annotations.get("prometheus.io/path") == "/metrics"
        (container,) = _containers(doc)
        assert int(annotations["prometheus.io/port"]) in {p["containerPort"] for p in container["ports"]}
        # Workers, relays and the gateway (whose public port answers no /metrics) serve them on a port of
        # their own, on every interface: a process listening on 127.0.0.1 cannot be scraped from outside.
        if container["args"][0] in ("worker", "relay") or container["args"][:2] == ["web", "gateway"]:
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            assert env["ERDM_METRICS_PORT"] == annotations["prometheus.io/port"]
            assert env["ERDM_METRICS_HOST"] == "0.0.0.0"


def test_kubernetes_gives_every_gateway_pod_one_redis_to_count_in():
    redis = _find("Deployment", "redis")
    assert redis["spec"]["replicas"] == 1  # a second replica would be a second count
    (container,) = _containers(redis)
    assert container["readinessProbe"]["exec"] and container["livenessProbe"]["exec"]
    assert "--requirepass" in container["args"]
    service = _find("Service", "redis")
    assert service["spec"]["selector"].items() <= redis["spec"]["template"]["metadata"]["labels"].items()
    assert [(port["port"], port["targetPort"]) for port in service["spec"]["ports"]] == [(6379, "redis")]

    store = urlsplit(_find("Secret", "erdm-secrets")["stringData"]["ERDM_RATE_LIMIT_STORAGE_URL"])
    assert (store.scheme, store.hostname, store.port) == ("redis", "redis", 6379)
    assert store.password == "<redis-password>" == _find("Secret", "erdm-backends")["stringData"]["REDIS_PASSWORD"]
    settings = _find("ConfigMap", "erdm-settings")["data"]
    assert "ERDM_RATE_LIMIT_STORAGE_URL" not in settings  # a URL with a password belongs in the Secret
    # Behind the Ingress: its X-Forwarded-For entry names the client the guessing throttle counts.
    assert settings["ERDM_TRUSTED_PROXIES"] == "1"
    (gateway,) = _containers(_find("Deployment", "gateway"))
    assert {"secretRef": {"name": "erdm-secrets"}} in gateway["envFrom"]


def test_kubernetes_runs_two_console_pods_ready_and_alive_on_healthz_behind_their_service():
    deployment = _find("Deployment", CONSOLE)
    assert deployment["spec"]["replicas"] == 2
    (container,) = _containers(deployment)
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": CONSOLE_PORT}
    for probe in ("readinessProbe", "livenessProbe"):  # it has no /readyz: it holds nothing to be ready with
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
    service = _find("Service", CONSOLE)
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(CONSOLE_PORT, "http")]


def test_kubernetes_lets_only_the_gateway_reach_the_console():
    service = _find("Service", CONSOLE)
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
    assert all("nodePort" not in port for port in service["spec"]["ports"])
    assert not [doc for doc in _manifests() if doc["kind"] == "Ingress"], "the Ingress is the operator's, to the gateway"
    policy = _find("NetworkPolicy", "console-from-gateway-only")
    console_pods = _find("Deployment", CONSOLE)["spec"]["template"]["metadata"]["labels"]
    gateway_pods = _find("Deployment", "gateway")["spec"]["template"]["metadata"]["labels"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= console_pods.items()
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    (rule,) = policy["spec"]["ingress"]
    (source,) = rule["from"]
    assert source.keys() == {"podSelector"} and source["podSelector"]["matchLabels"].items() <= gateway_pods.items()
    # The gateway passes pages to the console's Service, which calls the API back at the gateway's.
    settings = Settings.from_env(_find("ConfigMap", "erdm-settings")["data"])
    assert settings.service_instances(CONSOLE, port_offset=CONSOLE_PORT_OFFSET) == [f"http://{CONSOLE}:{CONSOLE_PORT}"]
    assert settings.service_instances("gateway", port_offset=0) == [f"http://gateway:{WEB_PORTS['gateway']}"]


def test_kubernetes_console_keeps_sessions_in_redis_apart_from_the_counts_and_holds_no_data_secret():
    secrets = _find("Secret", "erdm-secrets")["stringData"]
    sessions = urlsplit(secrets["ERDM_CONSOLE_SESSION_URL"])
    assert (sessions.scheme, sessions.hostname, sessions.port) == ("redis", "redis", 6379)
    assert sessions.password == "<redis-password>"
    assert _redis_database(secrets["ERDM_CONSOLE_SESSION_URL"]) != _redis_database(secrets["ERDM_RATE_LIMIT_STORAGE_URL"])
    (container,) = _containers(_find("Deployment", CONSOLE))
    assert container["envFrom"] == [{"configMapRef": {"name": "erdm-settings"}}], "no envFrom of erdm-secrets"
    from_secrets = {env["name"]: env["valueFrom"]["secretKeyRef"] for env in container["env"]}
    assert from_secrets == {name: {"name": "erdm-secrets", "key": name}
                            for name in ("ERDM_INTERNAL_SECRET", "ERDM_CONSOLE_SESSION_URL")}
    settings = _find("ConfigMap", "erdm-settings")["data"]
    assert not [name for name in settings if DATA_SECRETS.match(name) or name == "ERDM_CONSOLE_SESSION_URL"]
    assert settings["ERDM_CONSOLE_SECURE_COOKIES"] == "true"  # the Ingress serves HTTPS




@pytest.mark.parametrize("name, probe", [("postgres", "pg_isready"), ("rabbitmq", "rabbitmq-diagnostics")])
def test_backends_run_as_statefulsets_with_a_headless_service_a_volume_and_probes(name, probe):
    statefulset = _find("StatefulSet", name)
    service = _find("Service", statefulset["spec"]["serviceName"])
    assert service["spec"]["clusterIP"] == "None"
    assert service["spec"]["selector"].items() <= statefulset["spec"]["template"]["metadata"]["labels"].items()
    (claim,) = statefulset["spec"]["volumeClaimTemplates"]
    (container,) = _containers(statefulset)
    assert claim["metadata"]["name"] in {mount["name"] for mount in container["volumeMounts"]}
    for kind in ("readinessProbe", "livenessProbe"):
        assert probe in " ".join(container[kind]["exec"]["command"])
    declared = {p["name"] for p in container["ports"]}
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= declared


def test_configmaps_carry_the_deploy_files_verbatim():
    def read(relative: str) -> str:
        return (DEPLOY / relative).read_text(encoding="utf-8")

    assert _find("ConfigMap", "postgres-init")["data"] == {"init.sql": read("postgres/init.sql")}
    assert _find("ConfigMap", "rabbitmq-definitions")["data"] == {
        "definitions.json": read("rabbitmq/definitions.json"),
        "import_definitions.py": read("rabbitmq/import_definitions.py"),
    }, "copy deploy/rabbitmq/ into deploy/k8s/25-rabbitmq-definitions.yaml again"


def test_secrets_exist_only_as_a_template_whose_every_secret_value_is_a_placeholder():
    applied = [doc for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
               if doc and doc["kind"] == "Secret"]
    assert applied == [], "secrets belong in templates/, never in what `kubectl apply -f deploy/k8s/` applies"
    secrets = [doc for doc in _manifests() if doc["kind"] == "Secret"]
    assert {doc["metadata"]["name"] for doc in secrets} == {"erdm-secrets", "erdm-backends"}
    for doc in secrets:
        for key, value in doc["stringData"].items():
            if not key.endswith("_USER"):
                assert re.search(r"<[a-z-]+>", value), f"{key} must be a <placeholder> in the template"


def test_every_referenced_configmap_and_secret_key_exists():
    manifests = _manifests()
    keys = {(doc["kind"], doc["metadata"]["name"]): set(doc.get("data") or doc.get("stringData") or {})
            for doc in manifests if doc["kind"] in ("ConfigMap", "Secret")}
    for workload in (doc for doc in manifests if doc["kind"] in WORKLOADS):
        spec = workload["spec"]["template"]["spec"]
        for container in _containers(workload):
            for source in container.get("envFrom", []):
                kind = "ConfigMap" if "configMapRef" in source else "Secret"
                assert (kind, (source.get("configMapRef") or source["secretRef"])["name"]) in keys
            for env in container.get("env", []):
                if "valueFrom" in env:
                    ref = env["valueFrom"]["secretKeyRef"]
                    assert ref["key"] in keys[("Secret", ref["name"])], env["name"]
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert ("ConfigMap", volume["configMap"]["name"]) in keys


# --- The image ------------------------------------------------------------------------------------------------
