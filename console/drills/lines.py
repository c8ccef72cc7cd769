"""Lines of items and quantities on a drill's forms (resources to reserve, what a drill consumed): the rows a
form offers, the lines they send, and the API's refusal of one line put beside that row."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import Form, HiddenField, StringField
from wtforms.fields import FieldList

from console.drills.messages import said
from console.gateway_api import Refused

BLANK_ROWS = 6  # rows a new drill's form offers; a person needing more sends the form and gets them back


class ResourceLineForm(Form):
    """One resource a drill needs, named by its item code (the list suggests the catalog's)."""

    item_code = StringField(_l("Item code"), render_kw={"list": "catalog-items", "autocomplete": "off"})
    quantity = StringField(_l("Quantity"), render_kw={"inputmode": "decimal"})


class ConsumedLineForm(Form):
    """How much of one reserved item a drill used up."""

    item_id = HiddenField()
    quantity = StringField(_l("Quantity used"), render_kw={"inputmode": "decimal"})


def as_number(text: str | None):
    """A quantity as the API takes it (a JSON number); text that is no number goes as it is, so the API's
    refusal is the one shown; nothing typed is None."""
    if not (text or "").strip():
        return None
    try:
        number = Decimal((text or "").strip())
    except InvalidOperation:
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def filled_rows(rows: FieldList, key: str) -> list[int]:
    """The indexes of the rows a person filled in (a row with a quantity or with `key`)."""
    return [index for index, row in enumerate(rows.entries)
            if (row.form[key].data or "").strip() or (row.form.quantity.data or "").strip()]


def resource_lines(rows: FieldList) -> tuple[list[dict], list[int]]:
    """The resources lines to send and, for each, the row it came from."""
    sent = filled_rows(rows, "item_code")
    rows_sent = [rows.entries[index].form for index in sent]
    return [_line("item_code", row.item_code.data.strip(), row.quantity.data) for row in rows_sent], sent


def consumed_lines(rows: FieldList) -> tuple[list[dict], list[int]]:
    """The consumed lines to send: a reserved item left blank or at zero was not used."""
    sent = [index for index in filled_rows(rows, "quantity")
            if as_number(rows.entries[index].form.quantity.data) != 0]
    rows_sent = [rows.entries[index].form for index in sent]
    return [_line("item_id", row.item_id.data, row.quantity.data) for row in rows_sent], sent


def _line(key: str, item: str, quantity_text: str | None) -> dict:
    """A line; a quantity left blank is left out, so the API names it as missing."""
    quantity = as_number(quantity_text)
    return {key: item} if quantity is None else {key: item, "quantity": quantity}


def place_line_errors(rows: FieldList, refusal: Refused, *, api_name: str, sent: list[int],
                      list_errors: list[str]) -> Refused:
    """Put each line's messages beside its row and the list's own (an item twice) in `list_errors`; what
    is left is answered (said in the page's language) for `refusals.apply` to place on the rest of the form."""
    rest: dict[str, list[str]] = {}
    for key, messages in refusal.errors.items():
        parts = key.split(".")
        if parts[0] != api_name:
            rest[key] = [said(message) for message in messages]
        elif len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(sent):
            row = rows.entries[sent[int(parts[1])]].form
            # The message goes beside the field it names, or the row's first visible one (an item id is hidden).
            visible = [field for field in row if field.type != "HiddenField"]
            field = row[parts[2]] if parts[2] in row and row[parts[2]] in visible else visible[0]
            field.errors = [*list(field.errors or []), *(said(message) for message in messages)]
        else:
            list_errors.extend(said(message) for message in messages)
    return Refused(refusal.status, {**refusal.problem, "errors": rest})
