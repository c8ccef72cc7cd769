"""initial schema: hazards, rectification orders and reviews, look-backs, warnings and their targets, the
directory copy; and the kit's tables (outbox, inbox, signature nonces)

Revision ID: 0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

from servicekit.kit_schema import create_kit_tables_v1, create_signature_nonces, drop_kit_tables_v1, \
    drop_signature_nonces


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_ups',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('checker', sa.String(length=200), nullable=True),
    sa.Column('result_note', sa.Text(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_org_path'), ['org_path'], unique=False)

    op.create_table('hazards',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=True),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('found_by', sa.String(length=200), nullable=False),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazards'))
    )
    with op.batch_alter_table('hazards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazards_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazards_org_path'), ['org_path'], unique=False)

    op.create_table('org_directory',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('district', sa.String(length=100), nullable=True),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('principal', sa.JSON(), nullable=True),
    sa.Column('deputies', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_directory'))
    )
    with op.batch_alter_table('org_directory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_directory_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_directory_path'), ['path'], unique=False)

    op.create_table('rectification_orders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('suspend_production', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('signed_by', sa.String(length=200), nullable=True),
    sa.Column('signed_position', sa.String(length=20), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('relapse_of_id', sa.Uuid(), nullable=True),
    sa.Column('overdue_announced_for', sa.Date(), nullable=True),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['relapse_of_id'], ['rectification_orders.id'], name=op.f('fk_rectification_orders_relapse_of_id_rectification_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_orders')),
    sa.UniqueConstraint('code', name=op.f('uq_rectification_orders_code'))
    )
    with op.batch_alter_table('rectification_orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_status_due', ['status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_orders_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_orders_org_path'), ['org_path'], unique=False)

    op.create_table('warnings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('districts', sa.JSON(), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('directive', sa.String(length=30), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('ack_within_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warnings')),
    sa.UniqueConstraint('code', name=op.f('uq_warnings_code'))
    )
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warnings_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_warnings_org_path'), ['org_path'], unique=False)
        batch_op.create_index('ix_warnings_status_valid', ['status', 'valid_to'], unique=False)

    op.create_table('follow_up_orders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('follow_up_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('new_order_id', sa.Uuid(), nullable=True),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_id'], ['follow_ups.id'], name=op.f('fk_follow_up_orders_follow_up_id_follow_ups')),
    sa.ForeignKeyConstraint(['new_order_id'], ['rectification_orders.id'], name=op.f('fk_follow_up_orders_new_order_id_rectification_orders')),
    sa.ForeignKeyConstraint(['order_id'], ['rectification_orders.id'], name=op.f('fk_follow_up_orders_order_id_rectification_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_orders')),
    sa.UniqueConstraint('follow_up_id', 'order_id', name=op.f('uq_follow_up_orders_follow_up_id_order_id'))
    )
    with op.batch_alter_table('follow_up_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_orders_follow_up_id'), ['follow_up_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_orders_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_orders_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_orders_org_path'), ['org_path'], unique=False)

    op.create_table('order_hazards',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('hazard_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazards.id'], name=op.f('fk_order_hazards_hazard_id_hazards')),
    sa.ForeignKeyConstraint(['order_id'], ['rectification_orders.id'], name=op.f('fk_order_hazards_order_id_rectification_orders')),
    sa.PrimaryKeyConstraint('order_id', 'hazard_id', name=op.f('pk_order_hazards'))
    )
    with op.batch_alter_table('order_hazards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_hazards_hazard_id'), ['hazard_id'], unique=False)

    op.create_table('order_reviews',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('previous_due_date', sa.Date(), nullable=False),
    sa.Column('new_due_date', sa.Date(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['rectification_orders.id'], name=op.f('fk_order_reviews_order_id_rectification_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_reviews'))
    )
    with op.batch_alter_table('order_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_reviews_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_reviews_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_reviews_org_path'), ['org_path'], unique=False)

    op.create_table('warning_targets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('warning_id', sa.Uuid(), nullable=False),
    sa.Column('org_code', sa.String(length=64), nullable=False),
    sa.Column('org_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ack_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=200), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evacuated_count', sa.Integer(), nullable=True),
    sa.Column('rainfall_mm', sa.Float(), nullable=True),
    sa.Column('report_note', sa.Text(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ack_overdue_announced', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['warning_id'], ['warnings.id'], name=op.f('fk_warning_targets_warning_id_warnings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_targets')),
    sa.UniqueConstraint('warning_id', 'org_id', name=op.f('uq_warning_targets_warning_id_org_id'))
    )
    with op.batch_alter_table('warning_targets', schema=None) as batch_op:
        batch_op.create_index('ix_targets_status_due', ['status', 'ack_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_targets_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_targets_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_targets_warning_id'), ['warning_id'], unique=False)

    create_kit_tables_v1()
    create_signature_nonces()


def downgrade() -> None:
    drop_signature_nonces()
    drop_kit_tables_v1()
    with op.batch_alter_table('warning_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_targets_warning_id'))
        batch_op.drop_index(batch_op.f('ix_warning_targets_org_path'))
        batch_op.drop_index(batch_op.f('ix_warning_targets_org_id'))
        batch_op.drop_index('ix_targets_status_due')

    op.drop_table('warning_targets')
    with op.batch_alter_table('order_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_reviews_org_path'))
        batch_op.drop_index(batch_op.f('ix_order_reviews_org_id'))
        batch_op.drop_index(batch_op.f('ix_order_reviews_order_id'))

    op.drop_table('order_reviews')
    with op.batch_alter_table('order_hazards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_hazards_hazard_id'))

    op.drop_table('order_hazards')
    with op.batch_alter_table('follow_up_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_orders_org_path'))
        batch_op.drop_index(batch_op.f('ix_follow_up_orders_org_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_orders_order_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_orders_follow_up_id'))

    op.drop_table('follow_up_orders')
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.drop_index('ix_warnings_status_valid')
        batch_op.drop_index(batch_op.f('ix_warnings_org_path'))
        batch_op.drop_index(batch_op.f('ix_warnings_org_id'))

    op.drop_table('warnings')
    with op.batch_alter_table('rectification_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_orders_org_path'))
        batch_op.drop_index(batch_op.f('ix_rectification_orders_org_id'))
        batch_op.drop_index('ix_orders_status_due')

    op.drop_table('rectification_orders')
    with op.batch_alter_table('org_directory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_directory_path'))
        batch_op.drop_index(batch_op.f('ix_org_directory_code'))

    op.drop_table('org_directory')
    with op.batch_alter_table('hazards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazards_org_path'))
        batch_op.drop_index(batch_op.f('ix_hazards_org_id'))

    op.drop_table('hazards')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_org_path'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_org_id'))

    op.drop_table('follow_ups')
