"""webhook creators re-checked: which kind of creator (key or person) made each subscription, and why a delivery was
failed without a further attempt (its creator no longer active, its subscription deleted, its 24 hours over)

Revision ID: 0008
Revises: 0007
Create Date: 2027-02-10
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("webhook_subscriptions",
                  sa.Column("created_by_kind", sa.String(length=10), server_default="key", nullable=False))
    # Subscriptions made before: a person's when `created_by` is a person's id, else a key's (the bootstrap
    # admin's "admin" included). Compared in Python: the ids are a Uuid column against a string one.
    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Uuid()))
    subscriptions = sa.table("webhook_subscriptions", sa.column("created_by", sa.String()),
                             sa.column("created_by_kind", sa.String()))
    people = [str(user_id) for user_id in bind.execute(sa.select(users.c.id)).scalars()]
    if people:
        bind.execute(subscriptions.update().where(subscriptions.c.created_by.in_(people))
                     .values(created_by_kind="user"))
    op.add_column("webhook_deliveries", sa.Column("error", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("error")
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column("created_by_kind")
