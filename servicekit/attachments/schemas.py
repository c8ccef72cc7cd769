"""The attachments' HTTP shapes: the upload form, one attachment as answered, a page of them."""
from __future__ import annotations

import marshmallow as ma
from flask import g, request, url_for
from flask_smorest.fields import Upload
from marshmallow import fields

from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, page_schema


class UploadForm(Schema):
    file = Upload(required=True, metadata={"description": "PDF, DOCX, XLSX, JPEG or PNG, at most 20 MiB; its kind is "
                                                          "judged by its content, not its name; one per upload"})

    @ma.pre_load
    def _one_readable_file(self, data, **_kwargs):
        # Werkzeug drops the whole form when a part's header is not UTF-8 (a file name sent in GBK): a body with
        # no part read from it would otherwise be answered "Missing data", which tells nobody what to fix.
        if not request.files and not request.form and _body_size() > 0:
            raise ma.ValidationError("The form could not be read: the file's name must be UTF-8 (as browsers send "
                                     "it); rename the file or send it from a browser.", "file")
        if len(request.files.getlist("file")) > 1:
            raise ma.ValidationError("One file per upload: send each file in a request of its own.", "file")
        return data


class AttachmentSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    record_id = fields.UUID(dump_only=True, metadata={"description": "the plan, drill or order it belongs to"})
    filename = fields.String(dump_only=True, metadata={"description": "the name it was uploaded with, made safe"})
    size = fields.Integer(dump_only=True, metadata={"description": "bytes"})
    sha256 = fields.String(dump_only=True, metadata={"description": "hex SHA-256 of the content"})
    content_type = fields.String(dump_only=True, metadata={"description": "judged from the content"})
    uploaded_by = ActorReference("uploaded_by", "uploaded_by_name")
    uploaded_at = fields.AwareDateTime(dump_only=True)
    content_url = fields.Method("_content_url", dump_only=True,
                                metadata={"description": "where its bytes are read (GET)"})

    def _content_url(self, attachment) -> str:
        return url_for("attachments.AttachmentContent", attachment_id=attachment.id)


def _body_size() -> int:
    spooled = g.get("erdm_upload_spool")  # the service's spool of the body (servicekit/app.py): its true size
    return spooled.size if spooled is not None else request.content_length or 0


AttachmentPage = page_schema(AttachmentSchema, "AttachmentPage")

__all__ = ["UploadForm", "AttachmentSchema", "AttachmentPage", "PageArgs"]
