"""`python -m erdm users create|list|passwd` on the running stack's database, and the user admin of `make run`."""
from __future__ import annotations

import io
import os

import pytest
from people import SESSIONS

from erdm.__main__ import main
from erdm.stack import _banner
from gateway import sessions, testing, users
from gateway.users_cli import AdminUser, ensure_admin
from servicekit.clock import now
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.migrations import upgrade

CREATE = ["users", "create", "--username", "Zhang.Wei", "--display-name", "张伟", "--role", "planner",
          "--password-stdin"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A migrated gateway database in a data folder that ERDM_DATA_DIR names, as the operator's shell has it."""
    for name in [name for name in os.environ if name.startswith("ERDM_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = tmp_path / "stack-data"
    folder.mkdir()
    upgrade("gateway", f"sqlite:///{folder / 'gateway.db'}")
    monkeypatch.setenv("ERDM_DATA_DIR", str(folder))
    return folder


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _signs_in(folder, username: str, password: str) -> bool:
    app, client = testing.gateway_client(testing.settings_factory(f"sqlite:///{folder / 'gateway.db'}")(), None)
    try:
        return client.post(SESSIONS, json={"username": username, "password": password}).status_code == 201
    finally:
        testing.close(app)


def test_an_operator_creates_lists_and_repasswords_a_person(data_dir, monkeypatch, capsys):
    _stdin(monkeypatch, "correct horse battery\n")
    assert main([*CREATE, "--org", "ROOT", "--scope", "own"]) == 0
    assert "created user Zhang.Wei" in capsys.readouterr().out
    assert _signs_in(data_dir, "zhang.wei", "correct horse battery")

    assert main(["users", "list"]) == 0
    listed = capsys.readouterr()
    assert "Zhang.Wei" in listed.out and "张伟" in listed.out and "planner" in listed.out and "own" in listed.out
    assert "correct horse" not in listed.out and "argon2" not in listed.out
    assert "1 user(s)" in listed.err

    database = Database(f"sqlite:///{data_dir / 'gateway.db'}")
    with database.transaction() as session:
        user, _hash = users.for_sign_in("zhang.wei", session=session)
        started = sessions.start(user.id, session=session, now=now())
    _stdin(monkeypatch, "a brand new password\n")
    assert main(["users", "passwd", "--username", "ZHANG.WEI", "--password-stdin"]) == 0
    with database.session(readonly=True) as session:
        assert sessions.find_live(started.token, session=session, now=now()) is None  # ended at once
    database.dispose()
    assert not _signs_in(data_dir, "zhang.wei", "correct horse battery")
    assert _signs_in(data_dir, "zhang.wei", "a brand new password")


def test_the_password_is_asked_for_twice_without_echo(data_dir, monkeypatch, capsys):
    typed = iter(["typed twice alike", "typed twice alike"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert main(CREATE[:-1]) == 0
    assert _signs_in(data_dir, "zhang.wei", "typed twice alike")
    typed = iter(["one long password", "another long one"])
    assert main(["users", "passwd", "--username", "zhang.wei"]) == 1
    assert "differ" in capsys.readouterr().err


def test_the_cli_refuses_what_the_api_refuses(data_dir, monkeypatch, capsys):
    _stdin(monkeypatch, "too short\n")
    assert main(CREATE) == 1
    assert "password" in capsys.readouterr().err
    _stdin(monkeypatch, "correct horse battery\n")
    assert main([*CREATE, "--org", "NOWHERE"]) == 1
    assert "org_code" in capsys.readouterr().err
    _stdin(monkeypatch, "correct horse battery\n")
    assert main(CREATE) == 0
    _stdin(monkeypatch, "correct horse battery\n")
    assert main(CREATE) == 1 and "taken" in capsys.readouterr().err
    _stdin(monkeypatch, "correct horse battery\n")
    assert main(["users", "passwd", "--username", "nobody", "--password-stdin"]) == 1


def test_make_run_makes_the_user_admin_once_and_prints_only_a_password_it_drew(data_dir):
    database = Database(f"sqlite:///{data_dir / 'gateway.db'}")
    try:
        made = ensure_admin(database, password=None)
        assert made.created and len(made.generated_password) >= 10
        assert ensure_admin(database, password="ignored since admin exists") == AdminUser(created=False)
        with database.session(readonly=True) as session:
            admin, _hash = users.for_sign_in("admin", session=session)
    finally:
        database.dispose()
    assert (admin.role, admin.org_path, admin.scope) == ("admin", "/ROOT/", "subtree")
    assert _signs_in(data_dir, "admin", made.generated_password)

    settings = Settings.from_env({"ERDM_DATA_DIR": str(data_dir)})
    env = {"ERDM_ADMIN_KEY": "erdm_admin"}
    assert f"admin user: admin, password {made.generated_password} (generated" in _banner(settings, env, made)
    chosen = _banner(settings, env, AdminUser(created=True))
    assert "admin user: admin, password from ERDM_ADMIN_PASSWORD" in chosen
    earlier = _banner(settings, env, AdminUser(created=False))
    assert "made before, password unchanged" in earlier and "users passwd --username admin" in earlier


def test_a_chosen_admin_password_is_the_one_that_signs_in(data_dir):
    database = Database(f"sqlite:///{data_dir / 'gateway.db'}")
    try:
        assert ensure_admin(database, password="the operator's choice") == AdminUser(created=True)
    finally:
        database.dispose()
    assert _signs_in(data_dir, "admin", "the operator's choice")


def test_make_run_refuses_an_admin_password_anyone_else_would_be_refused():
    from gateway.users_cli import check_admin_password

    check_admin_password(None)  # unset: one is drawn
    check_admin_password("long enough!")
    with pytest.raises(ValueError, match="ERDM_ADMIN_PASSWORD must be 10 to 256 characters long"):
        check_admin_password("short")
