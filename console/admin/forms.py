"""The admin area's forms: an organisation, a person, an API key, a webhook subscription, each as the API takes it."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from console import refusals
from console.gateway_api import Refused
from console.words import label

# The API's choices (gateway/models.py, gateway/roles.py), in the order a person reads them.
ORG_KINDS = {"bureau": _l("Bureau"), "enterprise": _l("Enterprise unit"), "custodian": _l("Custodian unit")}
INDUSTRIES = ("mining", "hazardous_chemicals", "fireworks", "metallurgy", "rail_transit", "construction",
              "crowded_venue", "other")
ROLES = ("admin", "logistics", "planner", "inspector", "viewer")
SCOPES = ("subtree", "own")
LEAST_ROLE = "viewer"  # what a new person or key is given unless someone chooses more

# The API's own shapes (gateway/org_schemas.py, gateway/user_schemas.py), checked here too so that a person
# reads the rule in the page's language before anything is sent.
CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
USERNAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]*$"
MIN_PASSWORD = 10
MAX_DEPUTIES = 20
# A webhook subscription's limits (gateway/webhooks/schemas.py, targets.py).
MAX_WEBHOOK_URL, MIN_WEBHOOK_SECRET, MAX_WEBHOOK_SECRET = 2000, 16, 200
# A deputy's line: the name, then the title after the first comma (either width) or tab.
DEPUTY_SEPARATOR = re.compile(r"[,，\t]")


class CheckboxesField(SelectMultipleField):
    """A multiple choice as a list of checkboxes (easier than a multi-select without a mouse)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def labelled(values) -> list[tuple[str, str]]:
    """(value, its word in the page's language) for a <select>."""
    return [(value, label(value)) for value in values]


