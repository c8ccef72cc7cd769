"""The `attachments` table as the services' migrations create it (servicekit/attachments/model.py maps it): written
once so the three services' tables cannot drift apart. A later change gets a `_v2` here and a revision of its own."""
from alembic import op
import sqlalchemy as sa



def create_attachments_v1(record_table: str) -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=80), nullable=False),
    sa.Column('uploaded_by_name', sa.String(length=200), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], [f'{record_table}.id'],
                            name=op.f(f'fk_attachments_record_id_{record_table}')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_org_path'), ['org_path'], unique=False)


def drop_attachments_v1() -> None:
    op.drop_table('attachments')
