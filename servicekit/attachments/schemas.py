"""The attachments' HTTP shapes: the upload form, one attachment as answered, a page of them."""
from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import fields

from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, page_schema


class UploadForm(Schema):
    file = Upload(required=True, metadata={"description": "PDF, DOCX, XLSX, JPEG or PNG, at most 20 MiB; its kind is "
                                                          "judged by its content, not its name"})


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


AttachmentPage = page_schema(AttachmentSchema, "AttachmentPage")

__all__ = ["UploadForm", "AttachmentSchema", "AttachmentPage", "PageArgs"]
