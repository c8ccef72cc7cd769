"""The `attachments` table a service keeps beside the records its files belong to, made from one definition."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UtcDateTime
from servicekit.scope import Owned


def attachment_model(base: type, record: type) -> type:
    """The mapped `Attachment` class of a service whose declarative `base` holds `record` (a Plan, a Drill, an
    order). An attachment is `Owned` by its record's organisation (copied when it is uploaded; a record never
    changes organisation), so the scope rule that hides the record hides its files too."""
    record_table = record.__tablename__

    class Attachment(Owned, base):
        """A file kept for a record: its name for people, its size, hash and kind, and where the store keeps it."""

        __tablename__ = "attachments"
        id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
        record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(f"{record_table}.id"), index=True)
        filename: Mapped[str] = mapped_column(String(200))
        size: Mapped[int] = mapped_column(BigInteger)
        sha256: Mapped[str] = mapped_column(String(64))
        content_type: Mapped[str] = mapped_column(String(100))
        storage_key: Mapped[str] = mapped_column(String(64))
        uploaded_by: Mapped[str] = mapped_column(String(80))
        uploaded_by_name: Mapped[str | None] = mapped_column(String(200))
        uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    return Attachment
