"""What the fault tests assert after every fault, read straight from the services' databases:
nothing lost, nothing doubled."""
from __future__ import annotations

from collections import Counter

from servicekit.testing import wait_until
from tests.e2e.realstack import query


def assert_books_balance(resources_url: str) -> None:
    """Every balance is the sum of its ledger lines and of its lots; nothing is negative or over-reserved."""
    rows = query(resources_url, """
        SELECT b.warehouse_id, b.item_id, b.on_hand, b.reserved,
               COALESCE((SELECT SUM(m.on_hand_delta) FROM movements m
                         WHERE m.warehouse_id = b.warehouse_id AND m.item_id = b.item_id), 0),
               COALESCE((SELECT SUM(m.reserved_delta) FROM movements m
                         WHERE m.warehouse_id = b.warehouse_id AND m.item_id = b.item_id), 0),
               COALESCE((SELECT SUM(l.quantity) FROM lots l
                         WHERE l.warehouse_id = b.warehouse_id AND l.item_id = b.item_id), 0),
               COALESCE((SELECT SUM(l.reserved) FROM lots l
                         WHERE l.warehouse_id = b.warehouse_id AND l.item_id = b.item_id), 0)
        FROM balances b""")
    assert rows, "no balances at all"
    for warehouse, item, on_hand, reserved, ledger_on_hand, ledger_reserved, lots_on_hand, lots_reserved in rows:
        where = f"balance of item {item} in warehouse {warehouse}"
        assert (on_hand, reserved) == (ledger_on_hand, ledger_reserved), f"{where} differs from its ledger"
        assert (on_hand, reserved) == (lots_on_hand, lots_reserved), f"{where} differs from its lots"
        assert 0 <= reserved <= on_hand, f"{where}: reserved {reserved}, on hand {on_hand}"


def drill_ledger(resources_url: str, drill: str) -> Counter:
    """Quantity (thousandths) per movement type carrying the drill's reservation."""
    rows = query(resources_url, "SELECT type, SUM(quantity) FROM movements WHERE reference = :reference GROUP BY type",
                 reference=f"drill:{drill}")
    return Counter({kind: total for kind, total in rows})


def drill_reservations(resources_url: str, drill: str) -> list[str]:
    """The statuses of the reservations held for the drill: exactly one, however often its events arrived."""
    return [status for (status,) in query(
        resources_url, "SELECT status FROM reservations WHERE reference = :reference", reference=f"drill:{drill}")]


def wait_outbox_drained(url: str, *, timeout: float = 30.0) -> None:
    wait_until(lambda: query(url, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")[0][0] == 0,
               timeout=timeout, interval=0.2)
