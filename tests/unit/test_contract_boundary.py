"""The contract has one home: no service is named outside contracts/, erdm/ and its own folder, and the
catalogue, the payloads and the handler tables agree."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import contracts
from contracts import catalogue
from contracts.events import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
NAMES = {service.name for service in catalogue.SERVICES}
# Running code that must not know which services exist: the kit, and the gateway (it reads the catalogue).
# Tests and the bench exercise named services on purpose.
SERVICE_BLIND = ("servicekit", "gateway")


def _modules(*folders: str):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _string_constants(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_service_is_named_in_the_kit_or_the_gateway():
    named = [f"{path.relative_to(ROOT)}:{line}: {value!r}"
             for path in _modules(*SERVICE_BLIND) for line, value in _string_constants(path)
             if value in NAMES or any(value.startswith(f"services.{name}") for name in NAMES)]
    assert named == [], "service names belong in contracts/catalogue.py:\n" + "\n".join(named)


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""


def test_the_kit_the_gateway_and_the_contract_import_no_service_package():
    imports = [f"{path.relative_to(ROOT)}: {name}" for path in _modules("servicekit", "gateway", "contracts")
               for name in _imports(path) if name.split(".")[0] == "services"]
    assert imports == []


def test_the_contract_depends_on_nothing_of_the_kit():
    imports = [f"{path.relative_to(ROOT)}: {name}" for path in _modules("contracts")
               for name in _imports(path) if name.split(".")[0] in ("servicekit", "gateway", "erdm")]
    assert imports == []


def test_the_drill_reference_is_spelled_once():
    spelled = [f"{path.relative_to(ROOT)}:{line}" for path in _modules("servicekit", "gateway", "services")
               for line, value in _string_constants(path) if value.startswith("drill:")]
    assert spelled == [], "use contracts.references"


def test_every_consumed_event_type_has_a_payload_and_an_owner_in_the_catalogue():
    for service in catalogue.SERVICES:
        for event_type in service.consumes:
            assert event_type in REGISTRY, f"{service.name} consumes {event_type}, which no payload declares"
    emitters = NAMES | {catalogue.GATEWAY}
    assert {payload.SOURCE for payload in REGISTRY.values()} <= emitters
    assert set(REGISTRY) == {event_type for name in emitters for event_type in contracts.emits(name)}


def test_each_service_lives_where_the_catalogue_says_and_listens_on_its_own_port():
    offsets = [service.port_offset for service in catalogue.SERVICES]
    assert len(set(offsets)) == len(offsets) and min(offsets) >= 1
    # A prefix is one service's, but for one several share (an attachment's content), declared alike by each of them.
    routes = [route for service in catalogue.SERVICES for route in service.routes]
    for prefix in {route.prefix for route in routes}:
        declared = {route for route in routes if route.prefix == prefix}
        assert len(declared) == 1, f"{prefix} is declared differently by the services listing it"
    shared = {route.prefix for route in routes if sum(other.prefix == route.prefix for other in routes) > 1}
    assert shared == {"/api/v1/attachments"}
    for service in catalogue.SERVICES:
        app = importlib.import_module(f"{service.package}.app")
        assert callable(app.create_app) and callable(app.create_worker)
        assert importlib.import_module(f"{service.package}.config").NAME == service.name


@pytest.mark.parametrize("service", [service.name for service in catalogue.SERVICES])
def test_a_services_handler_table_is_exactly_what_the_catalogue_binds_its_queue_to(service, tmp_path):
    from servicekit.config import Settings

    settings = Settings(data_dir=tmp_path, broker_url=f"filesystem://{tmp_path / 'broker'}")
    worker = importlib.import_module(f"{catalogue.service(service).package}.app").create_worker(settings)
    assert set(worker.handlers) == set(catalogue.service(service).consumes)


def test_no_service_digs_in_an_events_raw_data():
    """Handlers and use cases read the typed payload the handler table parsed, never `event.data[...]`."""
    digging = []
    for path in _modules("services"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "data" and isinstance(node.value, ast.Name) \
                    and node.value.id == "event":
                digging.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert digging == []
