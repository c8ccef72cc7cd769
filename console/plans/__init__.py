"""Plan pages: the register, a plan with its versions, filings, revisions, requirements and readiness."""
from flask import Blueprint

from console.plans import dues

blp = Blueprint("plans", __name__, url_prefix="/plans")


@blp.context_processor
def _due_dates():
    # Every plan template colours its due dates the same way.
    return {"due_tone": dues.tone}


# The views register themselves on `blp`; one module per job.
from console.plans import (  # noqa: F401
    create,
    editing,
    page,
    register,
    requirements,
    transitions,
    versions,
)
