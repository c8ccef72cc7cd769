"""attachments: files kept for a rectification order (servicekit/attachments/), their bytes in the store

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from servicekit.attachments.migration import create_attachments_v1, drop_attachments_v1


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_attachments_v1('rectification_orders')


def downgrade() -> None:
    drop_attachments_v1()
