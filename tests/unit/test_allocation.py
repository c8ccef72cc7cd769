"""First-expiry-first-out allocation, as a logistics officer would expect it to draw stock."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from services.resources.domain.allocation import (
    InsufficientStock, Line, LotStock, allocate_fefo, coverage, fefo_order, split_consumption, usable,
)

TODAY = dt.date(2026, 6, 1)
DEPOT_A, DEPOT_B = "depot-a", "depot-b"
WATER, TENT = "water", "tent"


def lot(lot_id, free, expiry=None, *, item=WATER, depot=DEPOT_A, received=None):
    return LotStock(lot_id=lot_id, warehouse_id=depot, item_id=item, free=D(free), expiry_date=expiry,
                    received_at=received)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def drawn(draws):
    return [(draw.lot.lot_id, draw.quantity) for draw in draws]


def test_earliest_expiry_is_drawn_first_whatever_the_listing_order():
    lots = [lot("late", 10, days(90)), lot("soon", 10, days(5)), lot("mid", 10, days(30))]
    draws = allocate_fefo([Line(WATER, D(25))], lots, today=TODAY)
    assert drawn(draws) == [("soon", D(10)), ("mid", D(10)), ("late", D(5))]


def test_lots_that_never_expire_are_drawn_last():
    lots = [lot("forever", 10, None), lot("far", 10, days(3000))]
    assert drawn(allocate_fefo([Line(WATER, D(15))], lots, today=TODAY)) == [("far", D(10)), ("forever", D(5))]
    assert sorted(lots, key=fefo_order)[-1].lot_id == "forever"


def test_same_expiry_draws_the_oldest_receipt_first():
    older = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    newer = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    lots = [lot("new", 5, days(10), received=newer), lot("old", 5, days(10), received=older)]
    assert drawn(allocate_fefo([Line(WATER, D(5))], lots, today=TODAY)) == [("old", D(5))]


def test_expired_lots_are_never_drawn_but_a_lot_expiring_today_is():
    lots = [lot("expired", 100, days(-1)), lot("today", 4, TODAY)]
    assert not usable(lots[0], TODAY) and usable(lots[1], TODAY)
    assert drawn(allocate_fefo([Line(WATER, D(4))], lots, today=TODAY)) == [("today", D(4))]
    with pytest.raises(InsufficientStock) as refused:
        allocate_fefo([Line(WATER, D(5))], lots, today=TODAY)
    assert refused.value.shortfall[0].available == D(4)


def test_empty_lots_are_skipped():
    lots = [lot("empty", 0, days(1)), lot("full", 3, days(2))]
    assert drawn(allocate_fefo([Line(WATER, D(3))], lots, today=TODAY)) == [("full", D(3))]


def test_all_or_nothing_names_every_short_line_with_what_there_is():
    lots = [lot("w", 10, days(10)), lot("t", 2, None, item=TENT)]
    lines = [Line(WATER, D(11)), Line(TENT, D(5)), Line("radio", D(1))]
    with pytest.raises(InsufficientStock) as refused:
        allocate_fefo(lines, lots, today=TODAY)
    short = {(s.item_id, s.requested, s.available) for s in refused.value.shortfall}
    assert short == {(WATER, D(11), D(10)), (TENT, D(5), D(2)), ("radio", D(1), D(0))}


def test_one_short_line_refuses_the_whole_request():
    lots = [lot("w", 10, days(10)), lot("t", 2, None, item=TENT)]
    with pytest.raises(InsufficientStock) as refused:
        allocate_fefo([Line(WATER, D(5)), Line(TENT, D(3))], lots, today=TODAY)
    assert [(s.item_id, s.requested, s.available) for s in refused.value.shortfall] == [(TENT, D(3), D(2))]


def test_a_line_bound_to_a_depot_draws_only_there():
    lots = [lot("a", 5, days(100), depot=DEPOT_A), lot("b", 50, days(1), depot=DEPOT_B)]
    assert drawn(allocate_fefo([Line(WATER, D(5), DEPOT_A)], lots, today=TODAY)) == [("a", D(5))]
    with pytest.raises(InsufficientStock) as refused:
        allocate_fefo([Line(WATER, D(6), DEPOT_A)], lots, today=TODAY)
    assert refused.value.shortfall[0].available == D(5)
    assert refused.value.shortfall[0].warehouse_id == DEPOT_A


def test_an_unbound_line_draws_across_depots_by_expiry():
    lots = [lot("a", 5, days(100), depot=DEPOT_A), lot("b", 5, days(1), depot=DEPOT_B)]
    assert drawn(allocate_fefo([Line(WATER, D(7))], lots, today=TODAY)) == [("b", D(5)), ("a", D(2))]


def test_a_depot_bound_line_is_served_before_a_free_line_takes_its_stock():
    lots = [lot("a", 5, days(1), depot=DEPOT_A), lot("b", 5, days(50), depot=DEPOT_B)]
    draws = allocate_fefo([Line(WATER, D(5)), Line(WATER, D(5), DEPOT_A)], lots, today=TODAY)
    assert sorted(drawn(draws)) == [("a", D(5)), ("b", D(5))]


def test_two_lines_of_one_item_share_its_lots_and_never_count_stock_twice():
    lots = [lot("soon", 6, days(5)), lot("late", 6, days(50))]
    draws = allocate_fefo([Line(WATER, D(4)), Line(WATER, D(4))], lots, today=TODAY)
    assert drawn(draws) == [("soon", D(6)), ("late", D(2))]
    with pytest.raises(InsufficientStock) as refused:
        allocate_fefo([Line(WATER, D(7)), Line(WATER, D(6))], lots, today=TODAY)
    # The shortfall speaks of the whole request for the item, not of one line.
    assert [(s.requested, s.available) for s in refused.value.shortfall] == [(D(13), D(12))]


def test_fractional_quantities_are_allocated_exactly():
    lots = [lot("a", "0.333", days(1)), lot("b", "1.5", days(2))]
    draws = allocate_fefo([Line(WATER, D("1.001"))], lots, today=TODAY)
    assert drawn(draws) == [("a", D("0.333")), ("b", D("0.668"))]


def test_lots_may_be_given_as_a_one_shot_iterable():
    lots = (candidate for candidate in [lot("late", 5, days(9)), lot("soon", 5, days(2))])
    assert drawn(allocate_fefo([Line(WATER, D(6))], lots, today=TODAY)) == [("soon", D(5)), ("late", D(1))]


def test_split_consumption_uses_held_parts_in_order_and_leaves_the_rest():
    held = [("first", D(4)), ("second", D(6))]
    assert split_consumption(held, D(7)) == [D(4), D(3)]
    assert split_consumption(held, D(0)) == [D(0), D(0)]
    assert split_consumption(held, D(10)) == [D(4), D(6)]


def test_split_consumption_refuses_more_than_was_held():
    with pytest.raises(ValueError):
        split_consumption([("only", D(2))], D("2.001"))


def _seen(lines, lots):
    """What the ledger reads for `lines`: per scope of `coverage`, usable lots earliest expiry first until covered."""
    seen = {}
    for (item, depot), need in coverage(lines).items():
        free = D(0)
        for candidate in sorted(lots, key=fefo_order):
            if free >= need:
                break
            if candidate.item_id == item and depot in (None, candidate.warehouse_id) and usable(candidate, TODAY):
                seen[candidate.lot_id] = candidate
                free += candidate.free
    return list(seen.values())


def _outcome(lines, lots):
    try:
        return drawn(allocate_fefo(lines, lots, today=TODAY))
    except InsufficientStock as short:
        return short.shortfall


def test_reading_only_the_covering_lots_draws_exactly_as_reading_them_all():
    # A busy depot's item piles up lots; the ledger reads only the earliest few that cover each line.
    import random

    rng = random.Random(7)
    for _ in range(400):
        lots = [lot(f"lot{n}", rng.choice([0, 1, 2, 5, 10]), rng.choice([None, days(-3), days(4), days(9), days(40)]),
                    item=rng.choice([WATER, TENT]), depot=rng.choice([DEPOT_A, DEPOT_B]), received=None)
                for n in range(rng.randint(0, 14))]
        lines = [Line(rng.choice([WATER, TENT]), D(rng.randint(1, 30)), rng.choice([None, DEPOT_A, DEPOT_B]))
                 for _ in range(rng.randint(1, 4))]
        assert _outcome(lines, _seen(lines, lots)) == _outcome(lines, lots), (lines, lots)
