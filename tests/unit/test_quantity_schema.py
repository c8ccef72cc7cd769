"""Quantities arrive as JSON numbers, > 0, up to three decimals, and are kept exact."""
from __future__ import annotations

from decimal import Decimal

import marshmallow as ma
import pytest

from servicekit.schemas import MAX_QUANTITY, Quantity


class Line(ma.Schema):
    quantity = Quantity(required=True)


class Count(ma.Schema):
    quantity = Quantity(required=True, allow_zero=True)


@pytest.mark.parametrize("given, kept", [
    (1, Decimal("1")),
    (1.5, Decimal("1.5")),
    (0.001, Decimal("0.001")),
    (2.10, Decimal("2.1")),
    (int(MAX_QUANTITY), MAX_QUANTITY),
])
def test_a_positive_number_with_up_to_three_decimals_is_kept_exactly(given, kept):
    loaded = Line().load({"quantity": given})["quantity"]
    assert isinstance(loaded, Decimal) and loaded == kept


@pytest.mark.parametrize("given, message", [
    ("5", "Must be a number."),
    ("1.5", "Must be a number."),
    (True, "Must be a number."),
    (False, "Must be a number."),
    (None, "Field may not be null."),
    ([1], "Must be a number."),
    (float("nan"), "Must be a number."),
    (float("inf"), "Must be a number."),
    (0, "Must be greater than 0."),
    (0.0, "Must be greater than 0."),
    (-1, "Must be greater than 0."),
    (-0.5, "Must be greater than 0."),
    (1.0001, "Must have at most 3 decimal places."),
    (0.0005, "Must have at most 3 decimal places."),
    (int(MAX_QUANTITY) + 1, f"Must be at most {MAX_QUANTITY}."),
    (1e300, f"Must be at most {MAX_QUANTITY}."),
])
def test_anything_else_is_refused_naming_the_field(given, message):
    with pytest.raises(ma.ValidationError) as refused:
        Line().load({"quantity": given})
    assert refused.value.messages == {"quantity": [message]}


def test_a_stocktake_count_may_be_zero_but_not_negative():
    assert Count().load({"quantity": 0})["quantity"] == 0
    with pytest.raises(ma.ValidationError) as refused:
        Count().load({"quantity": -1})
    assert refused.value.messages == {"quantity": ["Must be 0 or more."]}


def test_quantities_leave_as_json_numbers():
    dumped = Count().dump({"quantity": Decimal("3.000")}), Count().dump({"quantity": Decimal("0.25")})
    assert dumped == ({"quantity": 3}, {"quantity": 0.25})
    assert isinstance(dumped[0]["quantity"], int)
