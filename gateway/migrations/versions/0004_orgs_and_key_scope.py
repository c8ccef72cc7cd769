"""the organisation directory, the root organisation, the outbox for org.changed, and each key's organisation and scope

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-04
"""
import datetime as dt
import uuid

from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from contracts.catalogue import GATEWAY
from contracts.events import OrgChanged
from servicekit import outbox
from servicekit.config import Settings
from servicekit.events import new_event
from servicekit.kit_schema import create_emitter_tables, drop_emitter_tables


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROOT_CODE = "ROOT"

# The root is made here, not by the app factory: the keys already stored need an organisation in this
# very step, the gateway starts (and answers the bootstrap admin key) with its database unreachable, and
# the keys CLI migrates before it makes a key. ON CONFLICT on the code makes a second migrating process
# (several replicas starting at once) a no-op. The name is the environment's only when the database is
# first made; later renames go through PATCH /api/v1/orgs/{id}.
INSERT_ROOT = sa.text(
    "INSERT INTO orgs (id, code, name, kind, parent_id, path, industries, deputies, active, "
    "created_at, created_by, created_by_name, updated_at, updated_by, updated_by_name) "
    "VALUES (:id, :code, :name, 'bureau', NULL, :path, '[]', '[]', :active, "
    ":now, 'migration', 'database migration', :now, 'migration', 'database migration') "
    "ON CONFLICT (code) DO NOTHING"
).bindparams(sa.bindparam("id", type_=sa.Uuid()), sa.bindparam("now", type_=sa.DateTime(timezone=True)),
             sa.bindparam("active", type_=sa.Boolean()))


def upgrade() -> None:
    op.create_table(
        "orgs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("principal", sa.JSON(), nullable=True),
        sa.Column("deputies", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_by_name", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_by_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["orgs.id"], name=op.f("fk_orgs_parent_id_orgs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orgs")),
        sa.UniqueConstraint("code", name=op.f("uq_orgs_code")),
        sa.UniqueConstraint("path", name=op.f("uq_orgs_path")),
    )
    op.create_index(op.f("ix_orgs_parent_id"), "orgs", ["parent_id"])
    op.create_index("ix_orgs_path_prefix", "orgs", ["path"], postgresql_ops={"path": "varchar_pattern_ops"})
    # The kit's outbox and heartbeats (servicekit/kit_schema.py): the gateway emits org.changed through its own
    # relay and consumes nothing, so it needs no inbox.
    create_emitter_tables()

    connection = op.get_bind()
    now = _utc_now(connection.dialect.name)
    root_name = Settings.from_env().root_org_name
    made = connection.execute(INSERT_ROOT, {"id": uuid.uuid4(), "code": ROOT_CODE, "name": root_name,
                                            "path": f"/{ROOT_CODE}/", "active": True, "now": now}).rowcount
    root_id = connection.execute(sa.text("SELECT id FROM orgs WHERE code = :code").columns(id=sa.Uuid()),
                                 {"code": ROOT_CODE}).scalar_one()
    if made:
        _announce_root(connection, root_id, root_name, now)

    # Keys made before organisations act for the root, over its whole tree: what they could reach already.
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("org_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("scope", sa.String(length=10), nullable=True))
    connection.execute(sa.text("UPDATE api_keys SET org_id = :root, scope = 'subtree'")
                       .bindparams(sa.bindparam("root", type_=sa.Uuid())), {"root": root_id})
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.alter_column("org_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("scope", existing_type=sa.String(length=10), nullable=False)
        batch_op.create_foreign_key(op.f("fk_api_keys_org_id_orgs"), "orgs", ["org_id"], ["id"])


def _announce_root(connection, root_id: uuid.UUID, name: str, now: dt.datetime) -> None:
    """The root's org.changed, like every organisation's, so the services' copies of the directory name it
    (what existed before organisations is given to the root by their own migrations)."""
    event = new_event(OrgChanged(org_id=root_id, code=ROOT_CODE, name=name, kind="bureau", path=f"/{ROOT_CODE}/",
                                 updated_at=now.replace(tzinfo=dt.timezone.utc)), source=GATEWAY)
    with Session(bind=connection) as session:  # joins the migration's transaction: both commit, or neither
        outbox.add(session, event)


def _utc_now(dialect: str) -> dt.datetime:
    # SQLite keeps no offset: UTC without one, as servicekit.db.UtcDateTime stores it.
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(tzinfo=None) if dialect == "sqlite" else now


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_api_keys_org_id_orgs"), type_="foreignkey")
        batch_op.drop_column("scope")
        batch_op.drop_column("org_id")
    drop_emitter_tables()
    op.drop_index("ix_orgs_path_prefix", table_name="orgs")
    op.drop_index(op.f("ix_orgs_parent_id"), table_name="orgs")
    op.drop_table("orgs")
