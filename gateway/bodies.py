"""Request body limits: an oversized body is refused (413) while it is read, before any service sees it."""
from __future__ import annotations

from flask import request

from servicekit.config import Settings

IMPORT_PATH = "/api/v1/stock/import"
BODY_CHUNK_BYTES = 64 * 1024


def body_limit(method: str, path: str, *, settings: Settings) -> int:
    """The largest body this request may carry: spreadsheets for the stock import get more room."""
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
