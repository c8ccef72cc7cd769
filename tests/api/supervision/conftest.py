"""Fixtures of the supervision service's tests: the directory copy filled from org.changed, and a signed desk for a
caller of any organisation of the tree (supervised.py)."""
from __future__ import annotations

import pytest

from servicekit.events import new_event
from servicekit.testing import signed_client
from supervised import ORG_IDS, TREE, actor, deliver, org_changed


@pytest.fixture
def directory(supervision_db):
    """The directory copy as org.changed left it."""
    for code in TREE:
        deliver(supervision_db, new_event(org_changed(code), source="gateway"))
    return ORG_IDS


@pytest.fixture
def desk(supervision_app, directory):
    """A signed client for a caller of an organisation: `desk("JB")` an inspector of the district, `desk("MINE-1",
    role="logistics", scope="own")` the mine's own people."""

    def make(code: str, **kwargs):
        return signed_client(supervision_app, actor=actor(code, **kwargs))

    return make
