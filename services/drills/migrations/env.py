"""Alembic environment of the drills database."""
from servicekit.db import kit_metadata
from servicekit.migrations import run_env
from services.drills.models import Base

run_env([Base.metadata, kit_metadata])
