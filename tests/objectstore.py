"""A real S3-compatible server for the tests (moto's server mode, `python -m moto.server`) and a look into stores."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from erdm.proctree import free_port_block, stop_tree
from servicekit.config import Settings
from servicekit.testing import missing_real_component, wait_until

BUCKET = "erdm-test-attachments"
REGION = "us-east-1"
# moto accepts any credentials; boto3 needs some to sign with.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "erdm-test", "AWS_SECRET_ACCESS_KEY": "erdm-test-secret"}


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def moto_server(workdir: Path) -> Iterator[str]:
    """moto's S3 server on a free 127.0.0.1 port with the test bucket made; yields its endpoint URL."""
    try:
        import moto.server  # noqa: F401 - only to learn it is installed
    except ImportError:
        missing_real_component("moto's server mode is not installed (pip install 'moto[server]')")
    port = free_port_block(1)
    log_path = workdir / "moto.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **CREDENTIALS})
        endpoint = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: _answers(port) or process.poll() is not None, timeout=60, interval=0.1)
            if process.poll() is not None:
                missing_real_component("moto's S3 server did not start: " + log_path.read_text(errors="replace"))
            client(endpoint).create_bucket(Bucket=BUCKET)
            yield endpoint
        finally:
            stop_tree(process)


def client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])


def store_url(endpoint: str, prefix: str) -> str:
    """ERDM_OBJECT_STORE_URL for the test bucket below `prefix` (one per test keeps tests apart)."""
    return f"s3://{BUCKET}/{prefix}?endpoint_url={endpoint}&region={REGION}"


def stored_files(settings: Settings, service: str) -> list[str]:
    """The keys a service's store holds now, wherever the settings keep them."""
    if not settings.object_store_url:
        root = settings.data_dir / "attachments" / service
        return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.exists() else []
    from servicekit.attachments.stores import bucket_store

    store = bucket_store(settings.object_store_url, service)
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix)
    return sorted(entry["Key"].removeprefix(store.prefix) for entry in listed.get("Contents", []))
