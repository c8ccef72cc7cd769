"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

from servicekit.kit_schema import create_kit_tables_v1, drop_kit_tables_v1


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plans',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('draft_version', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('hazard_types', sa.JSON(), nullable=False),
    sa.Column('owner_org', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('response_levels', sa.JSON(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('first_approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_drilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_drill_id', sa.Uuid(), nullable=True),
    sa.Column('next_drill_due', sa.Date(), nullable=True),
    sa.Column('evaluation_due', sa.Date(), nullable=True),
    sa.Column('filing_due', sa.Date(), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('needs_revision', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_evaluation_due'), ['evaluation_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_next_drill_due'), ['next_drill_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_owner_org'), ['owner_org'], unique=False)
        batch_op.create_index('ix_plans_status_type', ['status', 'type'], unique=False)

    op.create_table('stock_positions',
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('available', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('warehouse_id', 'item_id', name=op.f('pk_stock_positions'))
    )
    with op.batch_alter_table('stock_positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_positions_item_id'), ['item_id'], unique=False)

    op.create_table('plan_activity',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('request_id', sa.String(length=200), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_activity_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activity'))
    )
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activity_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_filings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference_no', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_filings_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_filings'))
    )
    with op.batch_alter_table('plan_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_filings_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_hazards',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('hazard_type', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_hazards_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'hazard_type', name=op.f('pk_plan_hazards'))
    )
    with op.batch_alter_table('plan_hazards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_hazards_hazard_type'), ['hazard_type'], unique=False)

    op.create_table('plan_requirements',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_requirements_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'item_id', name=op.f('pk_plan_requirements'))
    )
    with op.batch_alter_table('plan_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_requirements_item_id'), ['item_id'], unique=False)

    op.create_table('plan_versions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('hazard_types', sa.JSON(), nullable=False),
    sa.Column('owner_org', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('response_levels', sa.JSON(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('finding_id', sa.Uuid(), nullable=True),
    sa.Column('requirements', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=80), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('approval_recorded_by', sa.String(length=80), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_versions_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_plan_versions_plan_id_number'))
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_plan_id'), ['plan_id'], unique=False)

    create_kit_tables_v1()


def downgrade() -> None:
    drop_kit_tables_v1()
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_versions_plan_id'))

    op.drop_table('plan_versions')
    with op.batch_alter_table('plan_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_requirements_item_id'))

    op.drop_table('plan_requirements')
    with op.batch_alter_table('plan_hazards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_hazards_hazard_type'))

    op.drop_table('plan_hazards')
    with op.batch_alter_table('plan_filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_filings_plan_id'))

    op.drop_table('plan_filings')
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activity_plan_id'))

    op.drop_table('plan_activity')
    with op.batch_alter_table('stock_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_positions_item_id'))

    op.drop_table('stock_positions')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index('ix_plans_status_type')
        batch_op.drop_index(batch_op.f('ix_plans_owner_org'))
        batch_op.drop_index(batch_op.f('ix_plans_next_drill_due'))
        batch_op.drop_index(batch_op.f('ix_plans_evaluation_due'))

    op.drop_table('plans')
