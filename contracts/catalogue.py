"""The services of ERDM and what each owns: the one list a new service adds an entry to.

Each entry says where the service's code lives, the port it listens on beside the gateway's, the
public paths it owns (and which role area of the gateway each falls in) and which event types it
consumes. What it emits is declared beside each payload (contracts/events/), so the two cannot
disagree. The kit (servicekit/) takes these as parameters and names no service; `erdm/`, the
gateway's route table and each service read them here.
"""
from __future__ import annotations

from dataclasses import dataclass

# The names, as events' `source`, queues (`erdm.<name>`), databases (`ERDM_<NAME>_DATABASE_URL`,
# `<name>.db`) and internal URLs (`ERDM_<NAME>_URL`) spell them.
RESOURCES, PLANS, DRILLS, SUPERVISION = "resources", "plans", "drills", "supervision"
# The gateway is no service (no queue, no catalogue entry) but it announces the organisation directory
# through an outbox of its own.
GATEWAY = "gateway"
# The console (web pages) is no service either: it holds no data and calls only the gateway, which
# passes it every browser request outside its own paths (`ERDM_CONSOLE_URL`, else this port beside the
# gateway's; +4 is the supervision service's).
CONSOLE = "console"
CONSOLE_PORT_OFFSET = 5
# The webhook notifier (gateway/webhooks/) is no service either, but it consumes the bus like any worker: a
# queue of its own (`erdm.webhooks`) bound to every event type the contract declares, and the gateway's database.
NOTIFIER = "webhooks"


@dataclass(frozen=True)
class Route:
    prefix: str  # matched as whole path segments: `/api/v1/items` owns `/api/v1/items/…`, not `/api/v1/itemsx`
    area: str    # the column of the gateway's roles table that decides who may call it
    # A path below the prefix whose last segment is listed falls in that area instead: the steps an enterprise
    # takes on a bureau's record (acknowledging an order, reporting on a warning) are not the bureau's writes.
    steps: tuple[tuple[str, str], ...] = ()
    # Its records keep files: `<prefix>/<id>/attachments` takes an upload (spooled, with the upload's body limit).
    attachments: bool = False

    def area_of(self, path: str) -> str:
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return next((area for step, area in self.steps if last == step and path != self.prefix), self.area)


@dataclass(frozen=True)
class Service:
    name: str
    package: str  # holds app.py (create_app, create_worker) and migrations/
    port_offset: int  # web instance n listens on ERDM_PORT + port_offset + n * INSTANCE_PORT_STRIDE
    # A prefix several services list is owned by each (an attachment's content: `/api/v1/attachments/{id}/…`, whose
    # id only its own service knows); the gateway asks them in this list's order and answers with the first that
    # does not answer 404.
    routes: tuple[Route, ...]
    consumes: tuple[str, ...]  # event types its worker handles; its queue is bound to exactly these

    @property
    def wsgi_app(self) -> str:
        return f"{self.package}.app:create_app()"

    @property
    def queue(self) -> str:
        return f"erdm.{self.name}"


# The steps of an order or a warning target that the enterprise itself takes (SPEC "Supervision"): the
# "answer" area, which its own people write, beside the bureau's "oversight" area, which inspectors write.
_ANSWERS = tuple((step, "answer") for step in ("acknowledge", "report", "resume"))
# Files on an order (`/rectification-orders/{id}/attachments`): the enterprise's evidence of its rectification as
# much as the inspector's, so they fall in the "answer" area too.
_ORDER_STEPS = (*_ANSWERS, ("attachments", "answer"))
# An attachment's content, read by whoever may read its record; plans, drills and supervision each keep their own.
_ATTACHMENTS = Route("/api/v1/attachments", "attachments")

SERVICES: tuple[Service, ...] = (
    Service(
        name=RESOURCES, package="services.resources", port_offset=1,
        routes=(
            # The classification tree is the bureau's standard: only admins extend it.
            Route("/api/v1/categories", "categories"),
            *(Route(f"/api/v1/{prefix}", "stock") for prefix in (
                "warehouses", "items", "stock", "quotas", "movements", "reservations", "equipment", "alerts",
                "requisitions")),
        ),
        consumes=("drill.scheduled", "drill.cancelled", "drill.completed", "org.changed"),
    ),
    Service(
        name=PLANS, package="services.plans", port_offset=2,
        routes=(Route("/api/v1/plans", "plan", attachments=True), _ATTACHMENTS),
        consumes=("stock.changed", "drill.completed", "finding.recorded", "item.changed", "org.changed",
                  "warning.issued"),
    ),
    Service(
        name=DRILLS, package="services.drills", port_offset=3,
        routes=(Route("/api/v1/drills", "drill", attachments=True), Route("/api/v1/corrective-actions", "drill"),
                _ATTACHMENTS),
        consumes=("reservation.held", "reservation.rejected", "reservation.released", "reservation.consumed",
                  "plan.approved", "plan.retired", "stock.changed", "item.changed", "org.changed"),
    ),
    Service(
        name=SUPERVISION, package="services.supervision", port_offset=4,
        routes=(Route("/api/v1/hazards", "oversight"),
                Route("/api/v1/rectification-orders", "oversight", steps=_ORDER_STEPS, attachments=True),
                Route("/api/v1/follow-ups", "oversight"),
                Route("/api/v1/warnings", "oversight", steps=_ANSWERS),
                _ATTACHMENTS),
        consumes=("org.changed",),
    ),
)

BY_NAME: dict[str, Service] = {service.name: service for service in SERVICES}


def service(name: str) -> Service:
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"no service {name!r} in the catalogue (contracts/catalogue.py)") from None


def attachment_records() -> tuple[str, ...]:
    """The prefixes whose records keep files (`/api/v1/plans`, …): where the gateway expects uploads."""
    return tuple(route.prefix for entry in SERVICES for route in entry.routes if route.attachments)


def port_offsets() -> dict[str, int]:
    return {entry.name: entry.port_offset for entry in SERVICES}


def notifier_consumes() -> tuple[str, ...]:
    """Every event type the contract declares: what the webhook notifier's queue is bound to."""
    from contracts.events import REGISTRY  # imported here: the payload modules import this one for their owners

    return tuple(sorted(REGISTRY))


def subscriptions() -> dict[str, tuple[str, ...]]:
    """Consumer (each service, and the webhook notifier) -> the event types its queue is bound to: the one source
    of the bus's bindings."""
    return {**{entry.name: entry.consumes for entry in SERVICES}, NOTIFIER: notifier_consumes()}


def instance_urls(settings, name: str) -> list[str]:
    """The base URLs of `name`'s web instances under `settings` (servicekit.config.Settings): the ones
    configured, else its ports on 127.0.0.1 beside the gateway's."""
    return settings.service_instances(name, port_offset=service(name).port_offset)
