"""every depot and what it holds belongs to an organisation: org_id and org_path on each of their rows

Existing rows get the root organisation: its path "/ROOT/" (every path starts with it, so subtree callers
at the root see them, and the scope rule reads paths only), and its id when the directory copy already
holds the root; otherwise org_id stays null and answers name the root by its path
(services/resources/use_cases/owners.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OWNED = ('warehouses', 'lots', 'balances', 'movements', 'reservations', 'reservation_allocations',
         'equipment_units')
ROOT_PATH = '/ROOT/'


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table in OWNED:
        op.add_column(table, sa.Column('org_id', sa.Uuid(), nullable=True))
        op.add_column(table, sa.Column('org_path', sa.String(length=1000), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET org_path = :root, "
                           "org_id = (SELECT id FROM org_directory WHERE path = :root)").bindparams(root=ROOT_PATH))
        if postgres:  # SQLite cannot add NOT NULL to a column in place; the model and every writer set it
            op.alter_column(table, 'org_path', nullable=False)
        op.create_index(op.f(f'ix_{table}_org_id'), table, ['org_id'], unique=False)
        op.create_index(op.f(f'ix_{table}_org_path'), table, ['org_path'], unique=False)


def downgrade() -> None:
    for table in reversed(OWNED):
        op.drop_index(op.f(f'ix_{table}_org_path'), table_name=table)
        op.drop_index(op.f(f'ix_{table}_org_id'), table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('org_path')
            batch_op.drop_column('org_id')
