"""`/api/v1/users`: admins create and change the people who sign in; every role reads those its scope reaches."""
from __future__ import annotations

import uuid

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway import current, users
from gateway.user_schemas import UserCreateSchema, UserListArgs, UserPageSchema, UserPatchSchema, UserSchema
from servicekit.locations import created

# Roles were checked before any of these views runs (gateway/roles.py: area "users", admins write).
# Refusals (gateway/refusals.py) are answered by the app's DomainError handler.
blp = Blueprint("users", __name__, url_prefix="/api/v1/users",
                description="People: who signs in, for which organisation, with which role and scope (gateway)")




@blp.route("")
class Users(MethodView):
    @blp.arguments(UserListArgs, location="query")
    @blp.response(200, UserPageSchema)
    def get(self, args):
        """The people of the organisations within your scope, by username"""
        with current.database().session(readonly=True) as session:
            items, total = users.page(session=session, actor=g.actor, page=args["page"], per_page=args["per_page"],
                                      active=args.get("active"), role=args.get("role"), org_id=args.get("org_id"))
        return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}

    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(403, description="the organisation or scope reaches further than yours")
    @blp.alt_response(409, description="the username is taken, whatever its case")
    def post(self, fields):
        """Create a person who signs in with a username and password; never wider than you (admin)"""
        with current.database().transaction() as session:
            user = users.create(fields, session=session, actor=g.actor, now=current.now())
        return created(user, "users.UserById", user_id=user.id)


@blp.route("/<uuid:user_id>")
class UserById(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id: uuid.UUID):
        """One person; 404 when their organisation lies outside your scope"""
        with current.database().session(readonly=True) as session:
            return users.get(user_id, session=session, actor=g.actor)

    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(403, description="the new scope reaches further than yours")
    def patch(self, changes, user_id: uuid.UUID):
        """Change a person's name, role, scope, `active` or password; deactivating or a new password ends their
        sessions at once (admin)"""
        with current.database().transaction() as session:
            return users.change(user_id, changes, session=session, actor=g.actor, now=current.now())
