"""The deploy/ files agree with the code and with each other: RabbitMQ definitions, compose file, Kubernetes
manifests, the image."""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from erdm import processes
from erdm.registry import SERVICES
from console.settings import ConsoleSettings
from contracts.catalogue import CONSOLE, CONSOLE_PORT_OFFSET, GATEWAY, subscriptions
from servicekit.bus import queue_name
from servicekit.config import Settings
from servicekit.testing import require_tool

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
WEB_PORTS = {"gateway": 8000, "resources-web": 8001, "plans-web": 8002, "drills-web": 8003}
CONSOLE_PORT = WEB_PORTS["gateway"] + CONSOLE_PORT_OFFSET
# Settings compose may leave empty: an empty value means "none", not "forgot to set it".
OPTIONAL_EMPTY = {"ERDM_PLANS_HOLIDAYS", "ERDM_PLANS_EXTRA_WORKDAYS", "ERDM_MAP_TILE_URL", "ERDM_MAP_ATTRIBUTION"}
# What only the processes that own data hold; the console, which renders what browsers send, holds none of it.
DATA_SECRETS = re.compile(r"^ERDM_(\w+_DATABASE_URL|BROKER_URL|ADMIN_KEY|RATE_LIMIT_STORAGE_URL)$")
WORKLOADS = ("Deployment", "StatefulSet", "Job")


