"""versioned requirements: each version of a plan keeps its own required resources

The requirements of a plan (one list, changed in place) become rows per version: the list kept so
far goes to the version in force and, copied, to an open revision's draft; an earlier version gets
the list kept with it when it was approved (plan_versions.requirements, which this drops).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
import uuid
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

SCALE = 1000  # servicekit.db.Quantity: thousandths as integers

plans = sa.table('plans', sa.column('id', sa.Uuid()), sa.column('version', sa.Integer()),
                 sa.column('draft_version', sa.Integer()))
versions = sa.table('plan_versions', sa.column('plan_id', sa.Uuid()), sa.column('number', sa.Integer()),
                    sa.column('status', sa.String()), sa.column('requirements', sa.JSON()))
old_lines = sa.table('plan_requirements', sa.column('plan_id', sa.Uuid()), sa.column('item_id', sa.Uuid()),
                     sa.column('quantity', sa.BigInteger()), sa.column('position', sa.Integer()))
new_lines = sa.table('plan_requirements', sa.column('plan_id', sa.Uuid()), sa.column('version', sa.Integer()),
                     sa.column('item_id', sa.Uuid()), sa.column('quantity', sa.BigInteger()),
                     sa.column('position', sa.Integer()))


def _create_lines_table(*, versioned: bool) -> None:
    columns = [sa.Column('plan_id', sa.Uuid(), nullable=False)]
    if versioned:
        columns.append(sa.Column('version', sa.Integer(), nullable=False))
    columns += [sa.Column('item_id', sa.Uuid(), nullable=False),
                sa.Column('quantity', sa.BigInteger(), nullable=False),
                sa.Column('position', sa.Integer(), nullable=False),
                sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_requirements_plan_id_plans'),
                                        ondelete='CASCADE'),
                sa.PrimaryKeyConstraint('plan_id', *(['version'] if versioned else []), 'item_id',
                                        name=op.f('pk_plan_requirements'))]
    if versioned:
        columns.append(sa.ForeignKeyConstraint(['plan_id', 'version'], ['plan_versions.plan_id', 'plan_versions.number'],
                                               name='fk_plan_requirements_version_plan_versions'))
    op.create_table('plan_requirements', *columns)
    with op.batch_alter_table('plan_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_requirements_item_id'), ['item_id'], unique=False)


def _drop_lines_table() -> None:
    with op.batch_alter_table('plan_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_requirements_item_id'))
    op.drop_table('plan_requirements')


def upgrade() -> None:
    bind = op.get_bind()
    current = bind.execute(sa.select(old_lines.c.plan_id, old_lines.c.item_id, old_lines.c.quantity,
                                     old_lines.c.position)).all()
    heads = {row.id: row for row in bind.execute(sa.select(plans.c.id, plans.c.version, plans.c.draft_version))}
    rows = []
    for line in current:  # the list kept so far: the version in force's, and an open draft's
        plan = heads[line.plan_id]
        for number in {plan.version, plan.draft_version} - {None}:
            rows.append({"plan_id": line.plan_id, "version": number, "item_id": line.item_id,
                         "quantity": line.quantity, "position": line.position})
    for version in bind.execute(sa.select(versions.c.plan_id, versions.c.number, versions.c.requirements)
                                .where(versions.c.requirements.is_not(None))):
        plan = heads[version.plan_id]
        if version.number in (plan.version, plan.draft_version):
            continue
        for position, line in enumerate(version.requirements or []):  # the list it was approved with
            rows.append({"plan_id": version.plan_id, "version": version.number,
                         "item_id": uuid.UUID(str(line["item_id"])),
                         "quantity": int(Decimal(str(line["quantity"])) * SCALE), "position": position})
    _drop_lines_table()
    _create_lines_table(versioned=True)
    if rows:
        op.bulk_insert(new_lines, rows)
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_column('requirements')


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requirements', sa.JSON(), nullable=True))
    lines = bind.execute(sa.select(new_lines).order_by(new_lines.c.plan_id, new_lines.c.version,
                                                       new_lines.c.position)).all()
    heads = {row.id: row for row in bind.execute(sa.select(plans.c.id, plans.c.version, plans.c.draft_version))}
    snapshots: dict = {}
    for line in lines:
        quantity = Decimal(line.quantity) / SCALE
        snapshots.setdefault((line.plan_id, line.version), []).append(
            {"item_id": str(line.item_id), "quantity": int(quantity) if quantity == int(quantity) else float(quantity)})
    for (plan_id, number), snapshot in snapshots.items():
        bind.execute(versions.update().where(versions.c.plan_id == plan_id, versions.c.number == number,
                                             versions.c.status.in_(("approved", "superseded", "retired")))
                     .values(requirements=snapshot))
    kept = [{"plan_id": line.plan_id, "item_id": line.item_id, "quantity": line.quantity, "position": line.position}
            for line in lines if line.version == heads[line.plan_id].version]
    _drop_lines_table()
    _create_lines_table(versioned=False)
    if kept:
        op.bulk_insert(old_lines, kept)
