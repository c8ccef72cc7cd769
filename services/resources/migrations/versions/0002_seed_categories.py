"""seed the GB/T 38565-2020 classification

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The starter list lives in seed_categories.py; later additions belong in new migrations, not edits to it.
from services.resources.seed_categories import CATEGORIES, derive  # noqa: E402

categories = sa.table(
    "categories",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("parent_code", sa.String),
    sa.column("level", sa.Integer),
)


def upgrade() -> None:
    rows = []
    for code, name in CATEGORIES:
        level, parent_code = derive(code)
        rows.append({"code": code, "name": name, "parent_code": parent_code, "level": level})
    op.bulk_insert(categories, rows)


def downgrade() -> None:
    op.execute(categories.delete().where(categories.c.code.in_([code for code, _ in CATEGORIES])))
