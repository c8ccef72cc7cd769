"""Alembic environment of the gateway database (API keys, organisations, rate-limit counts, the outbox)."""
from gateway import ratestore  # noqa: F401  (its tables join the metadata)
from gateway.models import metadata
from servicekit.migrations import run_env

run_env([metadata])
