"""the stock positions the plans' readiness counts belong to their depot's organisation

A plan's readiness counted every depot's stock, whoever asked: an enterprise saw another's. Each position now
carries its depot's organisation (from `stock.changed`), so the kit's scope filter applies to it and readiness
counts only the depots of the plan's organisation subtree. Existing positions get the root organisation
(servicekit/owners.py `add_owner_columns`) until their depot's next `stock.changed` names its own.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa

from servicekit.owners import add_owner_columns, drop_owner_columns

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OWNED = ('stock_positions',)


def upgrade() -> None:
    add_owner_columns(op, sa, OWNED)


def downgrade() -> None:
    drop_owner_columns(op, OWNED)
