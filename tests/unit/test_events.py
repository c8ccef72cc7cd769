"""The event envelope: what one service writes is exactly what another reads."""
from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from contracts.events import DrillCancelled
from servicekit.events import EnvelopeError, Event, new_event


def test_an_event_survives_the_round_trip_through_json():
    item_id = uuid.uuid4()
    event = Event(type="stock.changed", source="resources", correlation_id="req-1", causation_id=str(uuid.uuid4()),
                  data={"item_id": item_id, "on_hand": Decimal("12.500"), "whole": Decimal("3"), "note": "帐篷入库"})
    envelope = json.loads(event.to_json())
    assert set(envelope) == {"id", "type", "occurred_at", "source", "correlation_id", "causation_id", "data"}
    assert envelope["data"] == {"item_id": str(item_id), "on_hand": 12.5, "whole": 3, "note": "帐篷入库"}
    assert "帐篷入库" in event.to_json()
    again = Event.from_envelope(envelope)
    assert (again.id, again.type, again.source, again.occurred_at, again.correlation_id, again.causation_id) == \
        (event.id, event.type, event.source, event.occurred_at, event.correlation_id, event.causation_id)
    assert again.to_envelope() == envelope


@pytest.mark.parametrize("body, complaint", [
    ([], "not a JSON object"),
    ({"id": str(uuid.uuid4()), "type": "x", "source": "drills", "data": {}}, "occurred_at"),
    ({"id": "nope", "type": "x", "occurred_at": "t", "source": "drills", "data": {}}, "not a UUID"),
    ({"id": str(uuid.uuid4()), "type": "x", "occurred_at": "t", "source": "drills", "data": []}, "data"),
])
def test_a_malformed_envelope_is_refused(body, complaint):
    with pytest.raises(EnvelopeError, match=complaint):
        Event.from_envelope(body)


def test_new_event_fills_the_envelope_from_a_typed_payload():
    drill = uuid.uuid4()
    event = new_event(DrillCancelled(drill_id=drill, reason="台风"), source="drills")
    assert event.type == "drill.cancelled" and event.source == "drills"
    assert event.data == {"drill_id": str(drill), "plan_id": None, "reason": "台风", "org_id": None}
    assert uuid.UUID(event.id) and event.occurred_at.endswith("+00:00")


def test_new_event_refuses_a_payload_that_belongs_to_another_service():
    with pytest.raises(ValueError, match="belongs to drills"):
        new_event(DrillCancelled(drill_id=uuid.uuid4()), source="resources")
