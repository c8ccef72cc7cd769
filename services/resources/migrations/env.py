"""Alembic environment of the resources database."""
from servicekit.db import kit_metadata
from servicekit.migrations import run_env
from services.resources.models import Base

run_env([Base.metadata, kit_metadata])
