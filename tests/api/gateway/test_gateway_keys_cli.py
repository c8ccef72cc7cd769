"""`python -m erdm keys create` adds to the key store of the stack the operator means, or refuses: never a new
./var/gateway.db whose key no stack knows (a key that gets 401)."""
from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from erdm import stack_state
from erdm.__main__ import main
from erdm.stack import _banner
from gateway import keys
from servicekit.config import Settings
from servicekit.db import Database

REPO = Path(__file__).resolve().parents[3]
CREATE = ["keys", "create", "--name", "值班员", "--role", "viewer"]


@pytest.fixture
def operator_shell(tmp_path, monkeypatch):
    """A shell in a fresh folder, with no ERDM variables and its own record of running stacks."""
    for name in [name for name in os.environ if name.startswith("ERDM_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    shell = tmp_path / "elsewhere"
    shell.mkdir()
    monkeypatch.chdir(shell)
    return shell


def key_works(data_dir: Path, token: str) -> bool:
    database = Database(f"sqlite:///{data_dir / 'gateway.db'}")
    try:
        with database.session(readonly=True) as session:
            return keys.find_live(token, session=session) is not None
    finally:
        database.dispose()


def test_without_a_stack_or_erdm_data_dir_it_refuses_and_says_what_to_set(operator_shell, capsys):
    assert main(CREATE) == 2
    said = capsys.readouterr()
    assert said.out == "" and "ERDM_DATA_DIR" in said.err and "make run" in said.err
    assert not (operator_shell / "var").exists()


def test_it_finds_the_running_stack_and_its_key_works_there(operator_shell, tmp_path, capsys):
    data_dir = tmp_path / "stack-data"
    settings = Settings.from_env({"ERDM_DATA_DIR": str(data_dir), "ERDM_PORT": "23456"})
    record = stack_state.record(settings, pid=os.getpid(), environ={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert oct(record.stat().st_mode & 0o777) == "0o600"
    assert main(CREATE) == 0
    assert key_works(data_dir, capsys.readouterr().out.strip())
    assert not (operator_shell / "var").exists()

    stack_state.forget(record)  # the stack stopped: back to refusing
    assert main(CREATE) == 2


def test_a_stale_record_or_two_running_stacks_are_not_guessed_between(operator_shell, tmp_path, capsys):
    state = {"XDG_STATE_HOME": str(tmp_path / "state")}
    gone = _dead_pid()
    stack_state.record(Settings.from_env({"ERDM_DATA_DIR": str(tmp_path / "a"), "ERDM_PORT": "23000"}), pid=gone,
                       environ=state)
    assert main(CREATE) == 2 and "No ERDM stack is running" in capsys.readouterr().err
    for port in ("23100", "23200"):
        stack_state.record(Settings.from_env({"ERDM_DATA_DIR": str(tmp_path / port), "ERDM_PORT": port}),
                           pid=os.getpid(), environ=state)
    assert main(CREATE) == 2
    said = capsys.readouterr().err
    assert "2 ERDM stacks are running" in said and str(tmp_path / "23100") in said


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_banner_prints_the_exact_command_and_it_works_from_anywhere(operator_shell, tmp_path):
    data_dir = tmp_path / "stack-data"
    settings = Settings.from_env({"ERDM_DATA_DIR": str(data_dir), "ERDM_PORT": "24567"})
    banner = _banner(settings, {"ERDM_ADMIN_KEY": "erdm_admin"})
    [line] = [line for line in banner.splitlines() if "keys create" in line]
    assert "(ROLE: admin, logistics, planner, inspector, viewer)" in banner
    words = shlex.split(line.split(":", 1)[1].replace("NAME", "值班员"))
    assert words[0] == f"ERDM_DATA_DIR={data_dir}" and words[2:5] == ["-m", "erdm", "keys"]
    assert words[-2:] == ["--role", "ROLE"]
    variable, value = words[0].split("=", 1)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ERDM_")}, variable: value,
           "PYTHONPATH": str(REPO)}
    made = subprocess.run(words[1:-1] + ["viewer"], env=env, cwd=operator_shell, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    assert key_works(data_dir, made.stdout.strip())
