"""The plans service's copy of the catalog's item names (from resources' events), for answers and item codes."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from contracts.events import ItemChanged
from servicekit import catalog_copy
from servicekit.events import Event
from services.plans.models import CatalogItem

log = logging.getLogger("erdm.plans.catalog")

item_id_for_code, item_reference, name_items = catalog_copy.lookups(CatalogItem)


def item_changed(change: ItemChanged, *, event: Event, session: Session) -> None:
    """item.changed: keep the item's code, name and unit, to name required items and take item codes."""
    if not catalog_copy.remember(session, CatalogItem, change.item):
        log.info("item.changed %s is not newer than the copy held; ignored", event.id)