class OrgFieldsForm(FlaskForm):
    """What a new organisation and a changed one share."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    district = StringField(_l("District"), validators=[Optional(), Length(max=100)])
    industries = CheckboxesField(_l("Industries"), choices=[], validate_choice=True)
    principal_name = StringField(_l("Head's name"), validators=[Optional(), Length(max=100)])
    principal_title = StringField(_l("Head's title"), validators=[Optional(), Length(max=100)])
    deputies = TextAreaField(_l("Deputies in charge"), validators=[Optional()],
                             description=_l("One per line: name, title (e.g. 李四, 安全副总)"))

    def validate_principal_title(self, field):
        if field.data and not (self.principal_name.data or "").strip():
            raise ValidationError(_l("Give the head's name as well."))

    def validate_deputies(self, field):
        people = deputy_lines(field.data)
        if any(not person["name"] for person in people):
            raise ValidationError(_l("Each line needs a name before its title."))
        if any(len(person["name"]) > 100 or len(person["title"] or "") > 100 for person in people):
            raise ValidationError(_l("A name or a title may be at most 100 characters."))
        if len(people) > MAX_DEPUTIES:
            raise ValidationError(_l("At most %(count)d deputies.", count=MAX_DEPUTIES))


class OrgCreateForm(OrgFieldsForm):
    parent_id = SelectField(_l("Parent organisation"), choices=[], validators=[InputRequired()])
    code = StringField(_l("Code"), validators=[
        InputRequired(), Length(max=64),
        Regexp(CODE, message=_l("Letters, digits, '-' or '_', starting with a letter or digit."))],
        description=_l("Fixed once made; it becomes part of the path, e.g. PD or ENT-001."))
    kind = SelectField(_l("Kind"), choices=[], validators=[InputRequired()])


class OrgEditForm(OrgFieldsForm):
    active = BooleanField(_l("Active (untick to retire it; its records stay)"))


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        InputRequired(), Length(max=64),
        Regexp(USERNAME, message=_l("ASCII letters, digits, '.', '_', '@' or '-', starting with a letter or digit."))])
    display_name = StringField(_l("Display name"), validators=[InputRequired(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(), Length(min=MIN_PASSWORD, max=1024,
                                message=_l("At least %(min)d characters.", min=MIN_PASSWORD))],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD})
    role = SelectField(_l("Role"), choices=[], validators=[InputRequired()], default=LEAST_ROLE)
    org_id = SelectField(_l("Organisation"), choices=[], validators=[InputRequired()])
    scope = SelectField(_l("Scope"), choices=[], validators=[InputRequired()])


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[InputRequired(), Length(max=100)])
    role = SelectField(_l("Role"), choices=[], validators=[InputRequired()])
    scope = SelectField(_l("Scope"), choices=[], validators=[InputRequired()])
    active = BooleanField(_l("May sign in"))
    password = PasswordField(_l("New password"), validators=[
        Optional(), Length(min=MIN_PASSWORD, max=1024, message=_l("At least %(min)d characters.", min=MIN_PASSWORD))],
        description=_l("Leave empty to keep the password. A new one ends the person's sessions."),
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD})


class KeyCreateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)],
                       description=_l("Who holds the key, e.g. 指挥中心大屏"))
    role = SelectField(_l("Role"), choices=[], validators=[InputRequired()], default=LEAST_ROLE)
    org_id = SelectField(_l("Organisation"), choices=[], validators=[InputRequired()])
    scope = SelectField(_l("Scope"), choices=[], validators=[InputRequired()])


class WebhookCreateForm(FlaskForm):
    url = StringField(_l("URL"), validators=[InputRequired(), Length(max=MAX_WEBHOOK_URL)],
                      description=_l("Where each event is POSTed: http or https, e.g. "
                                     "https://dashboard.example.com/erdm"),
                      render_kw={"type": "url", "maxlength": MAX_WEBHOOK_URL, "autocomplete": "off"})
    # Its choices are the contract's event types; the page shows them as check boxes grouped by service.
    events = SelectMultipleField(_l("Events"), choices=[], validate_choice=True,
                                 validators=[InputRequired(message=_l("Tick at least one event."))])
    secret = StringField(_l("Secret"), validators=[
        InputRequired(), Length(min=MIN_WEBHOOK_SECRET, max=MAX_WEBHOOK_SECRET,
                                message=_l("Between %(min)d and %(max)d characters.", min=MIN_WEBHOOK_SECRET,
                                           max=MAX_WEBHOOK_SECRET))],
        description=_l("Keep a copy now: the receiver checks each delivery's signature with it, and it is never "
                       "shown again. A random one is filled in; you may give your own."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "minlength": MIN_WEBHOOK_SECRET})


def deputy_lines(text: str | None) -> list[dict]:
    """`deputies` as the API takes them, from lines of "name, title" (a title may be left out)."""
    people = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = DEPUTY_SEPARATOR.split(line, maxsplit=1)
        name, title = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "") or None
        people.append({"name": name, "title": title})
    return people


def deputies_text(deputies: list[dict] | None) -> str:
    """The API's `deputies` as the lines the form edits."""
    return "\n".join(person["name"] + (f", {person['title']}" if person.get("title") else "")
                     for person in deputies or [])


def principal_of(form: OrgFieldsForm) -> dict | None:
    name = (form.principal_name.data or "").strip()
    return {"name": name, "title": (form.principal_title.data or "").strip() or None} if name else None


def fill_choices(form: FlaskForm, *, orgs: list[tuple[str, str]] | None = None) -> FlaskForm:
    """Give `form`'s choosers their options, each said in the page's language."""
    for name, options in (("kind", [(kind, str(word)) for kind, word in ORG_KINDS.items()]),
                          ("industries", labelled(INDUSTRIES)), ("role", labelled(ROLES)),
                          ("scope", labelled(SCOPES)), ("parent_id", orgs), ("org_id", orgs)):
        if name in form and options is not None:
            form[name].choices = options
    return form


def show_refusal(form: FlaskForm, refusal: Refused, *, fields: dict[str, str] | None = None,
                 taken: tuple[str, str] | None = None) -> int:
    """Put the API's refusal on `form` and answer the page's status. `taken` (field, message) says in the page's
    language the one conflict a create can meet here: its code, username or name is in use already."""
    if refusal.status == 409 and taken is not None:
        name, message = taken
        form[name].errors = [*form[name].errors, message]
        form.form_errors.append(message)
        return 409
    refusals.apply(form, refusal, fields=fields)
    return refusal.status if refusal.status in (403, 409) else 422


def changes_to(record: dict, proposed: dict) -> dict:
    """The fields of `proposed` that differ from `record`: a PATCH says only what changed (and who changed it
    is recorded only when something did)."""
    return {name: value for name, value in proposed.items() if record.get(name) != value}
