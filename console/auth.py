"""Signing in and out: the gateway checks the password and answers a session token, which stays on the server."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l, gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from console import gateway_api
from console.gateway_api import Refused, SignedOut
from console.paths import local_path

blp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


def _next_page() -> str:
    return local_path(request.values.get("next")) or url_for("home.index")


@blp.route("/login", methods=["GET", "POST"])
def login():
    if session.get("token") and request.method == "GET":
        return redirect(_next_page())
    form = SignInForm()
    if form.validate_on_submit():
        try:
            signed_in = gateway_api.post("/sessions", {"username": form.username.data, "password": form.password.data})
        except SignedOut:  # 401: the same words for a wrong username and a wrong password
            form.form_errors.append(_("The username or the password is wrong."))
            return render_template("login.html", form=form), 422
        except Refused as refusal:
            if refusal.status == 429:
                form.form_errors.append(_("Too many failed sign-ins. Try again in a few minutes."))
            else:
                form.form_errors.append(refusal.detail)
            return render_template("login.html", form=form), 429 if refusal.status == 429 else 422
        # A new id for the signed-in session: an id planted before sign-in (session fixation) is worth nothing.
        current_app.session_interface.regenerate(session)
        session["token"] = signed_in["token"]
        session["expires_at"] = signed_in.get("expires_at")
        session["me"] = gateway_api.get("/me")
        return redirect(_next_page())
    if request.args.get("expired"):
        flash(_("Your session has ended. Please sign in again."), "info")
    return render_template("login.html", form=form)


@blp.post("/logout")
def logout():
    if session.get("token"):
        try:
            gateway_api.delete("/sessions/current")
        except (Refused, SignedOut, gateway_api.GatewayDown):
            pass  # the token is forgotten here whatever the gateway says; it lapses there by itself
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
