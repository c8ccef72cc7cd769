"""every drill and what follows it (evaluation, findings, corrective actions), and the plan projection, belong to
an organisation

Existing rows get the root organisation (servicekit/owners.py `add_owner_columns`): its path "/ROOT/", and its
id when the directory copy already holds the root, else null; the plans service's migration gives existing
plans the root too, so a drill and its plan agree.

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

OWNED = ('drills', 'evaluations', 'findings', 'corrective_actions', 'plan_statuses')


def upgrade() -> None:
    add_owner_columns(op, sa, OWNED)


def downgrade() -> None:
    drop_owner_columns(op, OWNED)
