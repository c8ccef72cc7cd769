"""What a printed rectification order (整改指令书) shows, read as the order's own JSON read is (scope included)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from servicekit.documents import Document, Organisation, organisation
from servicekit.owners import find_org
from services.supervision.models import OrgDirectory
from services.supervision.use_cases import orders

ORDER_TITLE = "整改指令书"
BUREAU = "bureau"


def issuing_bureau(session: Session, enterprise_path: str) -> Organisation | None:
    """The bureau the order is issued in the name of: the nearest bureau above the enterprise (an order records
    the inspector who issued it, and inspectors work for the bureau that supervises the enterprise)."""
    codes = enterprise_path.strip("/").split("/")
    for depth in range(len(codes) - 1, 0, -1):
        path = "/" + "/".join(codes[:depth]) + "/"
        found = find_org(session, OrgDirectory, path=path)
        if found is not None and found.kind == BUREAU:
            return organisation(session, OrgDirectory, path)
    return None


def rectification_order(order_id: uuid.UUID, *, session: Session, today: dt.date) -> Document:
    """The order (404 outside the caller's scope, like GET /rectification-orders/{id}) with its hazards, the
    enterprise and its head, the bureau issuing it, and who signed for it when."""
    order = orders.get(order_id, session=session, today=today)
    enterprise = organisation(session, OrgDirectory, order.org_path)
    bureau = issuing_bureau(session, order.org_path)
    return Document(template="rectification_order.html", title=ORDER_TITLE,
                    organisation=bureau.name if bureau else enterprise.name,
                    filename=f"rectification-order-{order.code}.pdf",
                    context={"order": order, "enterprise": enterprise, "bureau": bureau})
