"""What the drills service does with other services' events: a table from each consumed payload to its use case.

The worker applies each event once (inbox) in one transaction; each use case is also safe against
events arriving late or out of order (see use_cases/saga.py and use_cases/approved_plans.py).
"""
from __future__ import annotations

from typing import Any

from contracts.catalogue import DRILLS
from contracts.events import (ItemChanged, OrgChanged, PlanApproved, PlanRetired, ReservationConsumed, ReservationHeld,
                              ReservationRejected, ReservationReleased, StockChanged)
from contracts.handlers import table
from services.drills.use_cases import approved_plans, catalog, directory, restock, saga
from services.drills.use_cases.saga import learning_names


def mapping() -> dict[str, Any]:
    return table(DRILLS, {
        ReservationHeld: learning_names(saga.reservation_held),
        ReservationRejected: learning_names(saga.reservation_rejected),
        ReservationReleased: learning_names(saga.reservation_released),
        ReservationConsumed: learning_names(saga.reservation_consumed),
        ItemChanged: catalog.item_changed,
        PlanApproved: approved_plans.plan_approved,
        PlanRetired: approved_plans.plan_retired,
        StockChanged: restock.stock_changed,
        OrgChanged: directory.org_changed,
    })
