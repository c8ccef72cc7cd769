"""drill holds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drill_holds',
    sa.Column('drill_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('last_scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_schedule_revision', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('drill_id', name=op.f('pk_drill_holds'))
    )



def downgrade() -> None:
    op.drop_table('drill_holds')

