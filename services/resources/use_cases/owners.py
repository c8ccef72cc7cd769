"""Which organisation a new depot or reservation belongs to, and how answers name an owner.

A depot belongs to the caller's organisation unless the caller names another in its scope (the kit's
servicekit/owners.py, over this service's directory copy). Everything a depot holds takes the depot's
organisation (services/resources/models.py).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from sqlalchemy.orm import Session

from servicekit import owners
from servicekit.signing import Actor
from services.resources.models import OrgDirectory

Owner = owners.Owner


def owner_for_new_depot(data: Mapping[str, Any], *, session: Session, actor: Actor) -> Owner:
    """The organisation a depot is created for: `org_id`/`org_code` if given and in scope, else the caller's."""
    return owners.owner_for_new(data, session=session, actor=actor, directory=OrgDirectory, record="a depot")


def common_owner(session: Session, paths: Iterable[str]) -> Owner:
    """The nearest organisation above every one of these paths (what a reservation across depots belongs to)."""
    return owners.common_owner(session, OrgDirectory, paths)


# `{id, code, name}` of a record's owner (servicekit/owners.py `references`).
org_reference = owners.references(OrgDirectory)
