"""Plan pages: the register, a plan with its versions, filings, revisions, requirements and readiness."""
from flask import Blueprint, render_template

blp = Blueprint("plans", __name__, url_prefix="/plans")


@blp.get("/")
def register():
    return render_template("plans/register.html")
