"""The depots and catalog items a form or filter offers, named "CODE 名称", and the bureau's today."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from console import gateway_api
from console.filters import named

ANY = SelectChoice("", _l("Any"))
CHOOSE = SelectChoice("", _l("Choose…"))


def depots(*, blank: SelectChoice = CHOOSE) -> list[SelectChoice]:
    """Every depot the signed-in person may see, as (id, "CODE 名称") choices after `blank`."""
    return [blank, *(SelectChoice(depot["id"], named(depot)) for depot in gateway_api.all_pages("/warehouses"))]


def items(*, kind: str | None = None, blank: SelectChoice = CHOOSE) -> list[SelectChoice]:
    """Catalog items (of one `kind`, material or equipment, when given), as (id, "CODE 名称 (unit)") choices."""
    found = gateway_api.all_pages("/items", kind=kind)
    return [blank, *(SelectChoice(item["id"], f"{named(item)} ({item['unit']})" if item.get("unit") else named(item))
                     for item in found)]


def local_zone() -> ZoneInfo:
    """The bureau's zone (ERDM_TIMEZONE): the one dates are reckoned in and a typed clock time means."""
    return ZoneInfo(current_app.extensions["erdm_console_settings"].timezone)


def local_today() -> dt.date:
    """Today on the bureau's calendar, which is what 'overdue' is reckoned against."""
    return dt.datetime.now(local_zone()).date()
