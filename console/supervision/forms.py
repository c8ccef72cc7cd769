"""What every supervision form is made of: text trimmed as typed, check-box lists, a form sent once however often
it is clicked (its idempotency key), the steps that share one page, and the lists' filters."""
from __future__ import annotations

import uuid

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

REQUIRED = _l("This field is required.")
TRIMMED = [lambda value: value.strip() if isinstance(value, str) else value]  # spaces alone are nothing typed


def text_field(label, max_length: int, *, required: bool = False, area: bool = False, **options):
    """Text as typed, trimmed: spaces alone are nothing typed, so a required field refuses them."""
    kind = TextAreaField if area else StringField
    return kind(label, [DataRequired(REQUIRED) if required else Optional(), Length(max=max_length)],
                filters=TRIMMED, **options)


class CheckboxesField(SelectMultipleField):
    """A multiple choice as a list of check boxes (easier than a multi-select, and usable without a mouse)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TickedAtLeastOne:
    """At least one box ticked. Unlike DataRequired it sets no `required` flag: a browser would then demand that
    every box of the list be ticked."""

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, _form, field) -> None:
        if not field.data:
            raise StopValidation(self.message)


def known(value: str | None, values) -> str | None:
    """`value` if it is one of `values`: anything else typed into an address is no filter, never a refusal."""
    return value if value in values else None


def an_id(value: str | None) -> str | None:
    """`value` if it is an id, else None."""
    try:
        return str(uuid.UUID(str(value or "")))
    except ValueError:
        return None


class SentForm(FlaskForm):
    """A form that writes once per showing: a double click or a resend gets the API's first answer again (the
    `Idempotency-Key` header). Each kind's `payload()` is the JSON the API takes."""

    idempotency_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.idempotency_key.data:
            self.idempotency_key.data = str(uuid.uuid4())

    def renew(self) -> None:
        """A refused form corrected is a new request, not a replay of the refused one."""
        self.idempotency_key.data = str(uuid.uuid4())

    @property
    def headers(self) -> dict[str, str]:
        return {"Idempotency-Key": self.idempotency_key.data}


class StepForm(SentForm):
    """One of the steps a record's page offers side by side: each has its step's name as a prefix, so their fields
    never mix. The page's one CSRF token is checked for every POST by the app (CSRFProtect)."""

    class Meta:
        csrf = False


def present(body: dict) -> dict:
    """`body` without what was left empty: the API takes an optional field's absence, and names a required one."""
    return {key: value for key, value in body.items() if value not in (None, "", [])}


class ListFilter(FlaskForm):
    """A list's filters: a search changes nothing, so it carries no CSRF token and can be bookmarked."""

    class Meta:
        csrf = False

    def __init__(self, **choices):
        super().__init__(formdata=request.args)
        for name, offered in choices.items():
            self[name].choices = offered
        for field in self:  # the page's own form may have fields of the same names: one id each on the page
            field.id = field.label.field_id = f"filter-{field.name}"


def page_args(default_per_page: int = 30) -> dict:
    """`page` and `per_page` of this address, as the API takes them (nonsense is the first page)."""
    page = request.args.get("page", type=int)
    per_page = request.args.get("per_page", type=int)
    return {"page": page if page and page > 0 else 1,
            "per_page": per_page if per_page and 0 < per_page <= 100 else default_per_page}
