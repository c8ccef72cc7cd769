"""attachments: files kept for a drill (servicekit/attachments/), their bytes in the store

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from servicekit.attachments.migration import create_attachments_v1, drop_attachments_v1


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_attachments_v1('drills')


def downgrade() -> None:
    drop_attachments_v1()
