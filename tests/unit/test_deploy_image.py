"""The deploy/ files agree with the code: the processes the image runs and what it carries."""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from erdm import processes

from tests.unit.deployfiles import (
    ROOT, DEPLOY, WEB_PORTS, CONSOLE_PORT,
)


def test_the_gateway_runs_on_gevent_workers_and_the_services_on_threads(monkeypatch):
    """What `web gateway` (compose, Kubernetes, make run) execs; read, not imported: importing a gunicorn
    configuration prepares a metrics folder for the process that loads it."""
    started = []
    monkeypatch.setattr(processes.os, "execv", lambda _path, argv: started.append(argv))
    monkeypatch.setenv("ERDM_ADMIN_KEY", "k" * 32)
    processes.run_web("gateway", bind="0.0.0.0:8000", instance=None)
    processes.run_web("resources", bind=None, instance=None)
    configs = [argv[argv.index("-c") + 1] for argv in started]
    assert configs == ["python:erdm.gunicorn_gateway_conf", "python:erdm.gunicorn_conf"]

    def assigned(module: str) -> dict[str, str]:
        tree = ast.parse((ROOT / "erdm" / f"{module}.py").read_text(encoding="utf-8"))
        return {node.targets[0].id: ast.unparse(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}

    assert assigned("gunicorn_gateway_conf")["worker_class"] == "'gevent'"
    assert assigned("gunicorn_conf")["worker_class"] == "'gthread'"
    assert "gevent" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_a_short_admin_key_stops_the_gateway_before_gunicorn_starts(monkeypatch, capsys):
    monkeypatch.setattr(processes.os, "execv", lambda *_args: pytest.fail("gunicorn must not start"))
    monkeypatch.setenv("ERDM_ADMIN_KEY", "k" * 31)
    assert processes.run_web("gateway", bind=None, instance=None) == 2
    assert "ERDM_ADMIN_KEY must be at least 32 characters" in capsys.readouterr().err




def test_the_image_copies_every_package_that_pyproject_installs():
    """`pip install .` in the image finds only what deploy/Dockerfile copies and its .dockerignore lets through."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.MULTILINE))
    let_through = {line[1:] for line in (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
                   if line.startswith("!")}
    assert packages <= copied, f"deploy/Dockerfile must COPY {sorted(packages - copied)}"
    assert packages <= let_through, f"deploy/Dockerfile.dockerignore must let {sorted(packages - let_through)} in"
    exposed = {int(port) for port in re.search(r"^EXPOSE (.+)$", dockerfile, flags=re.MULTILINE)[1].split()}
    assert set(WEB_PORTS.values()) | {CONSOLE_PORT} <= exposed


def test_the_installed_console_carries_every_template_static_file_and_catalog():
    """setuptools ships a package's non-Python files only when a package-data pattern names them; a template
    one folder deeper than the patterns reach would be missing from the image (500 on its page)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    console = ROOT / "console"
    wanted = [path.relative_to(console) for folder in ("templates", "static", "translations")
              for path in (console / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    assert wanted

    def shipped(relative: Path) -> bool:  # a glob's `*` never crosses a `/`: the depth must match
        return any(len(relative.parts) == len(Path(pattern).parts) and relative.match(pattern)
                   for pattern in [*patterns.get("console", []), *patterns.get("*", [])])

    assert [str(path) for path in wanted if not shipped(path)] == []
