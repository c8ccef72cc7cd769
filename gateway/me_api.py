"""`GET /api/v1/me`: who the caller is, the organisation it acts for and how far it reaches."""
from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from gateway import current, orgs
from gateway.org_schemas import MeSchema
from servicekit.signing import Actor

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="Who you are, for whom and how far (gateway)")


def describe(actor: Actor, *, kind: str, session: Session) -> dict[str, Any]:
    """The /me answer for an authenticated caller: `kind` is "key", or "user" for a person's session (then `id` is
    the person's and `name` their display name)."""
    # By path, which every identity carries: the bootstrap admin key may not know its organisation's id.
    org = orgs.find(session=session, path=actor.org_path) if actor.org_path else None
    return {"kind": kind, "id": actor.id, "name": actor.name, "role": actor.role, "scope": actor.scope,
            "org": {"id": org.id, "code": org.code, "name": org.name, "path": org.path} if org else None}


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """The key or signed-in person you call as: its role, organisation and scope"""
        with current.database().session(readonly=True) as session:
            return describe(g.actor, kind=g.get("actor_kind", "key"), session=session)
