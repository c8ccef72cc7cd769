"""Admin pages: the organisation tree, people, API keys."""
from flask import Blueprint, render_template

blp = Blueprint("admin", __name__, url_prefix="/admin")


@blp.get("/")
def orgs():
    return render_template("admin/orgs.html")
