"""Categories, depots and catalog items: the reference data stock is kept against."""
from __future__ import annotations

import uuid
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import RESOURCES
from contracts.events import DepotName, ItemChanged, ItemSnapshot
from servicekit import outbox, scope
from servicekit.errors import Conflict, InvalidInput
from servicekit.events import new_event
from servicekit.pagination import page_of
from servicekit.lookups import one, prime_references
from servicekit.signing import Actor
from services.resources.domain.categories import CategoryCodeError, parent_and_level
from services.resources.models import Category, Item, Warehouse
from services.resources.use_cases.owners import owner_for_new_depot


def list_categories(*, session: Session, parent_code: str | None = None, level: int | None = None) -> list[Category]:
    query = select(Category).order_by(Category.code)
    if parent_code is not None:
        query = query.where(Category.parent_code == parent_code)
    if level is not None:
        query = query.where(Category.level == level)
    return list(session.scalars(query))


def create_category(data: Mapping[str, Any], *, session: Session) -> Category:
    code = data["code"]
    try:
        parent_code, level = parent_and_level(code)
    except CategoryCodeError as exc:
        raise InvalidInput({"code": [str(exc)]}) from exc
    if session.get(Category, code) is not None:
        raise Conflict(f"Category {code} already exists.")
    if parent_code is not None and session.get(Category, parent_code) is None:
        raise InvalidInput({"code": [f"Its parent category {parent_code} does not exist."]})
    category = Category(code=code, name=data["name"], parent_code=parent_code, level=level)
    session.add(category)
    session.flush()
    return category


def _ensure_unique_code(session: Session, model, code: str, *, exclude: uuid.UUID | None = None) -> None:
    # System-wide on purpose: codes are unique across every organisation (the table's constraint), and saying
    # a code is taken is all this tells of a depot outside the caller's scope.
    query = select(model.id).where(model.code == code).execution_options(**scope.ALL_SCOPES)
    if exclude is not None:
        query = query.where(model.id != exclude)
    if session.scalar(query) is not None:
        raise Conflict(f"A {model.__tablename__[:-1]} with code {code!r} already exists.", field="code")


def warehouse_id_for_code(session: Session, code: str) -> uuid.UUID | None:
    return session.scalar(select(Warehouse.id).where(Warehouse.code == code))


def item_id_for_code(session: Session, code: str) -> uuid.UUID | None:
    return session.scalar(select(Item.id).where(Item.code == code))


def warehouse_reference(session: Session, warehouse_id: uuid.UUID) -> dict[str, Any] | None:
    warehouse = session.get(Warehouse, warehouse_id)
    return None if warehouse is None else {"id": warehouse.id, "code": warehouse.code, "name": warehouse.name}


def item_reference(session: Session, item_id: uuid.UUID) -> dict[str, Any] | None:
    item = session.get(Item, item_id)
    return None if item is None else {"id": item.id, "code": item.code, "name": item.name, "unit": item.unit}


def name_rows(session: Session, rows: Iterable[Any], *, warehouse_fields: tuple[str, ...] = ("warehouse_id",),
              item_fields: tuple[str, ...] = ("item_id",)) -> None:
    """Read the depots and items a page of rows names in two statements, for the names its answer carries."""
    rows = list(rows)

    def ids(names: tuple[str, ...]) -> set:
        return {value for row in rows for name in names
                if (value := row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)) is not None}

    # Plain columns, not entities: building 500 ORM objects costs more than the names are worth.
    if warehouse_ids := ids(warehouse_fields):
        prime_references(warehouse_reference, (row._asdict() for row in session.execute(
            select(Warehouse.id, Warehouse.code, Warehouse.name).where(Warehouse.id.in_(warehouse_ids)))))
    if item_ids := ids(item_fields):
        prime_references(item_reference, (row._asdict() for row in session.execute(
            select(Item.id, Item.code, Item.name, Item.unit).where(Item.id.in_(item_ids)))))


def depot_name(warehouse: Warehouse) -> DepotName:
    """What an event says of a depot beside its id."""
    return DepotName(id=warehouse.id, code=warehouse.code, name=warehouse.name)


def item_snapshot(item: Item) -> ItemSnapshot:
    """What an event says of an item beside its id; `updated_at` orders the copies other services keep."""
    return ItemSnapshot(id=item.id, code=item.code, name=item.name, unit=item.unit, updated_at=item.updated_at)


def _announce_item(session: Session, item: Item) -> None:
    """`item.changed`: the names plans and drills keep a copy of (servicekit/catalog_copy.py)."""
    session.flush()  # updated_at is set at flush
    outbox.add(session, new_event(ItemChanged(item_id=item.id, item=item_snapshot(item), kind=item.kind,
                                              category_code=item.category_code), source=RESOURCES))


def get_warehouse(warehouse_id: uuid.UUID, *, session: Session) -> Warehouse:
    return one(session, Warehouse, warehouse_id, name="warehouse")


