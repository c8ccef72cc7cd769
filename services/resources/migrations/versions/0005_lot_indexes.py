"""indexes for allocation and unusable stock: free lots in first-expiry order, grounded lots

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index('ix_lots_free_fefo', ['item_id', 'expiry_date', 'received_at', 'id'], unique=False,
                              sqlite_where=sa.text('quantity > reserved'),
                              postgresql_where=sa.text('quantity > reserved'))
        batch_op.create_index('ix_lots_blocked', ['item_id', 'warehouse_id'], unique=False,
                              sqlite_where=sa.text('blocked = 1'), postgresql_where=sa.text('blocked'))


def downgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_blocked')
        batch_op.drop_index('ix_lots_free_fefo')
