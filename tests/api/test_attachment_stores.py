"""A file read from the store holds a file or a connection open only while it is read: one answered but never read
(a HEAD request, a client gone before the first chunk) is let go when the server closes the answer, on the data
folder and on a real S3-compatible server."""
from __future__ import annotations

import gc
import io
import os
import uuid
import warnings

import pytest

from servicekit.attachments.stores import FolderStore, bucket_store
from tests.objectstore import store_url

CONTENT = b"%PDF-1.4\n" + os.urandom(300 * 1024)  # several chunks


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path):
    if request.param == "folder":
        return FolderStore(tmp_path / "attachments")
    return bucket_store(store_url(request.getfixturevalue("s3_endpoint"), uuid.uuid4().hex), "plans")


def read_again(store, key: str) -> None:
    assert b"".join(store.chunks(key)) == CONTENT  # read whole: S3's connection goes back to its pool


def test_an_answer_closed_before_its_first_chunk_closes_its_file_itself(store):
    key = uuid.uuid4().hex
    store.put(key, io.BytesIO(CONTENT), content_type="application/pdf")
    read_again(store, key)
    before = open_descriptors()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        unread = store.chunks(key)  # the file, or a connection of its own, is open now…
        unread.close()  # …and a WSGI server closes a HEAD's answer without reading it
        assert list(unread) == []
        del unread
        gc.collect()
    # Closed, not dropped for the garbage collector to find open (Python's ResourceWarning).
    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []
    read_again(store, key)
    assert open_descriptors() <= before


def test_an_answer_read_part_way_and_closed_lets_its_file_go(store):
    key = uuid.uuid4().hex
    store.put(key, io.BytesIO(CONTENT), content_type="application/pdf")
    read_again(store, key)
    before = open_descriptors()
    chunks = store.chunks(key)
    first = next(iter(chunks))
    assert CONTENT.startswith(first) and len(first) < len(CONTENT)
    chunks.close()  # the client went away after the first chunk
    read_again(store, key)
    assert open_descriptors() <= before
