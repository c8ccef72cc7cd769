"""Every event type ERDM publishes, as a typed payload (cosmicpython's domain/events.py, shared by all services).

Build one (`StockChanged(warehouse_id=…, …)`) and give it to `servicekit.events.new_event`; read one
with `StockChanged.of(event)` or through a handler table made with `contracts.handlers.typed`.
"""
from contracts.codec import PayloadError
from contracts.events.directory import OrgChanged, Person
from contracts.events.drills import DrillCancelled, DrillCompleted, DrillScheduled, FindingRecorded
from contracts.events.parts import DepotName, ItemSnapshot, Line
from contracts.events.payload import REGISTRY, Payload, payload_class
from contracts.events.plans import PlanApproved, PlanRequirementsChanged, PlanRetired, PlanRevisionRequired
from contracts.events.resources import (Allocation, ItemChanged, ReservationConsumed, ReservationHeld,
                                        ReservationRejected, ReservationReleased, Shortfall, StockBelowQuota,
                                        StockChanged)
from contracts.events.supervision import (HazardRecorded, RectificationAcknowledged, RectificationClosed,
                                          RectificationIssued, RectificationOverdue, WarningAckOverdue, WarningClosed,
                                          WarningIssued)
from contracts.events.requisitions import (RequisitionApproved, RequisitionClosed, RequisitionDispatched,
                                           RequisitionLine)

__all__ = [
    "REGISTRY", "Payload", "PayloadError", "payload_class",
    "DepotName", "ItemSnapshot", "Line", "Allocation", "Shortfall",
    "StockChanged", "StockBelowQuota", "ReservationHeld", "ReservationRejected", "ReservationReleased",
    "ReservationConsumed", "ItemChanged",
    "RequisitionLine", "RequisitionApproved", "RequisitionDispatched", "RequisitionClosed",
    "HazardRecorded", "RectificationIssued", "RectificationAcknowledged", "RectificationClosed",
    "RectificationOverdue", "WarningIssued", "WarningAckOverdue", "WarningClosed",
    "PlanApproved", "PlanRetired", "PlanRequirementsChanged", "PlanRevisionRequired",
    "DrillScheduled", "DrillCancelled", "DrillCompleted", "FindingRecorded",
    "OrgChanged", "Person",
]
