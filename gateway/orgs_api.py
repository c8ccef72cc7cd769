"""`/api/v1/orgs`: the organisation directory; admins create and change, every role reads what its scope reaches."""
from __future__ import annotations

import uuid

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway import current, orgs
from gateway.org_schemas import OrgCreateSchema, OrgListArgs, OrgPageSchema, OrgPatchSchema, OrgSchema
from servicekit.locations import created

# Roles were checked before any of these views runs (gateway/roles.py: area "orgs", admins write).
# Refusals (gateway/refusals.py) are answered by the app's DomainError handler.
blp = Blueprint("orgs", __name__, url_prefix="/api/v1/orgs",
                description="Organisations: the city's bureau, districts, enterprises and custodians (gateway)")



@blp.route("")
class Orgs(MethodView):
    @blp.arguments(OrgListArgs, location="query")
    @blp.response(200, OrgPageSchema)
    def get(self, args):
        """The organisations within your scope, in tree order: yours, and with scope subtree all below it"""
        with current.database().session(readonly=True) as session:
            items, total = orgs.page(session=session, actor=g.actor, page=args["page"], per_page=args["per_page"],
                                     kind=args.get("kind"), parent_id=args.get("parent_id"),
                                     district=args.get("district"))
        return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}

    @blp.arguments(OrgCreateSchema)
    @blp.response(201, OrgSchema)
    @blp.alt_response(403, description="the parent lies outside your scope")
    @blp.alt_response(409, description="the code is taken")
    def post(self, fields):
        """Create an organisation under a parent within your scope; announced as org.changed (admin)"""
        with current.database().transaction() as session:
            org = orgs.create(fields, session=session, actor=g.actor)
        return created(org, "orgs.OrgById", org_id=org.id)


@blp.route("/<uuid:org_id>")
class OrgById(MethodView):
    @blp.response(200, OrgSchema)
    def get(self, org_id: uuid.UUID):
        """One organisation; 404 when it lies outside your scope"""
        with current.database().session(readonly=True) as session:
            return orgs.get(org_id, session=session, actor=g.actor)

    @blp.arguments(OrgPatchSchema)
    @blp.response(200, OrgSchema)
    @blp.alt_response(409, description="the parent and the code never change")
    def patch(self, changes, org_id: uuid.UUID):
        """Change an organisation's name, district, industries, heads or `active`; announced as org.changed (admin)"""
        with current.database().transaction() as session:
            return orgs.change(org_id, changes, session=session, actor=g.actor)
