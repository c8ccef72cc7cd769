"""A service's handler table, typed: each consumed event type mapped to a use case that takes its payload."""
from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

from contracts.catalogue import service
from contracts.events.payload import Payload

P = TypeVar("P", bound=Payload)

# use_case(payload, *, event, session): `event` is the envelope (id, occurred, causation), `payload` its data.
UseCase = Callable[..., None]


def typed(payload_class: type[P], use_case: UseCase) -> Callable[..., None]:
    """A worker handler `(event, *, session)` that parses the event's data as `payload_class` first; data that
    does not fit raises `PayloadError` (a ValueError), which the worker retries and then dead-letters."""

    def handle(event: Any, *, session: Any) -> None:
        use_case(payload_class.of(event), event=event, session=session)

    # A use case bound to settings with functools.partial is named by the function it wraps (in log lines).
    handle.__name__ = getattr(use_case, "__name__", None) or getattr(getattr(use_case, "func", None), "__name__",
                                                                     payload_class.TYPE)
    handle.__qualname__ = handle.__name__
    return handle


def table(service_name: str, entries: Mapping[type[Payload], UseCase]) -> dict[str, Callable[..., None]]:
    """The worker's handler table, checked against the catalogue: every consumed type handled, nothing else."""
    handled = {payload_class.TYPE for payload_class in entries}
    consumed = set(service(service_name).consumes)
    if handled != consumed:
        raise ValueError(f"{service_name} handles {sorted(handled)} but the catalogue says it consumes "
                         f"{sorted(consumed)} (contracts/catalogue.py)")
    return {payload_class.TYPE: typed(payload_class, use_case) for payload_class, use_case in entries.items()}
