"""Files attached to a rectification order: upload, list, content (servicekit/attachments/api.py), scoped like the rectification order."""
from __future__ import annotations

from servicekit.attachments.api import attachments_blueprint
from services.supervision.models import Attachment, RectificationOrder

blp = attachments_blueprint(record_path="rectification-orders", id_name="order_id",
                            record_model=RectificationOrder, attachment_model=Attachment, what="rectification order")
