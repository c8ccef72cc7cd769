"""The plan lifecycle and readiness as pure rules."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.plans.domain.lifecycle import IllegalTransition, ensure_editable, next_status
from services.plans.domain.readiness import is_newer, readiness
from servicekit import errors
from servicekit.errors import Conflict


@pytest.mark.parametrize("action, current, target", [
    ("submit", "draft", "in_review"), ("approve", "in_review", "approved"), ("retire", "approved", "retired")])
def test_each_step_leads_to_the_next_status(action, current, target):
    assert next_status(action, current, version=1) == target


@pytest.mark.parametrize("action, current", [
    ("submit", "in_review"), ("submit", "approved"), ("submit", "retired"),
    ("approve", "draft"), ("approve", "approved"), ("approve", "retired"),
    ("retire", "draft"), ("retire", "in_review"), ("retire", "retired")])
def test_an_illegal_step_names_the_current_status(action, current):
    with pytest.raises(IllegalTransition) as refused:
        next_status(action, current, version=3)
    assert current in refused.value.detail and isinstance(refused.value, errors.IllegalTransition)
    assert (refused.value.extra["current_status"], refused.value.extra["version"]) == (current, 3)


def test_only_drafts_and_versions_under_review_change():
    ensure_editable("draft", version=1)
    ensure_editable("in_review", version=1)
    for status in ("approved", "superseded", "retired", "withdrawn"):
        with pytest.raises(Conflict):
            ensure_editable(status, version=1)


def test_readiness_names_each_shortfall_and_is_ready_only_when_all_lines_are_covered():
    answer = readiness([("tents", Decimal(10)), ("water", Decimal(5))], {"tents": Decimal(12), "water": Decimal(2)})
    assert answer["ready"] is False
    assert [(line["item_id"], line["shortfall"]) for line in answer["lines"]] == [("tents", 0), ("water", 3)]
    assert readiness([], {})["ready"] is True


def test_a_position_replaces_the_known_one_only_when_strictly_newer():
    assert is_newer(1, None) and is_newer(5, 4)
    assert not is_newer(4, 4) and not is_newer(3, 4)
