"""Who keeps stock: the roles the gateway lets write it. Only they are offered the stock pages' forms and actions;
everyone else reads."""
from __future__ import annotations

from functools import wraps

from flask import g, render_template

from console.stock import blp

WRITING_ROLES = frozenset({"admin", "logistics"})  # gateway/roles.py: "rw" in the stock column


def keeps_stock() -> bool:
    """Whether the signed-in person's role writes stock."""
    return (g.get("me") or {}).get("role") in WRITING_ROLES


def stock_keepers_only(view):
    """A view of a form that writes stock: other roles get the 403 page rather than a form the API would refuse."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not keeps_stock():
            return render_template("error.html", status=403), 403
        return view(*args, **kwargs)

    return guarded


@blp.context_processor
def _keeps_stock() -> dict:
    return {"keeps_stock": keeps_stock()}
