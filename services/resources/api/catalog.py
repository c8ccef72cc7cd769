"""Categories (GB/T 38565), depots and catalog items."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.resources.api import schemas
from services.resources.api.context import current_actor, request_session
from services.resources.use_cases import catalog

blp = Blueprint("catalog", __name__, url_prefix="/api/v1", description="The supply classification, depots and items")


@blp.route("/categories")
class Categories(MethodView):
    @blp.arguments(schemas.CategoryQuery, location="query")
    @blp.response(200, schemas.CategoryListSchema)
    def get(self, query):
        """The GB/T 38565-2020 classification tree, parents before children"""
        return {"items": catalog.list_categories(session=request_session(), **query)}

    @blp.arguments(schemas.CategorySchema)
    @blp.response(201, schemas.CategorySchema)
    @blp.alt_response(409, description="The category exists")
    def post(self, data):
        """Add a class below an existing one (admin); `Location` lists it among its siblings"""
        category = catalog.create_category(data, session=request_session())
        siblings = {"parent_code": category.parent_code} if category.parent_code else {"level": category.level}
        return created(category, "catalog.Categories", **siblings)


@blp.route("/warehouses")
class Warehouses(MethodView):
    @blp.arguments(schemas.WarehouseQuery, location="query")
    @blp.response(200, schemas.WarehousePage)
    def get(self, query):
        """Depots, by code; retired ones only with `include_inactive=true`"""
        return catalog.list_warehouses(session=request_session(), level=query.get("level"), q=query.get("q"),
                                       page=query["page"], per_page=query["per_page"],
                                       include_inactive=query["include_inactive"])

    @blp.arguments(schemas.WarehouseSchema)
    @blp.response(201, schemas.WarehouseSchema)
    @blp.alt_response(403, description="The organisation lies outside the caller's scope")
    @blp.alt_response(409, description="The code is taken")
    def post(self, data):
        """Register a depot for the caller's organisation, or `org_id`/`org_code` in its scope; its code is unique"""
        warehouse = catalog.create_warehouse(data, session=request_session(), actor=current_actor())
        return created(warehouse, "catalog.WarehouseById", warehouse_id=warehouse.id)


@blp.route("/warehouses/<uuid:warehouse_id>")
@etags.tagged
class WarehouseById(MethodView):
    @blp.response(200, schemas.WarehouseSchema)
    def get(self, warehouse_id):
        """One depot"""
        return catalog.get_warehouse(warehouse_id, session=request_session())

    @blp.arguments(schemas.WarehouseSchema(partial=True))
    @blp.response(200, schemas.WarehouseSchema)
    @blp.alt_response(409, description="The code is taken")
    def patch(self, changes, warehouse_id):
        """Change some of a depot's fields; `active: false` retires it, `true` brings it back"""
        etags.require_current(catalog.get_warehouse(warehouse_id, session=request_session()), schemas.WarehouseSchema)
        return catalog.update_warehouse(warehouse_id, changes, session=request_session())


@blp.route("/items")
class Items(MethodView):
    @blp.arguments(schemas.ItemQuery, location="query")
    @blp.response(200, schemas.ItemPage)
    def get(self, query):
        """Catalog items, by code; retired ones only with `include_inactive=true`"""
        return catalog.list_items(session=request_session(), category_code=query.get("category_code"),
                                  kind=query.get("kind"), q=query.get("q"),
                                  page=query["page"], per_page=query["per_page"],
                                  include_inactive=query["include_inactive"])

    @blp.arguments(schemas.ItemSchema)
    @blp.response(201, schemas.ItemSchema)
    @blp.alt_response(409, description="The code is taken")
    def post(self, data):
        """Add a catalog item under an existing category"""
        item = catalog.create_item(data, session=request_session())
        return created(item, "catalog.ItemById", item_id=item.id)


@blp.route("/items/<uuid:item_id>")
@etags.tagged
class ItemById(MethodView):
    @blp.response(200, schemas.ItemSchema)
    def get(self, item_id):
        """One item"""
        return catalog.get_item(item_id, session=request_session())

    @blp.arguments(schemas.ItemSchema(partial=True))
    @blp.response(200, schemas.ItemSchema)
    @blp.alt_response(409, description="The code is taken, or the kind would change")
    def patch(self, changes, item_id):
        """Change some of an item's fields (not its kind); `active: false` retires it, `true` brings it back"""
        etags.require_current(catalog.get_item(item_id, session=request_session()), schemas.ItemSchema)
        return catalog.update_item(item_id, changes, session=request_session())
