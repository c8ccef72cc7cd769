"""What the deploy/ tests share: the deploy folder, the web processes' ports, and readers of its files."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from contracts.catalogue import CONSOLE_PORT_OFFSET, SERVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
# The gateway on 8000 and each service of the catalogue beside it, as `make run` places them beside ERDM_PORT.
GATEWAY_PORT = 8000
WEB_PORTS = {"gateway": GATEWAY_PORT,
             **{f"{service.name}-web": GATEWAY_PORT + service.port_offset for service in SERVICES}}
CONSOLE_PORT = GATEWAY_PORT + CONSOLE_PORT_OFFSET
# Settings compose may leave empty: an empty value means "none", not "forgot to set it".
OPTIONAL_EMPTY = {"ERDM_PLANS_HOLIDAYS", "ERDM_PLANS_EXTRA_WORKDAYS", "ERDM_MAP_TILE_URL", "ERDM_MAP_ATTRIBUTION",
                  # attachments in each container's own folder until an object store is named (example.env)
                  "ERDM_OBJECT_STORE_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
# What only the processes that own data hold; the console, which renders what browsers send, holds none of it.
DATA_SECRETS = re.compile(r"^ERDM_(\w+_DATABASE_URL|BROKER_URL|ADMIN_KEY|RATE_LIMIT_STORAGE_URL)$")
WORKLOADS = ("Deployment", "StatefulSet", "Job")


def definitions() -> dict:
    return json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def manifests() -> list[dict]:
    """Every document under deploy/k8s, the Secret template included."""
    return [doc for path in sorted(K8S.rglob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def find(kind: str, name: str) -> dict:
    found = [doc for doc in manifests() if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def containers(workload: dict) -> list[dict]:
    spec = workload["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def redis_database(url: str) -> int:
    return int(urlsplit(url).path.lstrip("/") or 0)


def load_script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- RabbitMQ definitions ------------------------------------------------------------------------------------
