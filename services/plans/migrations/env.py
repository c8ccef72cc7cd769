"""Alembic environment of the plans database."""
from servicekit.db import kit_metadata
from servicekit.migrations import run_env
from services.plans.models import Base

run_env([Base.metadata, kit_metadata])
