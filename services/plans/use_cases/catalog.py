"""The plans service's copy of the catalog's item names (from resources' events), for answers and item codes."""
from __future__ import annotations

from servicekit import catalog_copy
from services.plans.models import CatalogItem

item_id_for_code, item_reference, name_items = catalog_copy.lookups(CatalogItem)
