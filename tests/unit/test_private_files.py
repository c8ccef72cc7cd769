"""SQLite files and the embedded broker's messages are their owner's alone: 0600 in 0700 folders, whatever the umask."""
from __future__ import annotations

import os
import stat

import pytest
from kombu import Exchange, Producer, Queue

from servicekit import bus
from sqlalchemy import insert

from servicekit.db import Database, signature_nonces_table, utcnow
from servicekit.migrations import upgrade


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def lax_umask():
    """The usual umask, under which files are made world-readable unless the code says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_sqlite_database_and_its_companions_are_private(tmp_path):
    (tmp_path / "data").mkdir()
    url = f"sqlite:///{tmp_path / 'data' / 'resources.db'}"
    upgrade("services.resources", url)
    database = Database(url)
    try:
        with database.transaction() as session:  # a write: the -wal, -shm and writer lock exist now
            session.execute(insert(signature_nonces_table).values(nonce="n", expires_at=utcnow()))
        made = [tmp_path / "data" / f"resources.db{suffix}" for suffix in ("", "-wal", "-shm", ".writer-lock")]
        assert all(path.exists() for path in made)
        assert {path.name: mode(path) for path in made} == {path.name: 0o600 for path in made}
    finally:
        database.dispose()


def test_files_left_readable_by_an_older_version_are_closed_on_open(tmp_path):
    path = tmp_path / "plans.db"
    upgrade("services.plans", f"sqlite:///{path}")
    os.chmod(path, 0o644)
    Database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


def test_broker_messages_and_folders_are_private(tmp_path):
    folder = tmp_path / "broker"
    exchange = Exchange("erdm.test", type="topic")
    queue = Queue("erdm.test.q", exchange=exchange, routing_key="a.#")
    with bus.connect("filesystem://", folder=folder) as connection:
        producer = Producer(connection)
        producer.publish({"x": 1}, exchange=exchange, routing_key="a.b", declare=[exchange, queue])
        with connection.SimpleQueue(queue) as consumer:
            message = consumer.get(timeout=2)  # claimed: a processing folder of this channel exists now
            files = [p for p in folder.rglob("*") if p.is_file()]
            folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
            assert any(p.suffix == ".exchange" for p in files) and any(p.name == "owner.lock" for p in files)
            assert any(p.name.endswith(".msg") for p in files)
            assert {str(p): mode(p) for p in files} == {str(p): 0o600 for p in files}
            assert {str(p): mode(p) for p in folders} == {str(p): 0o700 for p in folders}
            message.ack()


def test_make_run_makes_its_data_folder_for_its_owner_only(tmp_path, monkeypatch):
    """`make run` sets umask 077 before it makes anything, for itself and every process it starts."""
    from erdm import stack

    class Stop(Exception):
        pass

    def stop_after_making_folders(*_args):
        raise Stop

    monkeypatch.setenv("ERDM_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(stack, "_die_with_parent", lambda: None)
    monkeypatch.setattr(stack, "configure_logging", lambda *_args: None)
    monkeypatch.setattr(stack, "migrate_all", stop_after_making_folders)
    try:
        with pytest.raises(Stop):
            stack.run_stack()
        assert os.umask(0o022) == 0o077  # (and back to the test's umask)
    finally:
        os.umask(0o022)
    assert mode(tmp_path / "var") == 0o700 and mode(tmp_path / "var" / "broker") == 0o700
