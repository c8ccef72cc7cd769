"""who created and revoked a key, by name beside the id

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Keys made before keep null names (answered as such): the names were never stored.
COLUMNS = ("created_by_name", "revoked_by_name")


def upgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.drop_column(column)
