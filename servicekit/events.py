"""The event envelope every service emits and consumes; its data is a typed payload from contracts/events/."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Mapping, Protocol

from servicekit.db import json_number
from servicekit.logs import current_causation_id, current_request_id

class EnvelopeError(ValueError):
    """A message body that is not a well-formed ERDM event."""


def json_default(value: Any) -> Any:
    """How ERDM writes values JSON lacks: quantities as numbers, instants and days as ISO text, ids as strings."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in an event")


@dataclass(frozen=True)
class Event:
    type: str
    data: Mapping[str, Any]
    source: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat())
    correlation_id: str | None = None
    causation_id: str | None = None

    @property
    def occurred(self) -> dt.datetime:
        """`occurred_at` as an aware instant (a value without offset is taken as UTC, like every stored time)."""
        moment = dt.datetime.fromisoformat(self.occurred_at)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)

    def to_envelope(self) -> dict[str, Any]:
        # Round-trip through JSON so what is stored is exactly what is published.
        return json.loads(self.to_json())

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "type": self.type,
                "occurred_at": self.occurred_at,
                "source": self.source,
                "correlation_id": self.correlation_id,
                "causation_id": self.causation_id,
                "data": self.data,
            },
            default=json_default,
            ensure_ascii=False,
        )

    @classmethod
    def from_envelope(cls, body: Any) -> "Event":
        if not isinstance(body, Mapping):
            raise EnvelopeError("event body is not a JSON object")
        missing = [name for name in ("id", "type", "occurred_at", "source", "data") if name not in body]
        if missing:
            raise EnvelopeError(f"event envelope lacks {', '.join(missing)}")
        if not isinstance(body["data"], Mapping):
            raise EnvelopeError("event data is not a JSON object")
        try:
            uuid.UUID(str(body["id"]))
        except ValueError as exc:
            raise EnvelopeError("event id is not a UUID") from exc
        return cls(
            id=str(body["id"]),
            type=str(body["type"]),
            occurred_at=str(body["occurred_at"]),
            source=str(body["source"]),
            correlation_id=body.get("correlation_id"),
            causation_id=body.get("causation_id"),
            data=body["data"],
        )


class EventPayload(Protocol):
    """What the kit needs of a typed payload (contracts/events/): its type, its owner, its JSON-ready data."""

    TYPE: ClassVar[str]
    SOURCE: ClassVar[str]

    def to_data(self) -> dict[str, Any]: ...


def new_event(payload: EventPayload, *, source: str) -> Event:
    """The event of `payload`, caused by whatever is running now: the current request, or the event being handled.

    `source` is the emitting service: a payload owned by another service is refused, so no service
    can speak for another.
    """
    if payload.SOURCE != source:
        raise ValueError(f"{source} may not emit {payload.TYPE}; it belongs to {payload.SOURCE}")
    return Event(
        type=payload.TYPE,
        data=payload.to_data(),
        source=source,
        correlation_id=current_request_id.get(),
        causation_id=current_causation_id.get(),
    )
