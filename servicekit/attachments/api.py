"""The attachments blueprint a service registers for its record: upload and list on the record's path, the bytes by
the attachment's id. Scope is the record's: a record the caller cannot see has no attachments for it (404)."""
from __future__ import annotations

import logging
import uuid
from typing import Any, Callable
from urllib.parse import quote

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit import clock, lookups
from servicekit.after_commit import after_rollback
from servicekit.attachments import schemas
from servicekit.attachments.stores import Missing, Store, store_for
from servicekit.attachments.upload import receive
from servicekit.errors import NotFound
from servicekit.locations import created
from servicekit.openapi import BINARY, file_answer
from servicekit.pagination import page_of
from servicekit.signing import Actor
from servicekit.unit_of_work import current_actor, reads_before_writing, request_session

log = logging.getLogger("erdm.attachments")


def _store() -> Store:
    """The app's store, made on first use from its settings (ERDM_OBJECT_STORE_URL or the data folder)."""
    extensions = current_app.extensions
    if "erdm.attachment_store" not in extensions:
        extensions["erdm.attachment_store"] = store_for(extensions["erdm.settings"], current_app.name)
    return extensions["erdm.attachment_store"]


# Whether the caller may add a file to a record it can see: (session, actor, record) -> None, or a DomainError
# (OutsideScope: 403) saying who may. Seeing a record is the scope rule's; adding to it may ask more.
AuthoriseUpload = Callable[[Session, Actor, Any], None]


def attachments_blueprint(*, record_path: str, id_name: str, record_model: type, attachment_model: type,
                          what: str, authorise_upload: AuthoriseUpload | None = None) -> Blueprint:
    """Routes `/api/v1/<record_path>/<id_name>/attachments` (POST a multipart `file`, GET the list) and
    `/api/v1/attachments/<id>/content` for a service whose `record_model` (an `Owned` model: a Plan, a Drill, an
    order) has files kept as `attachment_model` (servicekit/attachments/model.py); `what` names the record in 404s.
    `authorise_upload`, when given, is asked before a file is taken in (who acts for whom on the record: an order's
    files are its enterprise's and its bureau's inspectors', not every writer's whose scope reaches it)."""
    blp = Blueprint("attachments", __name__, url_prefix="/api/v1", description=f"Files attached to {what}s")
    Attachment = attachment_model
    # Where uploads arrive, exactly: the service's signature check spools only these (servicekit/app.py).
    blp.erdm_upload_record = f"/api/v1/{record_path}"

    def record(session, record_id: uuid.UUID):
        return lookups.one(session, record_model, record_id, name=what)  # the scope rule hides another's: 404

    @blp.route(f"/{record_path}/<uuid:{id_name}>/attachments")
    class Attachments(MethodView):
        @blp.arguments(schemas.PageArgs, location="query")
        @blp.response(200, schemas.AttachmentPage)
        @blp.alt_response(404, description=f"No such {what} (or not in the caller's scope)")
        def get(self, query, **path):
            """The record's attachments, newest first"""
            record_id = path[id_name]
            session = request_session()
            record(session, record_id)
            listed = (select(Attachment).where(Attachment.record_id == record_id)
                      .order_by(Attachment.uploaded_at.desc(), Attachment.id))
            return page_of(session, listed, **query)

        @blp.arguments(schemas.UploadForm, location="files")
        @blp.response(201, schemas.AttachmentSchema)
        @blp.alt_response(403, description=f"The caller sees the {what} but may not add files to it")
        @blp.alt_response(404, description=f"No such {what} (or not in the caller's scope)")
        @blp.alt_response(413, description="The file is larger than 20 MiB; nothing is kept")
        @blp.alt_response(415, description="The file is not a PDF, DOCX, XLSX, JPEG or PNG by its content, or its "
                                           "name claims another kind; nothing is kept")
        def post(self, files, **path):
            """Attach a file (multipart `file`): kept with its name, size and SHA-256, its kind judged by content"""
            record_id = path[id_name]
            # Looked up before the write transaction starts: the file goes to the store with no lock held.
            with reads_before_writing() as reads:
                owner = record(reads, record_id)
                org_id, org_path = owner.org_id, owner.org_path
                if authorise_upload is not None:
                    authorise_upload(reads, current_actor(), owner)
            attachment_id = uuid.uuid4()
            settings = current_app.extensions["erdm.settings"]
            store, session = _store(), request_session()
            # The file is stored before the row is committed; should the commit not happen (a refusal, the
            # deadline, the database down) the file goes too, so "nothing was changed" holds for the store.
            # Registered before the put: one that fails half way leaves nothing either. No lock is taken yet.
            after_rollback(session, lambda: store.delete(attachment_id.hex))
            received = receive(files["file"], attachment_id.hex, store=store, max_bytes=settings.attachment_max_bytes)
            actor = current_actor()
            attachment = Attachment(
                id=attachment_id, record_id=record_id, org_id=org_id, org_path=org_path,
                filename=received.filename, size=received.size, sha256=received.sha256,
                content_type=received.content_type, storage_key=attachment_id.hex,
                uploaded_by=actor.id, uploaded_by_name=actor.name, uploaded_at=clock.now())
            session.add(attachment)
            session.flush()
            return created(attachment, "attachments.AttachmentContent", attachment_id=attachment_id)

    @blp.route("/attachments/<uuid:attachment_id>/content")
    class AttachmentContent(MethodView):
        @blp.doc(responses=file_answer("The file's bytes, as uploaded", {"application/octet-stream": BINARY}))
        @blp.alt_response(404, description="No such attachment here (or not in the caller's scope)")
        def get(self, attachment_id):
            """An attachment's bytes, streamed from the store"""
            session = request_session()
            attachment = lookups.one(session, Attachment, attachment_id, name="attachment")
            record(session, attachment.record_id)
            try:
                chunks = _store().chunks(attachment.storage_key)
            except Missing:
                log.error("attachment %s is missing from the store", attachment.id)
                raise NotFound(f"The file of attachment {attachment.id} is missing from the store.") from None
            name = quote(attachment.filename, safe="")
            return Response(chunks, content_type=attachment.content_type, headers={
                "Content-Length": str(attachment.size),
                "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
                "ETag": f'"{attachment.sha256}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-cache",
            })

    return blp
