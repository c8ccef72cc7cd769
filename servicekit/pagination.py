"""One page of a query in the SPEC's list envelope `{items, total, page, per_page}`."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def page_of(session: Session, query, *, page: int, per_page: int) -> dict[str, Any]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return {"items": items, "total": total, "page": page, "per_page": per_page}
