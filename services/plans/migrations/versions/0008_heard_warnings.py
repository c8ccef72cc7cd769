"""heard warnings: the severe-weather warnings of warning.issued, for a warning's plans view

One row per warning the supervision service issued: its kind (which plans it opens), its issuer and targets (whose
plans, and who may look), newest event wins.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('heard_warnings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('directive', sa.String(length=30), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issuer_org_id', sa.Uuid(), nullable=True),
    sa.Column('issuer_org_path', sa.String(length=1000), nullable=False),
    sa.Column('target_org_ids', sa.JSON(), nullable=False),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heard_warnings'))
    )


def downgrade() -> None:
    op.drop_table('heard_warnings')
