"""Where attachment bytes live: one interface, a folder under ERDM_DATA_DIR or an S3-compatible bucket.

`ERDM_OBJECT_STORE_URL` unset (the embedded default) keeps each service's files in
`ERDM_DATA_DIR/attachments/<service>/`. Set, it names a bucket and the prefix below which each service keeps its
own folder; the query gives what boto3 cannot guess:

    s3://erdm-attachments/prod?endpoint_url=http://minio:9000&region=us-east-1&addressing_style=path

Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance role…), never
from the URL. The bucket is made by whoever deploys (it is not created at run time: a process that could create
buckets would hold more rights than storing files needs).
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol
from urllib.parse import parse_qs, urlsplit

from servicekit.attachments.spool import CHUNK_BYTES
from servicekit.config import Settings

# boto3 sends a file of more than one part as a multipart upload, each part read into memory before it is sent:
# one part at a time, of S3's smallest size, bounds what an upload holds (5 MiB, never the whole 20 MiB file).
PART_BYTES = 5 * 1024 * 1024

# Keys are the ids the service gives its attachments: nothing a path could climb out of.
_KEY = re.compile(r"^[0-9a-f]{32}$")


class Missing(Exception):
    """The store has no file under that key (removed behind the service's back)."""


class Store(Protocol):
    def put(self, key: str, file: BinaryIO, *, content_type: str) -> None:
        """Keep `file`'s bytes (read to its end, in chunks) under `key`, whole or not at all."""

    def chunks(self, key: str) -> "Chunks":
        """The bytes kept under `key`, a chunk at a time; Missing (before the first chunk) when there are none.
        Close what is answered when it is not read to its end (a HEAD, a client gone): it holds a file or a
        connection open."""

    def delete(self, key: str) -> None:
        """Forget `key` (nothing when it is not there)."""


def checked_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"not an attachment key: {key!r}")
    return key


class FolderStore:
    """Files in a folder, one per key in a subfolder named by its first two characters; each is written to a
    temporary file beside it and renamed into place, so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        key = checked_key(key)
        return self.root / key[:2] / key

    def put(self, key: str, file: BinaryIO, *, content_type: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := file.read(CHUNK_BYTES):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def chunks(self, key: str) -> "Chunks":
        try:
            file = open(self._path(key), "rb")
        except FileNotFoundError:
            raise Missing(key) from None
        return Chunks(file)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class Chunks:
    """A stored file's bytes, a chunk at a time, from `source` (an open file, an S3 body: anything with `read(n)` and
    `close()`), which is closed once read to its end or when `close()` is called, whichever comes first. Not a
    generator: one never started would keep its source open until the garbage collector came (a HEAD request reads
    no chunk), where a WSGI server calls `close()` on whatever it was answered with."""

    def __init__(self, source) -> None:
        self._source = source
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            while not self.closed and (chunk := self._source.read(CHUNK_BYTES)):
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._source.close()


class BucketStore:
    """Objects in an S3-compatible bucket under `prefix`, uploaded and downloaded in parts by boto3."""

    def __init__(self, bucket: str, prefix: str, *, endpoint_url: str | None = None, region: str | None = None,
                 addressing_style: str | None = None) -> None:
        self.bucket, self.prefix = bucket, prefix
        self._options = {"endpoint_url": endpoint_url, "region": region, "addressing_style": addressing_style}
        self._client = None

    @property
    def client(self):
        # Made on first use (boto3 is slow to import and nothing connects at start-up); clients are thread-safe.
        if self._client is None:
            import boto3
            from botocore.config import Config

            options = self._options
            style = options["addressing_style"] or ("path" if options["endpoint_url"] else "auto")
            self._client = boto3.client("s3", endpoint_url=options["endpoint_url"], region_name=options["region"],
                                        config=Config(s3={"addressing_style": style}, retries={"mode": "standard"}))
        return self._client

    def _key(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def put(self, key: str, file: BinaryIO, *, content_type: str) -> None:
        from boto3.s3.transfer import TransferConfig

        one_part_at_a_time = TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES,
                                            use_threads=False)
        self.client.upload_fileobj(file, self.bucket, self._key(key), ExtraArgs={"ContentType": content_type},
                                   Config=one_part_at_a_time)

    def chunks(self, key: str) -> Chunks:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise Missing(key) from None
            raise
        return Chunks(answer["Body"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def bucket_store(url: str, service: str) -> BucketStore:
    """The BucketStore an `s3://bucket/prefix?endpoint_url=…&region=…&addressing_style=…` URL names, the service's
    files below `prefix/service/`; ValueError naming what is wrong with the URL."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"ERDM_OBJECT_STORE_URL must look like s3://bucket/prefix?endpoint_url=…, not {url!r}")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint_url", "region", "addressing_style"}
    if unknown:
        raise ValueError(f"ERDM_OBJECT_STORE_URL has unknown options: {', '.join(sorted(unknown))}")
    prefix = "/".join(part for part in (parts.path.strip("/"), service) if part) + "/"
    return BucketStore(parts.netloc, prefix, endpoint_url=query.get("endpoint_url"), region=query.get("region"),
                       addressing_style=query.get("addressing_style"))


def store_for(settings: Settings, service: str) -> Store:
    """The store a service's attachments live in under these settings."""
    if settings.object_store_url:
        return bucket_store(settings.object_store_url, service)
    return FolderStore(settings.data_dir / "attachments" / service)
