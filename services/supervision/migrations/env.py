"""Alembic environment of the supervision database."""
from servicekit.db import kit_metadata
from servicekit.migrations import run_env
from services.supervision.models import Base

run_env([Base.metadata, kit_metadata])
