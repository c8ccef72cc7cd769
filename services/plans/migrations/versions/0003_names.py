"""names: who did what by name beside the key id, and the catalog copy that names required items

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

from servicekit import catalog_copy

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Rows written before keep null names (answered as such): the keys' names then were never stored.
ACTOR_NAMES = {
    'plans': ('created_by_name', 'updated_by_name'),
    'plan_versions': ('created_by_name', 'updated_by_name', 'submitted_by_name', 'approval_recorded_by_name'),
    'plan_filings': ('recorded_by_name',),
}


def upgrade() -> None:
    for table, columns in ACTOR_NAMES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.String(length=200), nullable=True))
    catalog_copy.create_table(op, sa)


def downgrade() -> None:
    catalog_copy.drop_table(op)
    for table, columns in ACTOR_NAMES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
