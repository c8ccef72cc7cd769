"""Taking one uploaded file in: counted and hashed against the cap, judged by its bytes, named safely, stored."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from werkzeug.datastructures import FileStorage

from servicekit.attachments import names, sniff
from servicekit.attachments.spool import CHUNK_BYTES
from servicekit.attachments.stores import Store
from servicekit.errors import FileTooLarge, InvalidInput, UnsupportedMedia

FIELD = "file"


@dataclass(frozen=True)
class Received:
    filename: str
    size: int
    sha256: str
    content_type: str


class CappedReader:
    """`file` read through a counter that refuses (FileTooLarge) once more than `limit` bytes have passed."""

    def __init__(self, file: BinaryIO, limit: int) -> None:
        self.file, self.limit, self.count = file, limit, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.file.read(CHUNK_BYTES if size is None or size < 0 else size)
        self.count += len(chunk)
        if self.count > self.limit:
            raise too_large(self.limit)
        return chunk


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge({FIELD: [f"The file is larger than {limit // (1024 * 1024)} MiB."]},
                        f"An attachment may be at most {limit} bytes.")


def receive(upload: FileStorage, key: str, *, store: Store, max_bytes: int) -> Received:
    """Keep `upload` in `store` under `key`, or refuse it (422 empty, 413 too large, 415 not an accepted kind)
    with nothing stored. Every read is a chunk at a time: the file is never held whole in memory."""
    stream = upload.stream
    digest, size = hashlib.sha256(), 0
    reader = CappedReader(stream, max_bytes)
    stream.seek(0)
    while chunk := reader.read(CHUNK_BYTES):
        digest.update(chunk)
    size = reader.count
    if size == 0:
        raise InvalidInput({FIELD: ["The file is empty."]}, "The uploaded file is empty.")
    # Judged by the name as it will be kept: the raw one could claim a kind its cleaned form does not.
    filename = names.clean(upload.filename)
    try:
        judged = sniff.judge(stream, filename)
    except sniff.Unsupported as refusal:
        raise UnsupportedMedia({FIELD: [str(refusal)]}, f"Attachments are {sniff.ALLOWED_NAMES} files.") from None
    stream.seek(0)
    # The cap again while the bytes go to the store: what is stored is what was counted.
    store.put(key, CappedReader(stream, max_bytes), content_type=judged.content_type)
    return Received(filename=names.display_name(filename, extensions=judged.extensions), size=size,
                    sha256=digest.hexdigest(), content_type=judged.content_type)
