"""Files attached to a rectification order: upload, list, content (servicekit/attachments/api.py), scoped like the
rectification order; a file is added by the enterprise's own people or an inspector of a bureau above it."""
from __future__ import annotations

from servicekit.attachments.api import attachments_blueprint
from services.supervision.models import Attachment, RectificationOrder
from services.supervision.use_cases import acting


def _may_add_a_file(session, actor, order: RectificationOrder) -> None:
    # The evidence of a rectification is the enterprise's and its overseers': scope alone would let any writer of
    # a bureau above (a planner with subtree scope) file papers on an order that is not theirs to answer.
    acting.for_the_enterprise_or_its_overseers(session, actor, order.org_path, action="add a file to this order")


blp = attachments_blueprint(record_path="rectification-orders", id_name="order_id",
                            record_model=RectificationOrder, attachment_model=Attachment, what="rectification order",
                            authorise_upload=_may_add_a_file)
