"""The kit's own tables (outbox, inbox, idempotency keys, heartbeats; later signature nonces), as every service's
migrations create them: written once here so the services' migrations cannot drift apart."""
from alembic import op
import sqlalchemy as sa


def create_kit_tables_v1() -> None:
    op.create_table('idempotency_keys',
    sa.Column('principal', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('principal', 'key', name=op.f('pk_idempotency_keys'))
    )
    create_inbox()
    create_emitter_tables()


def create_inbox() -> None:
    """The events a part's consumer has applied (a service has it among the v1 tables; the gateway, once its
    webhook notifier consumes)."""
    op.create_table('inbox',
    sa.Column('consumer', sa.String(length=80), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=80), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_inbox'))
    )


def drop_kit_tables_v1() -> None:
    drop_emitter_tables()
    op.drop_table('inbox')
    op.drop_table('idempotency_keys')


def create_emitter_tables() -> None:
    """What a part needs to announce events: the outbox, and the heartbeats its relay writes (the gateway
    has these alone; a service has them among the v1 tables)."""
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=80), nullable=False),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['seq'], unique=False, sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.create_table('process_heartbeats',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_process_heartbeats'))
    )



def drop_emitter_tables() -> None:
    op.drop_table('process_heartbeats')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending', sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')


def create_signature_nonces() -> None:
    """The nonces of accepted signed writes (servicekit/replay.py), swept by their expiry."""
    op.create_table('signature_nonces',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_signature_nonces'))
    )
    op.create_index(op.f('ix_signature_nonces_expires_at'), 'signature_nonces', ['expires_at'], unique=False)


def drop_signature_nonces() -> None:
    op.drop_index(op.f('ix_signature_nonces_expires_at'), table_name='signature_nonces')
    op.drop_table('signature_nonces')
