"""Fixtures of the drills service's tests: an approved plan to drill (`book` is tests/api/conftest.py's)."""
from __future__ import annotations

import pytest


@pytest.fixture
def plan(book) -> str:
    """The id of a plan the drills service has heard approved."""
    return book.approve_plan()
