"""every plan and the rows read on their own by plan (versions, filings, activity) belong to an organisation

Existing rows get the root organisation (servicekit/owners.py `add_owner_columns`): its path "/ROOT/", and its
id when the directory copy already holds the root, else null.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

from servicekit.owners import add_owner_columns, drop_owner_columns

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OWNED = ('plans', 'plan_versions', 'plan_filings', 'plan_activity')


def upgrade() -> None:
    add_owner_columns(op, sa, OWNED)


def downgrade() -> None:
    drop_owner_columns(op, OWNED)
