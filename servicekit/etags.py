"""ETags on single records: a GET answers its record's tag (304 to If-None-Match), a PATCH honours If-Match.

flask-smorest's `Blueprint.etag` is not used: it answers 428 to a PATCH without If-Match (existing clients
send none), answers 304 without the tag and 412 without saying what to do, and documents If-Match as
required. The tag is computed as it computes its own, from the record as its schema dumps it, but checked
against the row the PATCH locks, so two PATCHes sent with one tag cannot both pass.
"""
from __future__ import annotations

import hashlib
from copy import deepcopy
from functools import wraps
from typing import Any, Callable

from flask import Response, current_app, g, request
from flask_smorest import abort
from flask_smorest.utils import deepupdate, get_appcontext
from marshmallow import Schema
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import object_session
from werkzeug.http import quote_etag

from servicekit.unit_of_work import READ_METHODS

ETAG_HEADER = {"description": "The record's strong entity tag: send it back as If-Match to change this version "
                              "only, or as If-None-Match to be answered 304 while it is unchanged.",
               "schema": {"type": "string"}}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "The ETag of the copy held: 304, with no body, while the record still has it."}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "The ETag of the version read (or `*`): 412, changing nothing, when the record has "
                           "changed since. Without it the change is made whatever the version."}
NOT_MODIFIED = {"description": "Not Modified: the record still has the ETag given in If-None-Match"}
PRECONDITION_FAILED = {"description": "Precondition Failed: the record has changed since the version If-Match "
                                      "names; nothing was changed"}


def tag_of(representation: Any) -> str:
    """A record's tag: a digest of its representation (as its schema dumps it) in canonical JSON."""
    text = current_app.json.dumps(representation, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def require_current(record: Any, schema: Schema | type[Schema], *, guarded_by: Any = None) -> None:
    """412 unless the request's If-Match names `record`'s current tag, or is `*`; without If-Match, no check.

    Call it in a PATCH view before the change. The row is locked (FOR UPDATE) and re-read here, inside
    the request's unit of work, before its tag is computed: a second PATCH sent with the same tag waits
    for the first to commit, then finds the new tag. `guarded_by` is the row whose lock the use case
    takes for `record` when that is not its own (an evaluation's is its drill's): locking that one keeps
    the order every writer locks in.
    """
    g.erdm_etag_checked = True
    if not request.if_match or request.if_match.star_tag:
        return  # `*` asks only that the record exist, and it was found
    guard = record if guarded_by is None else guarded_by
    session = object_session(record)
    session.refresh(guard, with_for_update={"of": sa_inspect(guard).mapper.local_table})
    if guard is not record:
        session.refresh(record)
    dumper = schema() if isinstance(schema, type) else schema
    if not request.if_match.contains(tag_of(dumper.dump(record))):  # strong comparison (RFC 9110 13.1.1)
        abort(412, message=f"The record at {request.path} has changed since it was read (If-Match names an older "
                           "version); nothing was changed. GET it again for its current ETag and redo the "
                           "change on that version.")


def tagged(view_class: type) -> type:
    """Decorates a MethodView of one record, below `@blp.route`: its GET and PATCH answers carry the record's
    ETag, a GET whose If-None-Match names it answers 304 with no body, and its PATCH must call
    `require_current` (If-Match). The methods must be decorated with `@blp.response`."""
    for name, documented in (("get", _read_doc), ("patch", _write_doc)):
        view = getattr(view_class, name, None)
        if view is not None:
            setattr(view_class, name, documented(_answer_tag(view)))
    return view_class


def _answer_tag(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        if request.method not in READ_METHODS and request.if_match and not g.get("erdm_etag_checked"):
            raise RuntimeError(f"{request.endpoint} ignored If-Match: its view must call etags.require_current")
        if not 200 <= response.status_code < 300:
            return response
        tag = tag_of(get_appcontext()["result_dump"])
        if request.method in READ_METHODS and request.if_none_match.contains_weak(tag):
            return Response(status=304, headers={"ETag": quote_etag(tag)})
        response.set_etag(tag)
        return response

    return wrapper


def _documented(view: Callable, parameter: dict, responses: dict) -> Callable:
    """`view` with a header parameter and the conditional answers in its OpenAPI operation (as flask-smorest's
    own decorators record them), and the ETag header on each success answer."""
    view._apidoc = apidoc = deepcopy(getattr(view, "_apidoc", {}))
    apidoc.setdefault("arguments", {}).setdefault("parameters", []).append(dict(parameter))
    tagged_answers = {status: {"headers": {"ETag": dict(ETAG_HEADER)}}
                      for status in apidoc.get("success_status_codes", ())}
    apidoc["manual_doc"] = deepupdate(deepcopy(apidoc.get("manual_doc", {})),
                                      {"responses": {**tagged_answers, **deepcopy(responses)}})
    return view


def _read_doc(view: Callable) -> Callable:
    return _documented(view, IF_NONE_MATCH, {304: NOT_MODIFIED})


def _write_doc(view: Callable) -> Callable:
    return _documented(view, IF_MATCH, {412: PRECONDITION_FAILED})
