"""`/api/v1/sessions`: a person signs in with a username and password for a bearer token, and signs out."""
from __future__ import annotations

from flask import Response, current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway import current, refusals, sessions, sign_in
from gateway.client_address import client_address
from gateway.refusals import SignInRefused
from gateway.user_schemas import SignInSchema, SignedInSchema
from servicekit.errors import NotFound

blp = Blueprint("sessions", __name__, url_prefix="/api/v1/sessions",
                description="Signing in and out: a person's session is a bearer token like a key (gateway)")



@blp.route("")
class Sessions(MethodView):
    @blp.doc(security=[])  # the one call without a credential: the app lets it through unauthenticated
    @blp.arguments(SignInSchema)
    @blp.response(201, SignedInSchema)
    @blp.alt_response(401, description="the username or the password is wrong (the same words for both)")
    @blp.alt_response(429, description="too many failed sign-ins for this username, or from this address; "
                                       "see Retry-After")
    def post(self, credentials):
        """Sign in: a session token that acts as you for 12 hours, or until 30 minutes unused or signed out"""
        try:
            done = sign_in.sign_in(credentials["username"], credentials["password"], database=current.database(),
                                   now=current.now())
        except SignInRefused:
            # A wrong password is also a failed authentication of the client's address (gateway/throttle.py):
            # trying one password on many usernames is held back there, not by the per-username lock.
            failures = current_app.extensions["erdm_auth_failures"]
            if (wait := failures.count_failure(client_address())) is not None:
                return refusals.guessing_refused(failures.describe(), wait)
            raise
        g.actor = done.user.actor  # the access log line names who signed in
        # The only answer that ever carries the token: no cache or proxy may keep a copy.
        headers = {"Location": f"{blp.url_prefix}/current", "Cache-Control": "no-store"}
        return {"token": done.session.token, "expires_at": done.session.expires_at, "user": done.user}, 201, headers


@blp.route("/current")
class CurrentSession(MethodView):
    @blp.response(204)
    @blp.alt_response(404, description="the call was not made with a session token")
    def delete(self):
        """Sign out: the session token you call with is refused (401) from now on"""
        session_id = g.get("session_id")
        if session_id is None:
            raise NotFound("no session to end: this call was made with an API key, not a session token "
                           "(an admin revokes a key with DELETE /api/v1/keys/{id})")
        with current.database().transaction() as session:
            sessions.end(session_id, session=session, now=current.now())
        return Response(status=204)
