"""drills recovery: the calendar sequence, a stock projection to ask again, evaluation corrections

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stock_rose_while_waiting', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), server_default='0', nullable=False))
    # Never below what the feed showed before (its reschedule count), plus one for each conduct step
    # it showed with SEQUENCE unchanged: clients keep a copy only when the sequence does not fall.
    op.execute("UPDATE drills SET calendar_sequence = "
               "(CASE WHEN schedule_revision > 1 THEN schedule_revision - 1 ELSE 0 END)"
               " + (CASE WHEN started_at IS NULL THEN 0 ELSE 1 END)"
               " + (CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END)"
               " + (CASE WHEN cancelled_at IS NULL THEN 0 ELSE 1 END)")

    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE evaluations SET recorded_at = evaluated_at")
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    op.create_table('evaluation_revisions',
    sa.Column('evaluation_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=80), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'],
                            name=op.f('fk_evaluation_revisions_evaluation_id_evaluations')),
    sa.PrimaryKeyConstraint('evaluation_id', 'version', name=op.f('pk_evaluation_revisions'))
    )

    op.create_table('stock_positions',
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('available', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('warehouse_id', 'item_id', name=op.f('pk_stock_positions'))
    )


def downgrade() -> None:
    op.drop_table('stock_positions')
    op.drop_table('evaluation_revisions')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_column('recorded_at')
        batch_op.drop_column('version')
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.drop_column('calendar_sequence')
        batch_op.drop_column('stock_rose_while_waiting')
