"""names: who scheduled, evaluated or found by name beside the key id, and the catalog copy naming drill items

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
ACTOR_NAMES = {'drills': 'created_by_name', 'evaluations': 'recorded_by_name', 'findings': 'recorded_by_name',
               'evaluation_revisions': 'recorded_by_name'}


def upgrade() -> None:
    for table, column in ACTOR_NAMES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=200), nullable=True))
    catalog_copy.create_table(op, sa)


def downgrade() -> None:
    catalog_copy.drop_table(op)
    for table, column in ACTOR_NAMES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
