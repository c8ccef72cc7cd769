"""quotas, equipment units and inspections, stocktake counts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('equipment_units',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=False),
    sa.Column('serial_no', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.String(length=500), nullable=True),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('last_inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_inspection_due', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_equipment_units_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_equipment_units_lot_id_lots')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_equipment_units_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_units')),
    sa.UniqueConstraint('item_id', 'serial_no', name=op.f('uq_equipment_units_item_id_serial_no')),
    sa.UniqueConstraint('lot_id', name=op.f('uq_equipment_units_lot_id'))
    )
    with op.batch_alter_table('equipment_units', schema=None) as batch_op:
        batch_op.create_index('ix_equipment_due', ['status', 'next_inspection_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_equipment_units_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_equipment_units_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('equipment_inspections',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('inspector', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('next_inspection_due', sa.Date(), nullable=True),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['equipment_units.id'], name=op.f('fk_equipment_inspections_unit_id_equipment_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_inspections'))
    )
    with op.batch_alter_table('equipment_inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equipment_inspections_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('below_quota', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('expiry_announced', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_lots_expiry_date', ['expiry_date'], unique=False)

    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_quantity', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('expected_quantity', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_column('expected_quantity')
        batch_op.drop_column('counted_quantity')

    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_expiry_date')
        batch_op.drop_column('expiry_announced')
        batch_op.drop_column('blocked')

    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.drop_column('below_quota')

    with op.batch_alter_table('equipment_inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equipment_inspections_unit_id'))

    op.drop_table('equipment_inspections')
    with op.batch_alter_table('equipment_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equipment_units_warehouse_id'))
        batch_op.drop_index(batch_op.f('ix_equipment_units_item_id'))
        batch_op.drop_index('ix_equipment_due')

    op.drop_table('equipment_units')

