"""The filters above the stock lists: GET forms read from the query string, each giving the API only the values
it knows (a value typed into the address bar that no option offers is left out, not refused)."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SearchField, SelectField
from wtforms.validators import Optional

from console.stock.forms import DEPOT_LEVELS, ITEM_KINDS, MOVEMENT_TYPES, worded


AS_THE_API_SAYS = {"value": "true"}  # a ticked box sends include_inactive=true, the API's own word


def known(value: str | None, values: tuple[str, ...]) -> str | None:
    return value if value in values else None


class ListFilter(FlaskForm):
    """A list's filters: a search changes nothing, so it carries no CSRF token and can be bookmarked. Each kind's
    `params()` gives them as the API's query parameters (blank ones are left out by gateway_api.get)."""

    class Meta:
        csrf = False

    def __init__(self, **choices):
        super().__init__(formdata=request.args)
        for name, offered in choices.items():
            self[name].choices = offered
        for field in self:  # the page's own form may have fields of the same names: one id each on the page
            field.id = field.label.field_id = f"filter-{field.name}"


class DepotItemFilter(ListFilter):
    """A depot and an item, chosen from choosers.depots() and choosers.items() given as `warehouse_id`, `item_id`."""

    warehouse_id = SelectField(_l("Depot"), validate_choice=False)
    item_id = SelectField(_l("Item"), validate_choice=False)

    def params(self) -> dict:
        return {"warehouse_id": self.warehouse_id.data or None, "item_id": self.item_id.data or None}


class LedgerFilter(DepotItemFilter):
    type = SelectField(_l("Movement type"), choices=worded(MOVEMENT_TYPES, blank=_l("All types")),
                       validate_choice=False)
    # The API's words for the period (`from`, `to`): the printed ledger of the depot covers the same days.
    date_from = DateField(_l("From"), name="from", validators=[Optional()])
    date_to = DateField(_l("To"), name="to", validators=[Optional()])

    def params(self) -> dict:
        return {**super().params(), "type": known(self.type.data, MOVEMENT_TYPES), **self.period()}

    def period(self) -> dict:
        """`from` and `to` as the API takes them; a date the browser sent that is no date is left out."""
        self.date_from.validate(self), self.date_to.validate(self)
        return {name: field.data.isoformat() for name, field in (("from", self.date_from), ("to", self.date_to))
                if field.data and not field.errors}


class DepotListFilter(ListFilter):
    q = SearchField(_l("Code or name"))
    level = SelectField(_l("Level"), choices=worded(DEPOT_LEVELS, blank=_l("All levels")), validate_choice=False)
    include_inactive = BooleanField(_l("Include retired depots"), render_kw=AS_THE_API_SAYS)

    def params(self) -> dict:
        return {"q": (self.q.data or "").strip() or None, "level": known(self.level.data, DEPOT_LEVELS),
                "include_inactive": "true" if self.include_inactive.data else None}


class ItemListFilter(ListFilter):
    """The catalog's filters; `category_code` is given the classification tree (choosers.category_choices)."""

    q = SearchField(_l("Code or name"))
    category_code = SelectField(_l("Category"), validate_choice=False)
    kind = SelectField(_l("Material or equipment"), choices=worded(ITEM_KINDS, blank=_l("All kinds")),
                       validate_choice=False)
    include_inactive = BooleanField(_l("Include retired items"), render_kw=AS_THE_API_SAYS)

    def params(self) -> dict:
        return {"q": (self.q.data or "").strip() or None, "kind": known(self.kind.data, ITEM_KINDS),
                "category_code": self.category_code.data or None,
                "include_inactive": "true" if self.include_inactive.data else None}
