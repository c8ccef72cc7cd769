"""depots and items can be retired (active = false) and brought back; never deleted

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('warehouses', 'items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    for table in ('items', 'warehouses'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('active')
