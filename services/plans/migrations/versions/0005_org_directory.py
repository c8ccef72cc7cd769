"""org directory: the copy of the gateway's organisations, kept from org.changed (servicekit/directory_copy.py)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

from servicekit import directory_copy

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    directory_copy.create_table(op, sa)


def downgrade() -> None:
    directory_copy.drop_table(op)
