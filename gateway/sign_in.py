"""Signing in: a username and password become a session, or a refusal that says the same whatever was wrong."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from gateway import lockout, passwords, sessions, users
from gateway.refusals import SignInLocked, SignInRefused
from servicekit.db import Database

REFUSED = "the username or the password is wrong"  # the same words for both: nobody learns who has an account


@dataclass(frozen=True)
class SignedIn:
    session: sessions.Started
    user: users.User


def sign_in(username: str, password: str, *, database: Database, now: dt.datetime) -> SignedIn:
    """A new session for the person, or SignInRefused (recorded as a failure) or SignInLocked.

    Three units of work: the lock is read before the password is hashed, a failure is committed even though
    the caller is refused, and the session is made once the password is right.
    """
    with database.session(readonly=True) as session:
        if (wait := lockout.retry_after(username, session=session, now=now)) is not None:
            raise _locked(wait)
        found = users.for_sign_in(username, session=session)
    user, stored_hash = found if found else (None, None)
    # Hashed even for nobody (against a dummy hash) and for a deactivated person: refusals take alike long.
    right = passwords.verify(stored_hash, password)
    if not right or user is None or not user.active:
        with database.transaction() as session:
            lockout.record_failure(username, session=session, now=now)
        raise SignInRefused(REFUSED)
    with database.transaction() as session:
        # Asked again: guesses landing while the password was hashed may have locked the name since, and the
        # right password among a burst of wrong ones must not be told apart from them.
        if (wait := lockout.retry_after(username, session=session, now=now)) is not None:
            raise _locked(wait)
        lockout.forget_failures(username, session=session)
        users.signed_in(user.id, session=session, now=now, password=password, stored_hash=stored_hash)
        started = sessions.start(user.id, session=session, now=now)
    return SignedIn(session=started, user=replace(user, last_sign_in_at=now))


def _locked(wait: int) -> SignInLocked:
    return SignInLocked(f"too many failed sign-ins for this username; retry in {wait} s", retry_after=wait)
