"""Alembic environment of the gateway database (API keys)."""
from gateway.models import metadata
from servicekit.migrations import run_env

run_env([metadata])
