"""The deploy/ files agree with the code: the RabbitMQ definitions and the compose file."""
from __future__ import annotations

import os
import re
import subprocess
from urllib.parse import urlsplit


from erdm.registry import SERVICES
from erdm.stack import DATABASES
from console.settings import ConsoleSettings
from contracts.catalogue import CONSOLE, CONSOLE_PORT_OFFSET, GATEWAY, subscriptions
from servicekit.bus import queue_name
from servicekit.config import Settings
from servicekit.testing import require_tool

from tests.unit.deployfiles import (
    ROOT, DEPLOY, WEB_PORTS, CONSOLE_PORT, OPTIONAL_EMPTY, DATA_SECRETS, definitions as _definitions, compose as
    _compose, redis_database as _redis_database, load_script as _load_script,
)


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
        web, port = services[f"{service}-web"], WEB_PORTS[f"{service}-web"]
        assert web["command"] == ["web", service, "--bind", f"0.0.0.0:{port}"]
        assert f"http://127.0.0.1:{port}/readyz" in " ".join(web["healthcheck"]["test"])
        for process in ("worker", "relay"):
            assert services[f"{service}-{process}"]["command"] == [process, service]
            # Workers and relays answer Prometheus on their own port; web processes on their HTTP port.
            assert services[f"{service}-{process}"]["environment"]["ERDM_METRICS_PORT"] == "9100"
        environment = web["environment"]
        assert environment[f"ERDM_{service.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment[f"ERDM_{service.upper()}_URL"] == f"http://{service}-web:{port}"
        assert "ERDM_METRICS_PORT" not in environment
        # The gateway, which asks every service at /readyz, starts after each of them.
        assert services["gateway"]["depends_on"][f"{service}-web"]["condition"] == "service_started"


def test_compose_runs_the_webhook_notifier_on_the_gateways_database_refusing_private_targets():
    notifier = _compose()["services"]["notifier"]
    assert notifier["command"] == ["notifier"]
    environment = notifier["environment"]
    assert environment["ERDM_METRICS_PORT"] == "9100"
    assert environment["ERDM_GATEWAY_DATABASE_URL"].endswith("/erdm_gateway")
    assert environment["ERDM_WEBHOOK_ALLOW_PRIVATE"] == "${ERDM_WEBHOOK_ALLOW_PRIVATE:-false}"
    assert _compose()["services"]["gateway"]["environment"]["ERDM_WEBHOOK_ALLOW_PRIVATE"] == \
        environment["ERDM_WEBHOOK_ALLOW_PRIVATE"]
    assert set(notifier["depends_on"]) == {"migrate", "rabbitmq-definitions"}


def test_postgres_init_creates_the_database_of_every_part_the_stack_migrates_and_compose_points_at_it():
    init = (DEPLOY / "postgres" / "init.sql").read_text(encoding="utf-8")
    created = set(re.findall(r"^CREATE DATABASE (\w+);$", init, flags=re.MULTILINE))
    assert created == {f"erdm_{part}" for part in DATABASES}
    environment = _compose()["services"]["migrate"]["environment"]
    for part in DATABASES:
        url = urlsplit(environment[f"ERDM_{part.upper()}_DATABASE_URL"])
        assert (url.scheme, url.hostname, url.port) == ("postgresql+psycopg", "postgres", 5432)
        assert url.path == f"/erdm_{part}"


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
