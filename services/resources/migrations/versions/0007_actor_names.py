"""actor names beside actor ids: who made a reservation, who entered an inspection

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
    # Rows written before keep a null name (answered as such): the key's name then was never stored.
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_name', sa.String(length=200), nullable=True))
    with op.batch_alter_table('equipment_inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_name', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('equipment_inspections', schema=None) as batch_op:
        batch_op.drop_column('actor_name')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_column('actor_name')
