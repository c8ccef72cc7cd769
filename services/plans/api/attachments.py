"""Files attached to a plan: upload, list, content (servicekit/attachments/api.py), scoped like the plan."""
from __future__ import annotations

from servicekit.attachments.api import attachments_blueprint
from services.plans.models import Attachment, Plan

blp = attachments_blueprint(record_path="plans", id_name="plan_id", record_model=Plan, attachment_model=Attachment, what="plan")
