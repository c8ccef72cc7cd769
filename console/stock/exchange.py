"""Stock in and out of spreadsheets: the balances exported as CSV or XLSX, receipts imported from a file
(all rows or none), and a blank template to fill in."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField

from console import gateway_api
from console.gateway_api import Refused
from console.stock import blp, choosers, exchange_problems
from console.stock.keepers import stock_keepers_only
from console.stock.list_filters import ListFilter

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns an import reads, in the order the template has them (the API's names, which the header must carry).
IMPORT_COLUMNS = ("warehouse_code", "item_code", "quantity", "batch_no", "expiry_date")
TEMPLATE_NAME = "erdm-stock-import-template.csv"


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[
        FileRequired(_l("Choose the file to import.")),
        FileAllowed(FORMATS, _l("Only a .csv or an .xlsx file can be imported."))])


class ExportChoice(ListFilter):
    """Which depot's balances to download (a GET form like a list's filters: the download changes nothing)."""

    warehouse_id = SelectField(_l("Depot"), validate_choice=False)


def _page(form: ImportForm, *, refused=None, status: int = 200):
    return render_template("stock/exchange.html", form=form, refused=refused,
                           export=ExportChoice(warehouse_id=choosers.depots(blank=choosers.ALL_DEPOTS))), status


@blp.get("/exchange")
def exchange():
    return _page(ImportForm(formdata=None))


@blp.post("/exchange/import")
@stock_keepers_only
def import_receipts():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload = form.file.data
    content_type = XLSX_TYPE if upload.filename.lower().endswith(".xlsx") else "text/csv"
    try:
        answer = gateway_api.call("POST", "/stock/import",
                                  files={"file": (upload.filename, upload.read(), content_type)}).json()
    except Refused as refusal:
        if refusal.status not in (409, 422):
            form.form_errors.append(refusal.detail)
            return _page(form, status=refusal.status)
        refused = exchange_problems.read(refusal, file_name=upload.filename)
        form.file.errors = [*form.file.errors, *refused.file]  # about the file as a whole: said beside it
        return _page(form, refused=refused, status=refusal.status)
    message = _("%(file)s is imported: %(imported)s rows received as one ledger batch.",
                file=upload.filename, imported=answer.get("imported", 0))
    if answer.get("skipped"):
        message += " " + _("%(skipped)s rows without a quantity were left out.", skipped=answer["skipped"])
    flash(message, "success")
    return redirect(url_for("stock.exchange"))


@blp.get("/exchange/export")
def export():
    """The API's spreadsheet handed to the browser as it came, under the file name the API gave it."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(404)
    answer = gateway_api.call("GET", "/stock/export",
                              params={"format": fmt, **({"warehouse_id": request.args["warehouse_id"]}
                                                        if request.args.get("warehouse_id") else {})})
    headers = {"Cache-Control": "no-store"}
    if answer.headers.get("Content-Disposition"):
        headers["Content-Disposition"] = answer.headers["Content-Disposition"]
    return Response(answer.content, content_type=answer.headers.get("Content-Type", "application/octet-stream"),
                    headers=headers)


@blp.get("/exchange/template.csv")
def import_template():
    """The header an import needs and nothing else, with the byte-order mark that makes Excel read UTF-8."""
    body = "\ufeff" + ",".join(IMPORT_COLUMNS) + "\r\n"
    return Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'})