def _definitions() -> dict:
    return json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def _manifests() -> list[dict]:
    """Every document under deploy/k8s, the Secret template included."""
    return [doc for path in sorted(K8S.rglob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def _find(kind: str, name: str) -> dict:
    found = [doc for doc in _manifests() if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def _containers(workload: dict) -> list[dict]:
    spec = workload["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def _redis_database(url: str) -> int:
    return int(urlsplit(url).path.lstrip("/") or 0)


def _load_script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- RabbitMQ definitions ------------------------------------------------------------------------------------

def test_rabbitmq_definitions_declare_the_exchanges_of_the_bus():
    exchanges = {e["name"]: (e["type"], e["durable"], e["auto_delete"]) for e in _definitions()["exchanges"]}
    assert exchanges == {"erdm.events": ("topic", True, False), "erdm.retry": ("direct", True, False),
                         "erdm.dead": ("direct", True, False)}


def test_rabbitmq_definitions_declare_exactly_the_queues_the_subscriptions_imply():
    queues = _definitions()["queues"]
    expected = {name for service in subscriptions() for name in (queue_name(service), queue_name(service) + ".dead")}
    assert {q["name"] for q in queues} == expected
    # The workers declare these same queues: any other property or argument would refuse their declaration.
    assert all(q["durable"] and not q["auto_delete"] and q["arguments"] == {} for q in queues)


def test_rabbitmq_definitions_bind_each_event_to_its_subscribers_and_retries_and_dead_letters_by_queue():
    bindings = {(b["source"], b["destination"], b["routing_key"]) for b in _definitions()["bindings"]
                if b["destination_type"] == "queue"}
    expected = set()
    for service, event_types in subscriptions().items():
        queue = queue_name(service)
        expected |= {("erdm.events", queue, event_type) for event_type in event_types}
        expected |= {("erdm.retry", queue, queue), ("erdm.dead", queue + ".dead", queue)}
    assert bindings == expected
    assert len(_definitions()["bindings"]) == len(expected)


# --- Docker Compose -------------------------------------------------------------------------------------------

def test_compose_file_validates_with_no_settings_at_all():
    """`docker-compose -f deploy/docker-compose.yml config` must pass on a fresh clone, without deploy/.env."""
    binary = require_tool("docker-compose", "Debian: apt-get install docker-compose")
    settings = re.compile(r"(ERDM_|POSTGRES_|RABBITMQ_|COMPOSE_)")
    env = {name: value for name, value in os.environ.items() if not settings.match(name)}
    result = subprocess.run([binary, "-f", "deploy/docker-compose.yml", "config", "-q"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_compose_runs_the_gateway_its_relay_and_every_service_web_worker_and_relay():
    services = _compose()["services"]
    assert services["gateway"]["command"] == ["web", "gateway", "--bind", "0.0.0.0:8000"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services[CONSOLE]["command"] == ["web", CONSOLE, "--bind", f"0.0.0.0:{CONSOLE_PORT}"]
    # The gateway's outbox (org.changed) has its relay too, started like the services' ones.
    assert services["gateway-relay"]["command"] == ["relay", GATEWAY]
    assert services["gateway-relay"]["environment"]["ERDM_METRICS_PORT"] == "9100"
    assert services["gateway-relay"]["depends_on"] == services["resources-relay"]["depends_on"]
    for service in SERVICES:
        assert services[f"{service}-web"]["command"][:3] == ["web", service, "--bind"]
        for process in ("worker", "relay"):
            assert services[f"{service}-{process}"]["command"] == [process, service]
            # Workers and relays answer Prometheus on their own port; web processes on their HTTP port.
            assert services[f"{service}-{process}"]["environment"]["ERDM_METRICS_PORT"] == "9100"
        environment = services[f"{service}-web"]["environment"]
        assert environment[f"ERDM_{service.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment[f"ERDM_{service.upper()}_URL"].startswith(f"http://{service}-web:")
        assert "ERDM_METRICS_PORT" not in environment


def test_compose_starts_nothing_before_the_settings_check_passes():
    services = _compose()["services"]
    for backend in ("postgres", "rabbitmq", "redis"):  # every ERDM process waits for one of these
        assert services[backend]["depends_on"]["settings-check"]["condition"] == "service_completed_successfully"
    # Each secret that compose defaults to empty (so that `config` passes without it) is one the check demands.
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    empty_by_default = set(re.findall(r"\$\{(\w+):-\}", text))
    check = _load_script(DEPLOY / "check_compose_env.py")
    assert empty_by_default - OPTIONAL_EMPTY == set(check.REQUIRED)


def test_settings_check_refuses_missing_placeholder_and_url_breaking_values_and_accepts_real_ones():
    check = _load_script(DEPLOY / "check_compose_env.py")
    example = dict(line.split("=", 1) for line in (DEPLOY / "example.env").read_text(encoding="utf-8").splitlines()
                   if line and not line.startswith("#"))
    assert len(check.problems({})) == len(check.REQUIRED)
    assert len(check.problems(example)) == len(check.REQUIRED)  # example.env is a template, not a setting
    good = {name: "Zx9-" + name.lower().replace("_", "-") + "-0123456789abcdefghij" for name in check.REQUIRED}
    assert check.problems(good) == []
    assert check.problems({**good, "POSTGRES_PASSWORD": "p@ss/word:0123456789"}) == [
        "POSTGRES_PASSWORD may hold only letters, digits, '-' and '_' (it goes into a URL)"]
    assert check.problems({**good, "ERDM_ADMIN_KEY": "short"}) == ["ERDM_ADMIN_KEY is shorter than 32 characters"]
    # The gateway refuses an admin key under 32 characters; the check says so before anything starts.
    assert check.problems({**good, "ERDM_ADMIN_KEY": "k" * 31}) == ["ERDM_ADMIN_KEY is shorter than 32 characters"]
    assert check.problems({**good, "REDIS_PASSWORD": "a:b@c/0123456789"}) == [
        "REDIS_PASSWORD may hold only letters, digits, '-' and '_' (it goes into a URL)"]


def test_compose_gives_every_gateway_process_one_redis_to_count_in():
    services = _compose()["services"]
    gateway = services["gateway"]["environment"]
    store = urlsplit(gateway["ERDM_RATE_LIMIT_STORAGE_URL"])
    assert (store.scheme, store.hostname, store.port) == ("redis", "redis", 6379)
    assert store.password == "${REDIS_PASSWORD:-}"  # filled from deploy/.env
    assert services["gateway"]["depends_on"]["redis"]["condition"] == "service_healthy"
    redis = services["redis"]
    assert "ports" not in redis, "the rate-limit store is for the gateway only, never published"
    assert "--requirepass" in redis["command"] and "redis-cli ping" in " ".join(redis["healthcheck"]["test"])
    # Only the gateway holds the store's password; behind no proxy by default, so X-Forwarded-For is not believed.
    assert all("ERDM_RATE_LIMIT_STORAGE_URL" not in services[name]["environment"]
               for name in [CONSOLE, *(f"{service}-web" for service in SERVICES)])
    assert gateway["ERDM_TRUSTED_PROXIES"] == "${ERDM_TRUSTED_PROXIES:-0}"


def test_compose_runs_two_console_replicas_that_only_the_gateway_reaches():
    services = _compose()["services"]
    console = services[CONSOLE]
    assert console["deploy"]["replicas"] == 2
    assert "ports" not in console, "the console is reached through the gateway only, never published"
    assert f"http://127.0.0.1:{CONSOLE_PORT}/healthz" in " ".join(console["healthcheck"]["test"])
    # The gateway passes pages to the console's compose name, as the code reads ERDM_CONSOLE_URL...
    gateway_env = services["gateway"]["environment"]
    pages = Settings.from_env({"ERDM_CONSOLE_URL": gateway_env["ERDM_CONSOLE_URL"]})
    assert pages.service_instances(CONSOLE, port_offset=CONSOLE_PORT_OFFSET) == [f"http://{CONSOLE}:{CONSOLE_PORT}"]
    # ...and the console calls the API back at the gateway's compose name and port.
    calls = ConsoleSettings.from_settings(Settings.from_env({"ERDM_GATEWAY_URL": console["environment"]["ERDM_GATEWAY_URL"],
                                                             "ERDM_INTERNAL_SECRET": "s" * 32}), environ={})
    assert calls.gateway_urls == (f"http://gateway:{WEB_PORTS['gateway']}",)
    # The gateway waits for the console to start; the console, which asks the gateway per page, waits for no
    # gateway (the two would wait for each other).
    assert services["gateway"]["depends_on"][CONSOLE]["condition"] == "service_started"
    assert "gateway" not in console["depends_on"]


def test_compose_keeps_console_sessions_in_the_shared_redis_apart_from_the_rate_limit_counts():
    services = _compose()["services"]
    console = services[CONSOLE]["environment"]
    sessions = urlsplit(console["ERDM_CONSOLE_SESSION_URL"])
    counts = services["gateway"]["environment"]["ERDM_RATE_LIMIT_STORAGE_URL"]
    assert (sessions.scheme, sessions.hostname, sessions.port) == ("redis", "redis", 6379)
    assert sessions.password == urlsplit(counts).password == "${REDIS_PASSWORD:-}"
    assert _redis_database(console["ERDM_CONSOLE_SESSION_URL"]) != _redis_database(counts)
    assert services[CONSOLE]["depends_on"]["redis"]["condition"] == "service_healthy"
    # Published on plain HTTP: a Secure cookie would never come back, so it is off unless set.
    assert console["ERDM_CONSOLE_SECURE_COOKIES"] == "${ERDM_CONSOLE_SECURE_COOKIES:-false}"


def test_compose_gives_the_console_the_internal_secret_and_no_data_secrets():
    services = _compose()["services"]
    console = services[CONSOLE]["environment"]
    assert not [name for name in console if DATA_SECRETS.match(name)]
    # It vouches for the browser's address to the gateway with the secret every process shares.
    assert console["ERDM_INTERNAL_SECRET"] == services["gateway"]["environment"]["ERDM_INTERNAL_SECRET"]
    assert console["ERDM_TIMEZONE"] == services["gateway"]["environment"]["ERDM_TIMEZONE"]


# --- Kubernetes -----------------------------------------------------------------------------------------------

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
    web = {name for name, arg in args.items() if arg and arg[0] == "web"}
    assert web == set(WEB_PORTS) | {CONSOLE}


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


def test_the_gateway_runs_on_gevent_workers_and_the_services_on_threads(monkeypatch):
    """What `web gateway` (compose, Kubernetes, make run) execs; read, not imported: importing a gunicorn
    configuration prepares a metrics folder for the process that loads it."""
    started = []
    monkeypatch.setattr(processes.os, "execv", lambda _path, argv: started.append(argv))
    monkeypatch.setenv("ERDM_ADMIN_KEY", "k" * 32)
    processes.run_web("gateway", bind="0.0.0.0:8000", instance=None)
    processes.run_web("resources", bind=None, instance=None)
    configs = [argv[argv.index("-c") + 1] for argv in started]
    assert configs == ["python:erdm.gunicorn_gateway_conf", "python:erdm.gunicorn_conf"]

    def assigned(module: str) -> dict[str, str]:
        tree = ast.parse((ROOT / "erdm" / f"{module}.py").read_text(encoding="utf-8"))
        return {node.targets[0].id: ast.unparse(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}

    assert assigned("gunicorn_gateway_conf")["worker_class"] == "'gevent'"
    assert assigned("gunicorn_conf")["worker_class"] == "'gthread'"
    assert "gevent" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_a_short_admin_key_stops_the_gateway_before_gunicorn_starts(monkeypatch, capsys):
    monkeypatch.setattr(processes.os, "execv", lambda *_args: pytest.fail("gunicorn must not start"))
    monkeypatch.setenv("ERDM_ADMIN_KEY", "k" * 31)
    assert processes.run_web("gateway", bind=None, instance=None) == 2
    assert "ERDM_ADMIN_KEY must be at least 32 characters" in capsys.readouterr().err


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

def test_the_image_copies_every_package_that_pyproject_installs():
    """`pip install .` in the image finds only what deploy/Dockerfile copies and its .dockerignore lets through."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.MULTILINE))
    let_through = {line[1:] for line in (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
                   if line.startswith("!")}
    assert packages <= copied, f"deploy/Dockerfile must COPY {sorted(packages - copied)}"
    assert packages <= let_through, f"deploy/Dockerfile.dockerignore must let {sorted(packages - let_through)} in"
    exposed = {int(port) for port in re.search(r"^EXPOSE (.+)$", dockerfile, flags=re.MULTILINE)[1].split()}
    assert set(WEB_PORTS.values()) | {CONSOLE_PORT} <= exposed


def test_the_installed_console_carries_every_template_static_file_and_catalog():
    """setuptools ships a package's non-Python files only when a package-data pattern names them; a template
    one folder deeper than the patterns reach would be missing from the image (500 on its page)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    console = ROOT / "console"
    wanted = [path.relative_to(console) for folder in ("templates", "static", "translations")
              for path in (console / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    assert wanted

    def shipped(relative: Path) -> bool:  # a glob's `*` never crosses a `/`: the depth must match
        return any(len(relative.parts) == len(Path(pattern).parts) and relative.match(pattern)
                   for pattern in [*patterns.get("console", []), *patterns.get("*", [])])

    assert [str(path) for path in wanted if not shipped(path)] == []