def create_warehouse(data: Mapping[str, Any], *, session: Session, actor: Actor) -> Warehouse:
    """A new depot, for the caller's organisation unless `org_id`/`org_code` names another in its scope."""
    data = dict(data)
    org_id, org_path = owner_for_new_depot(data, session=session, actor=actor)
    data.pop("org_code", None)
    data["org_id"] = org_id
    _ensure_unique_code(session, Warehouse, data["code"])
    warehouse = Warehouse(id=uuid.uuid4(), org_path=org_path, **data)
    session.add(warehouse)
    session.flush()
    return warehouse


def _apply_changes(session: Session, entity, changes: Mapping[str, Any]):
    """PATCH semantics: only the given fields change; a new code must stay unique."""
    if "code" in changes:
        _ensure_unique_code(session, type(entity), changes["code"], exclude=entity.id)
    for name, value in changes.items():
        setattr(entity, name, value)
    session.flush()
    return entity


def update_warehouse(warehouse_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session) -> Warehouse:
    warehouse = get_warehouse(warehouse_id, session=session)
    for field in ("org_id", "org_code"):
        if field in changes:
            # Its stock, lots and ledger carry the organisation too; moving them is not a PATCH.
            raise InvalidInput({field: ["A depot's organisation never changes; register a new depot instead."]})
    return _apply_changes(session, warehouse, changes)


def list_warehouses(*, session: Session, level: str | None, q: str | None, page: int, per_page: int,
                    include_inactive: bool = False) -> dict[str, Any]:
    query = select(Warehouse).order_by(Warehouse.code)
    if not include_inactive:
        query = query.where(Warehouse.active.is_(True))
    if level:
        query = query.where(Warehouse.level == level)
    if q:
        query = query.where(Warehouse.code.contains(q, autoescape=True) | Warehouse.name.contains(q, autoescape=True))
    return page_of(session, query, page=page, per_page=per_page)


def get_item(item_id: uuid.UUID, *, session: Session) -> Item:
    return one(session, Item, item_id, name="item")


def _ensure_category(session: Session, code: str) -> None:
    if session.get(Category, code) is None:
        raise InvalidInput({"category_code": [f"No category {code}; see GET /api/v1/categories."]})


def create_item(data: Mapping[str, Any], *, session: Session) -> Item:
    _ensure_unique_code(session, Item, data["code"])
    _ensure_category(session, data["category_code"])
    item = Item(id=uuid.uuid4(), **data)
    session.add(item)
    _announce_item(session, item)
    return item


def update_item(item_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session) -> Item:
    item = get_item(item_id, session=session)
    if "category_code" in changes:
        _ensure_category(session, changes["category_code"])
    if "kind" in changes and changes["kind"] != item.kind:
        raise Conflict("An item's kind cannot change once created; create a new item instead.", field="kind")
    _apply_changes(session, item, changes)
    _announce_item(session, item)
    return item


def list_items(*, session: Session, category_code: str | None, kind: str | None, q: str | None,
               page: int, per_page: int, include_inactive: bool = False) -> dict[str, Any]:
    query = select(Item).order_by(Item.code)
    if not include_inactive:
        query = query.where(Item.active.is_(True))
    if category_code:
        # A class includes everything below it: codes extend their parent's code. Escaped, so `_` and `%`
        # are characters of the code, not LIKE wildcards matching every item.
        query = query.where(Item.category_code.startswith(category_code, autoescape=True))
    if kind:
        query = query.where(Item.kind == kind)
    if q:
        query = query.where(Item.code.contains(q, autoescape=True) | Item.name.contains(q, autoescape=True))
    return page_of(session, query, page=page, per_page=per_page)



def retired_reason(*, warehouse: Warehouse | None = None, item: Item | None = None) -> str | None:
    """Why new stock may not go into this depot or be of this item (either retired), or None when it may.

    New stock is a receipt, an import row, a transfer in or a registered unit; issuing, transferring out
    and counting what a retired depot still holds stay allowed, so it can be emptied.
    """
    if warehouse is not None and not warehouse.active:
        return (f"Depot {warehouse.code} ({warehouse.name}) is retired: it takes no new stock. "
                "PATCH it with {\"active\": true} to bring it back.")
    if item is not None and not item.active:
        return (f"Item {item.code} ({item.name}) is retired: no new stock of it is taken. "
                "PATCH it with {\"active\": true} to bring it back.")
    return None


def refuse_stock_into_retired(*, warehouse: Warehouse | None = None, item: Item | None = None,
                              warehouse_field: str = "warehouse_id") -> None:
    """409 when new stock would go into a retired depot or be of a retired item (see `retired_reason`)."""
    if reason := retired_reason(warehouse=warehouse, item=item):
        retired_depot = warehouse is not None and not warehouse.active
        raise Conflict(reason, field=warehouse_field if retired_depot else "item_id")
