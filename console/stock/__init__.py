"""Stock pages: depots and their map, balances with lots, the ledger, receive/issue/transfer/count, import/export."""
from flask import Blueprint, render_template

blp = Blueprint("stock", __name__, url_prefix="/stock")


@blp.get("/")
def depots():
    return render_template("stock/depots.html")
