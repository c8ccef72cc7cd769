"""signature nonces: a signed write is accepted once (servicekit/replay.py)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from servicekit.kit_schema import create_signature_nonces, drop_signature_nonces


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_signature_nonces()


def downgrade() -> None:
    drop_signature_nonces()
