"""An upload's body spooled to a temporary file while it is hashed and counted, never held whole in memory.

The gateway spools an upload before signing it (the signature covers the body's hash) and streams the spool
on; the service spools it again to check that signature before Werkzeug parses the multipart from the spool.
"""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from typing import IO, BinaryIO, Iterator

CHUNK_BYTES = 64 * 1024
# Below this a spool stays in memory; above it the bytes go to a temporary file on disk.
IN_MEMORY_BYTES = 256 * 1024


def is_upload(method: str, path: str, mimetype: str | None) -> bool:
    """Whether a request is an attachment upload: a multipart POST to a path ending in /attachments."""
    return (method.upper() == "POST" and path.rstrip("/").endswith("/attachments")
            and (mimetype or "").partition(";")[0].strip().lower() == "multipart/form-data")


class TooLarge(Exception):
    """The body passed its limit while it was read; what was read so far is dropped."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


@dataclass
class Spool:
    """A body on a temporary file (rewound), its size and SHA-256; close it when done."""

    file: IO[bytes]
    size: int
    sha256: str

    def chunks(self) -> "Rewinding":
        return Rewinding(self.file)

    def close(self) -> None:
        self.file.close()


class Rewinding:
    """The spool's bytes in chunks, from the start each time it is iterated: a request that must be sent again
    (the next instance after a refused connection) sends the whole body again."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file

    def __iter__(self) -> Iterator[bytes]:
        self.file.seek(0)
        while chunk := self.file.read(CHUNK_BYTES):
            yield chunk


def spool(stream: BinaryIO, *, limit: int, declared_length: int | None = None) -> Spool:
    """Copy `stream` into a temporary file, hashing and counting; TooLarge as soon as `declared_length`
    (a Content-Length) or the running count passes `limit`."""
    if declared_length is not None and declared_length > limit:
        raise TooLarge(limit)
    file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES, prefix="erdm-upload-")
    digest, size = hashlib.sha256(), 0
    try:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise TooLarge(limit)
            digest.update(chunk)
            file.write(chunk)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return Spool(file=file, size=size, sha256=digest.hexdigest())
