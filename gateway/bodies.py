"""Request body limits: an oversized body is refused (413) while it is read, before any service sees it.

An attachment upload (a multipart POST to `<record>/<uuid>/attachments` of a record the catalogue says keeps files)
is spooled to a temporary file while it is
hashed and counted, never held in memory; every other body is read into memory, at most its limit."""
from __future__ import annotations

from flask import request

from contracts.catalogue import attachment_records
from servicekit.attachments.spool import Spool, TooLarge, UploadPaths, is_upload, spool
from servicekit.config import Settings

API_PREFIX = "/api/v1"
IMPORT_PATH = "/api/v1/stock/import"
# The API's upload paths, and the console's pages that take the same upload form (the API's paths below `/api/v1`).
UPLOAD_PATHS = UploadPaths((*attachment_records(),
                            *(record.removeprefix(API_PREFIX) for record in attachment_records())))
BODY_CHUNK_BYTES = 64 * 1024


def body_limit(method: str, path: str, *, settings: Settings, mimetype: str | None = None) -> int:
    """The largest body this request may carry: spreadsheets for the stock import and attachment uploads get more
    room (an upload: the attachment's cap and the multipart framing)."""
    if is_upload(method, path, mimetype, paths=UPLOAD_PATHS):
        return settings.upload_max_body_bytes
    if method == "POST" and path.rstrip("/") == IMPORT_PATH:
        return settings.import_max_body_bytes
    return settings.max_body_bytes


def read_body(limit: int) -> bytes | None:
    """The request body, or None once it exceeds `limit`."""
    # Content-Length lets us refuse before reading; chunked bodies are counted as they arrive.
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks, size = [], 0
    while chunk := request.stream.read(BODY_CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def read_request_body(limit: int) -> bytes | Spool | None:
    """The body as the request's kind wants it: an upload spooled, anything else in memory; None past `limit`."""
    if not is_upload(request.method, request.path, request.mimetype, paths=UPLOAD_PATHS):
        return read_body(limit)
    try:
        return spool(request.stream, limit=limit, declared_length=request.content_length)
    except TooLarge:
        return None
