"""What the stock pages' selects offer, read from the API as the signed-in person: depots and items as "CODE 名称"
(an item with its unit), a depot's lots, the organisations a depot may belong to, the classification tree."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import SelectChoice

from console import gateway_api
from console.filters import named, quantity

CHOOSE = SelectChoice("", _l("— choose —"))  # a choice the form needs and the person has not made yet
ANY = SelectChoice("", _l("Any"))  # a filter left open
ALL_DEPOTS = SelectChoice("", _l("All depots"))
ALL_ITEMS = SelectChoice("", _l("All items"))


def depots(*, blank: SelectChoice = CHOOSE, include_retired: bool = False) -> list[SelectChoice]:
    """The depots in the person's scope after `blank`; retired ones too where their history is shown (the
    ledger), never where stock would go into them."""
    found = gateway_api.all_pages("/warehouses", include_inactive="true" if include_retired else None)
    return [blank, *(SelectChoice(depot["id"], named(depot)) for depot in found)]


def items(*, blank: SelectChoice = CHOOSE, kind: str | None = None,
          include_retired: bool = False) -> list[SelectChoice]:
    """The catalog's items after `blank`, of one `kind` when given: material for the counted operations,
    equipment for the units registered one by one."""
    found = gateway_api.all_pages("/items", kind=kind, include_inactive="true" if include_retired else None)
    return [blank, *(SelectChoice(item["id"], f"{named(item)} ({item['unit']})" if item.get("unit") else named(item))
                     for item in found)]


def label_of(choices: list[SelectChoice], value: str | None) -> str | None:
    """The words a chooser shows for `value` ("CODE 名称"); None when nothing, or nothing it offers, is chosen."""
    return next((str(choice.label) for choice in choices if value and choice.value == value), None)


def lot_label(lot: dict) -> str:
    """A lot as a person picks it: item · batch · expiry · quantity."""
    return _("%(item)s · batch %(batch)s · expires %(expiry)s · %(quantity)s %(unit)s",
             item=named(lot.get("item")), batch=lot.get("batch_no") or "—", expiry=lot.get("expiry_date") or "—",
             quantity=quantity(lot.get("quantity")), unit=(lot.get("item") or {}).get("unit") or "")


def lots(warehouse_id: str | None) -> list[SelectChoice]:
    """The depot's lots holding stock, earliest expiry first, as item · batch · expiry · quantity."""
    if not warehouse_id:
        return []
    return [SelectChoice(lot["id"], lot_label(lot))
            for lot in gateway_api.all_pages("/stock/lots", warehouse_id=warehouse_id)]


def organisations() -> list[SelectChoice]:
    """The organisations in the person's scope, by code (what `POST /warehouses` takes as `org_code`)."""
    return [SelectChoice(org["code"], named(org)) for org in gateway_api.all_pages("/orgs")]


def categories() -> list[dict]:
    """The GB/T 38565 classification tree, parents before children (one answer, not paged)."""
    return gateway_api.get("/categories").get("items", [])


def category_choices(tree: list[dict]) -> list[SelectChoice]:
    """The classification tree in order, each class indented by its level."""
    return [SelectChoice(category["code"], "\u00a0\u00a0\u00a0" * (category["level"] - 1) + named(category))
            for category in tree]
