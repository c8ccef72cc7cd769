"""calendar feeds: a secret URL per feed (its token kept as a SHA-256), showing the drills its creator may see

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-18
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("creator_kind", sa.String(length=10), nullable=False),
        sa.Column("creator_id", sa.String(length=80), nullable=False),
        sa.Column("creator_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    op.create_index("ix_calendar_feeds_creator", "calendar_feeds", ["creator_kind", "creator_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_creator", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
