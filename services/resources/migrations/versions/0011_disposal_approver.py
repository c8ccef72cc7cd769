"""write-offs (报废): a ledger line names who approved it

Movement type `disposal` needs no schema change (types are plain text); the approver does. Lines written
before have no approver (none of them was a write-off).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_by', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_column('approved_by')
