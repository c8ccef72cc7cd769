"""Files attached to a drill: upload, list, content (servicekit/attachments/api.py), scoped like the drill."""
from __future__ import annotations

from servicekit.attachments.api import attachments_blueprint
from services.drills.models import Attachment, Drill

blp = attachments_blueprint(record_path="drills", id_name="drill_id", record_model=Drill, attachment_model=Attachment, what="drill")
