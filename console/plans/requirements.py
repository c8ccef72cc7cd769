"""What a plan requires on hand: lines of catalog item and quantity for the version being worked on, edited as a
plain form with a few blank rows to add to (more on request, no JavaScript needed)."""
from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FieldList, Form, FormField, SelectField
from wtforms.validators import NumberRange, Optional

from console import gateway_api, refusals
from console.gateway_api import Refused
from console.plans import blp, choosers, conflicts
from console.plans.working import refuse_unless_editable, working_copy

BLANK_ROWS = 5
MAX_LINES = 500  # services/plans/api/schemas.py: RequirementsSchema
REFUSALS_SHOWN = (403, 409, 422)


class RequirementLineForm(Form):
    # A plain Form: the page's one CSRF token is on the outer form.
    item_id = SelectField(_l("Item"), choices=[], validate_choice=False)
    quantity = DecimalField(_l("Quantity"), places=None, validators=[
        Optional(), NumberRange(min=Decimal("0.001"), message=_l("Enter a quantity above zero."))])


class RequirementsForm(FlaskForm):
    lines = FieldList(FormField(RequirementLineForm), min_entries=0, max_entries=MAX_LINES + BLANK_ROWS)

    def filled_rows(self) -> list[RequirementLineForm]:
        return [row.form for row in self.lines if row.form.item_id.data or _typed(row.form.quantity)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        seen: set[str] = set()
        for row in self.filled_rows():
            if not row.item_id.data:
                row.item_id.errors = [*row.item_id.errors, _("Choose an item for this quantity.")]
                valid = False
            elif row.item_id.data in seen:
                row.item_id.errors = [*row.item_id.errors, _("This item is listed twice; give one line per item.")]
                valid = False
            seen.add(row.item_id.data)
            if row.quantity.data is None and not row.quantity.errors:
                row.quantity.errors = [*row.quantity.errors, _("Enter the quantity required.")]
                valid = False
            elif row.quantity.data is not None and row.quantity.data.normalize().as_tuple().exponent < -3:
                row.quantity.errors = [*row.quantity.errors, _("At most three decimal places.")]
                valid = False
        return valid

    def lines_to_send(self) -> list[dict]:
        return [{"item_id": row.item_id.data, "quantity": _number(row.quantity.data)} for row in self.filled_rows()]


def _typed(field) -> bool:
    """Something is in the quantity box, typed (valid or not) or filled from the plan."""
    if field.raw_data:
        return bool(field.raw_data[0].strip())
    return field.data is not None


def _number(quantity: Decimal) -> int | float:
    # JSON numbers, as the API takes quantities: 3 stays 3, 2.5 stays 2.5 (at most three decimals, exact).
    return int(quantity) if quantity == quantity.to_integral_value() else float(quantity)


def place_errors(form: RequirementsForm, refusal: Refused) -> None:
    """A 422's `lines.<n>.<field>` beside the n-th line sent; the rest at the top of the form."""
    rows = form.filled_rows()
    leftover = {}
    for name, messages in refusal.errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(rows):
            row = rows[int(parts[1])]
            field = row.quantity if parts[2] == "quantity" else row.item_id
            field.errors = [*field.errors, *(refusals.said(message) for message in messages)]
        else:
            leftover[name] = messages
    rest = Refused(refusal.status, {**refusal.problem, "errors": leftover})
    if leftover or refusal.status != 422:
        refusals.apply(form, rest)


@blp.route("/<uuid:plan_id>/requirements", methods=["GET", "POST"])
def edit_requirements(plan_id):
    plan, draft, _etag = working_copy(plan_id)
    refused = refuse_unless_editable(plan, draft, _(
        "Version %(version)s can no longer change. Open a revision to change what the plan requires.",
        version=plan["version"]))
    if refused:
        return refused
    current = (draft or plan).get("requirements") or []
    form = RequirementsForm()
    if not form.is_submitted():
        form.process(data={"lines": [{"item_id": line["item_id"], "quantity": Decimal(str(line["quantity"]))}
                                     for line in current]})
    adding_rows = form.is_submitted() and "add_rows" in request.form
    if adding_rows or not form.is_submitted():
        for _row in range(min(BLANK_ROWS, form.lines.max_entries - len(form.lines))):
            form.lines.append_entry()
    choices = choosers.item_choices(keep=[line.get("item") or {} for line in current])
    for row in form.lines:
        row.form.item_id.choices = choices
    if adding_rows:
        return _page(form, plan, draft)
    if not form.validate_on_submit():
        return _page(form, plan, draft), 422 if form.is_submitted() else 200
    try:
        gateway_api.put(f"/plans/{plan_id}/requirements", {"lines": form.lines_to_send()})
    except Refused as refusal:
        if refusal.status not in REFUSALS_SHOWN:
            raise
        place_errors(form, conflicts.said(refusal))
        return _page(form, plan, draft), refusal.status
    flash(_("Saved what version %(version)s requires.", version=(draft or plan)["version"]), "success")
    return redirect(url_for("plans.plan_page", plan_id=plan_id, _anchor="requirements"))


def _page(form: RequirementsForm, plan: dict, draft: dict | None) -> str:
    return render_template("plans/requirements.html", form=form, plan=plan, draft=draft)
