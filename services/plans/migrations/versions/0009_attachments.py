"""attachments: files kept for a plan (servicekit/attachments/), their bytes in the store

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""
from servicekit.attachments.migration import create_attachments_v1, drop_attachments_v1


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_attachments_v1('plans')


def downgrade() -> None:
    drop_attachments_v1()
