"""PostgreSQL stopped and started again while receipts keep coming: readiness says 503 meanwhile, every
request answers 503 rather than 500, the processes reconnect by themselves, and every receipt a client
was told about is in the books exactly once (clients retry with their Idempotency-Key)."""
from __future__ import annotations

import threading
import time

from servicekit.testing import wait_until
from tests.e2e.realstack import query
from tests.faults.books import assert_books_balance, wait_outbox_drained

DOWN_SECONDS = 4


class ReceiptLoad(threading.Thread):
    """One client posting 1-unit receipts back to back, each retried until it is answered."""

    def __init__(self, bureau) -> None:
        super().__init__(daemon=True)
        self.bureau, self.done, self.failure = bureau, 0, None
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.bureau.receive(1)
                self.done += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
            self.failure = exc

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=90)
        assert not self.is_alive(), "a receipt never got an answer"
        assert self.failure is None, self.failure


def test_a_database_restart_under_load_loses_and_doubles_no_receipt(stack, backends, bureau):
    load = ReceiptLoad(bureau)
    load.start()
    try:
        wait_until(lambda: load.done >= 20, timeout=30, interval=0.1)
        backends.postgres_down()
        stopped = time.monotonic()
        wait_until(lambda: stack.ready() == 503, timeout=10, interval=0.2)
        before_restart = load.done
        time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - stopped)))
        backends.postgres_up()
        wait_until(lambda: stack.ready() == 200, timeout=60, interval=0.2)
        wait_until(lambda: load.done >= before_restart + 20, timeout=60, interval=0.1)
    finally:
        load.stop()

    resources = stack.database("resources")
    receipts = query(resources, "SELECT COUNT(*), SUM(on_hand_delta) FROM movements "
                                "WHERE item_id = :item AND type = 'receipt'", item=bureau.item)[0]
    assert receipts == (load.done, load.done * 1000)
    assert bureau.balance() == (load.done, 0)
    wait_outbox_drained(resources)
    assert_books_balance(resources)
