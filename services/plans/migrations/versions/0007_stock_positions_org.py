"""the plans' copy of stock positions keeps each depot's organisation path, so readiness counts the plan's own

A plan is ready when the depots of its organisation's subtree hold what it needs; positions copied
before this revision belonged to depots the resources service gave the root, so they get "/ROOT/".

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stock_positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_path', sa.String(length=1000), nullable=True))
        batch_op.create_index(batch_op.f('ix_stock_positions_org_path'), ['org_path'], unique=False)
    op.execute("UPDATE stock_positions SET org_path = '/ROOT/'")


def downgrade() -> None:
    with op.batch_alter_table('stock_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_positions_org_path'))
        batch_op.drop_column('org_path')
