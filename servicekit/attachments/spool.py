"""An upload's body spooled to a temporary file while it is hashed and counted, never held whole in memory.

The gateway spools an upload before signing it (the signature covers the body's hash) and streams the spool
on; the service spools it again to check that signature before Werkzeug parses the multipart from the spool.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from typing import IO, BinaryIO, Iterable, Iterator

CHUNK_BYTES = 64 * 1024
# Below this a spool stays in memory; above it the bytes go to a temporary file on disk.
IN_MEMORY_BYTES = 256 * 1024


# What Flask's uuid converter takes: the record's id in an upload's path.
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"


class UploadPaths:
    """The paths an attachment upload is posted to: `<record path>/<uuid>/attachments` for each of `record_paths`
    (e.g. `/api/v1/plans`), exactly; any other path, though it end in /attachments, is no upload."""

    def __init__(self, record_paths: Iterable[str]) -> None:
        records = sorted({path.rstrip("/") for path in record_paths})
        alternatives = "|".join(map(re.escape, records))
        self._pattern = re.compile(f"^(?:{alternatives})/{_UUID}/attachments$") if records else None

    def match(self, path: str) -> bool:
        return self._pattern is not None and self._pattern.match(path) is not None


def is_upload(method: str, path: str, mimetype: str | None, *, paths: UploadPaths) -> bool:
    """Whether a request is an attachment upload: a multipart POST to one of `paths`."""
    return (method.upper() == "POST" and paths.match(path)
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
