"""Stock pages: depots and their map, balances with lots, the ledger, receive/issue/transfer/count/write-off, the item
catalog; equipment and inspections, import/export, quotas, the nearest depot, alerts; requisitions (动用申请)."""
from flask import Blueprint

blp = Blueprint("stock", __name__, url_prefix="/stock")

# The views (and who is offered their forms) register themselves on `blp`; one module per job.
from console.stock import keepers  # noqa: E402,F401
from console.stock import depots, operations, disposals, ledger, items  # noqa: E402,F401
from console.stock import equipment, exchange, quotas, nearest, alerts  # noqa: E402,F401
from console.stock import requisitions  # noqa: E402,F401
