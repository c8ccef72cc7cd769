"""requisition steps: who took each step of a requisition, and when (its history)

Requisitions made before this have no history; their step times and signers stay on the requisition itself.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('requisition_steps',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('requisition_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisitions.id'],
                            name=op.f('fk_requisition_steps_requisition_id_requisitions')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_requisition_steps'))
    )
    with op.batch_alter_table('requisition_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requisition_steps_requisition_id'), ['requisition_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('requisition_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requisition_steps_requisition_id'))
    op.drop_table('requisition_steps')
