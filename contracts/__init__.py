"""The one contract between ERDM's services: who they are (catalogue) and what they tell each other (events).

- `contracts.catalogue`: each service's name, package, port offset, public paths and consumed events.
- `contracts.events`: every event type's payload as a typed value, dumped and parsed in one place.
- `contracts.handlers`: a consumer's handler table built from payload types, checked against the catalogue.
- `contracts.references`: how a reservation names the drill it holds stock for.
"""
from __future__ import annotations

from contracts import catalogue
from contracts.events import REGISTRY


def emits(emitter: str) -> tuple[str, ...]:
    """The event types `emitter` (a service, or the gateway) may publish (declared beside each payload)."""
    if emitter != catalogue.GATEWAY:
        catalogue.service(emitter)
    return tuple(name for name, payload in REGISTRY.items() if payload.SOURCE == emitter)


def source_of(event_type: str) -> str:
    """The service that owns `event_type`; ValueError for a type nobody declared."""
    from contracts.events import payload_class

    return payload_class(event_type).SOURCE
