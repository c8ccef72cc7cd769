"""What every event payload is: a frozen dataclass with its event type and owner, dumped and parsed by the codec."""
from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Mapping, TypeVar

from contracts import codec

P = TypeVar("P", bound="Payload")

# event type -> its payload class; filled as the payload modules are imported (contracts/events/__init__.py).
REGISTRY: dict[str, type["Payload"]] = {}


class Payload:
    """The typed `data` of one event type. Subclasses are frozen dataclasses declared with `@event_type`."""

    TYPE: ClassVar[str]
    SOURCE: ClassVar[str]  # the one service that may emit it

    def to_data(self) -> dict[str, Any]:
        return codec.dump(self)

    @classmethod
    def parse(cls: type[P], data: Mapping[str, Any]) -> P:
        return codec.load(cls, data)

    @classmethod
    def of(cls: type[P], event: Any) -> P:
        """The payload of a received envelope (`servicekit.events.Event`) of this type."""
        if event.type != cls.TYPE:
            raise codec.PayloadError("type", f"is {event.type!r}, not {cls.TYPE!r}")
        return cls.parse(event.data)


def event_type(name: str, *, source: str):
    """Declare a payload: `@event_type("stock.changed", source=RESOURCES)` above a frozen dataclass."""

    def declare(cls: type[P]) -> type[P]:
        if name in REGISTRY:
            raise ValueError(f"event type {name!r} is declared twice")
        cls.TYPE, cls.SOURCE = name, source
        REGISTRY[name] = cls
        return cls

    return declare


def payload_class(name: str) -> type[Payload]:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown event type {name!r}") from None


def frozen(cls):
    """The dataclass form every payload and its parts take: immutable, keyword-only."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)
