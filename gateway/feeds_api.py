"""`/api/v1/calendar-feeds`: every caller makes, lists and revokes its own secret calendar URLs (gateway/feeds.py)."""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask import Response, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from gateway import current, feeds
from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, Text, page_schema

# Every role reads and writes here (gateway/roles.py, area "feeds"): each caller reaches only its own feeds.
blp = Blueprint("calendar_feeds", __name__, url_prefix="/api/v1/calendar-feeds",
                description="Calendar feeds: secret URLs a calendar client subscribes to, showing the drills "
                            "its creator may see (gateway)")


class FeedCreateSchema(Schema):
    name = Text(100, required=True, metadata={"description": "what the feed is for, e.g. 张伟's Outlook"})
    plan_id = fields.UUID(allow_none=True, metadata={"description": "only this plan's drills; all by default"})


class FeedCreatedSchema(ma.Schema):
    id = fields.UUID(required=True)
    url = fields.String(required=True, metadata={"description": "the secret URL to paste into Outlook, Google or "
                                                                "Apple Calendar: shown this once, stored only as a "
                                                                "hash"})


class FeedSchema(ma.Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    plan_id = fields.UUID(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    created_by = ActorReference("creator_id", "creator_name", required=True)


class FeedListArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like every list endpoint: unknown query parameters are ignored


FeedPageSchema = page_schema(FeedSchema, "FeedPageSchema")



def _caller() -> dict:
    return {"kind": g.get("actor_kind", "key"), "actor": g.actor}


@blp.route("")
class CalendarFeeds(MethodView):
    @blp.arguments(FeedListArgs, location="query")
    @blp.response(200, FeedPageSchema)
    def get(self, args):
        """Your own live calendar feeds, newest first (never their URLs)"""
        with current.database().session(readonly=True) as session:
            items, total = feeds.page(session=session, page=args["page"], per_page=args["per_page"], **_caller())
        return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}

    @blp.arguments(FeedCreateSchema)
    @blp.response(201, FeedCreatedSchema)
    def post(self, body):
        """A new calendar feed: its secret URL shows the drills you may see, as of each time it is fetched"""
        with current.database().transaction() as session:
            feed, token = feeds.create(body["name"], body.get("plan_id"), session=session,
                                       now=current.now(), **_caller())
        # The feed is fetched from this gateway, by the host name the caller reached it at.
        url = f"{request.host_url.rstrip('/')}/feeds/{token}.ics"
        # The only answer that ever carries the token: no cache or proxy may keep a copy.
        return {"id": feed.id, "url": url}, 201, {"Cache-Control": "no-store"}


@blp.route("/<uuid:feed_id>")
class CalendarFeedById(MethodView):
    @blp.response(204)
    @blp.alt_response(404, description="no live feed of yours with this id")
    def delete(self, feed_id: uuid.UUID):
        """Revoke one of your feeds: its URL answers 404 from now on"""
        with current.database().transaction() as session:
            feeds.revoke(feed_id, session=session, now=current.now(), **_caller())
        return Response(status=204)
