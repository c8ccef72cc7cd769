"""requisitions (动用申请): the request, its lines, the lots it draws and what comes back

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('requisitions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('incident_ref', sa.String(length=200), nullable=True),
    sa.Column('destination', sa.String(length=500), nullable=False),
    sa.Column('needed_by', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reservation_id', sa.Uuid(), nullable=True),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approval_note', sa.Text(), nullable=True),
    sa.Column('approved_at_submission', sa.Boolean(), nullable=False),
    sa.Column('rejected_reason', sa.String(length=500), nullable=True),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_reason', sa.String(length=500), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waybill_no', sa.String(length=100), nullable=True),
    sa.Column('vehicle', sa.String(length=100), nullable=True),
    sa.Column('driver', sa.String(length=200), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.String(length=200), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receive_note', sa.Text(), nullable=True),
    sa.Column('return_note', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.Column('counterpart_org_id', sa.Uuid(), nullable=True),
    sa.Column('counterpart_org_path', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservations.id'], name=op.f('fk_requisitions_reservation_id_reservations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requisitions')),
    sa.UniqueConstraint('code', name=op.f('uq_requisitions_code'))
    )
    with op.batch_alter_table('requisitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requisitions_counterpart_org_id'), ['counterpart_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requisitions_counterpart_org_path'), ['counterpart_org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_requisitions_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requisitions_org_path'), ['org_path'], unique=False)
        batch_op.create_index('ix_requisitions_status_created', ['status', 'created_at'], unique=False)

    op.create_table('requisition_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('requisition_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('dispatched', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('received', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('lost', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('returned', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('damaged', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('consumed', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_requisition_lines_item_id_items')),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisitions.id'], name=op.f('fk_requisition_lines_requisition_id_requisitions')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_requisition_lines_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requisition_lines')),
    sa.UniqueConstraint('requisition_id', 'position', name=op.f('uq_requisition_lines_requisition_id_position'))
    )
    op.create_table('requisition_returns',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('requisition_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('condition', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_requisition_returns_item_id_items')),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisitions.id'], name=op.f('fk_requisition_returns_requisition_id_requisitions')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_requisition_returns_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requisition_returns')),
    sa.UniqueConstraint('requisition_id', 'position', name=op.f('uq_requisition_returns_requisition_id_position'))
    )
    op.create_table('requisition_allocations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('requisition_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('batch_no', sa.String(length=100), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('lost', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('returned', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('damaged', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('consumed', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_requisition_allocations_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_requisition_allocations_lot_id_lots')),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisitions.id'], name=op.f('fk_requisition_allocations_requisition_id_requisitions')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_requisition_allocations_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requisition_allocations')),
    sa.UniqueConstraint('requisition_id', 'position', name=op.f('uq_requisition_allocations_requisition_id_position'))
    )
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.create_index('ix_movements_reference', ['reference'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_index('ix_movements_reference')
    op.drop_table('requisition_allocations')
    op.drop_table('requisition_returns')
    op.drop_table('requisition_lines')
    with op.batch_alter_table('requisitions', schema=None) as batch_op:
        batch_op.drop_index('ix_requisitions_status_created')
        batch_op.drop_index(batch_op.f('ix_requisitions_org_path'))
        batch_op.drop_index(batch_op.f('ix_requisitions_org_id'))
        batch_op.drop_index(batch_op.f('ix_requisitions_counterpart_org_path'))
        batch_op.drop_index(batch_op.f('ix_requisitions_counterpart_org_id'))

    op.drop_table('requisitions')
