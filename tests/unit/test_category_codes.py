"""The GB/T 38565-2020 code rules a new class must follow."""
from __future__ import annotations

import pytest

from services.resources.domain.categories import CategoryCodeError, parent_and_level


@pytest.mark.parametrize("code, parent, level", [
    ("1", None, 1),
    ("3", None, 1),
    ("201", "2", 2),
    ("199", "1", 2),
    ("20101", "201", 3),
    ("2010101", "20101", 4),
    ("2019999", "20199", 4),
])
def test_a_well_formed_code_names_its_parent_and_level(code, parent, level):
    assert parent_and_level(code) == (parent, level)


@pytest.mark.parametrize("code, complaint", [
    ("", "digits"),
    ("4", "top class"),
    ("0", "top class"),
    ("901", "top class"),
    ("20", "1, 3, 5 or 7"),
    ("2011", "1, 3, 5 or 7"),
    ("201010101", "1, 3, 5 or 7"),
    ("200", "01 to 99"),
    ("20100", "01 to 99"),
    ("2a1", "digits"),
    ("２０１", "digits"),
    ("-01", "digits"),
    (" 201", "digits"),
])
def test_a_malformed_code_is_refused_saying_why(code, complaint):
    with pytest.raises(CategoryCodeError) as refused:
        parent_and_level(code)
    assert complaint in str(refused.value)
