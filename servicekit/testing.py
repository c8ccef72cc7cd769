"""What every package's tests share: signed test clients and real databases (SQLite, PostgreSQL) per test."""
from __future__ import annotations

import io
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Callable, NoReturn
from urllib.parse import urlencode

import pytest
from flask.testing import EnvironBuilder, FlaskClient
from werkzeug.datastructures import EnvironHeaders
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from servicekit.migrations import upgrade
from servicekit.signing import Actor, request_target, sign

ADMIN = Actor(id="admin", name="admin", role="admin")
TEST_SECRET = "test-internal-secret"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_real_component(message: str) -> NoReturn:
    """Skipped on a laptop without it; under CI=true what the test needs must be there."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: tests of real components may not be skipped)")
    pytest.skip(message, allow_module_level=True)


def require_backend(env_var: str, what: str) -> str:
    """The URL of a real backend (PostgreSQL, RabbitMQ)."""
    url = os.environ.get(env_var)
    if url:
        return url
    missing_real_component(f"{what} not configured: set {env_var}")


def require_tool(name: str, install_hint: str) -> str:
    """The path of a real program a test runs (docker-compose)."""
    path = shutil.which(name)
    if path:
        return path
    missing_real_component(f"{name} not installed ({install_hint})")


class SignedClient(FlaskClient):
    """A test client that calls like the gateway does: every request signed for `actor`."""

    actor: Actor = ADMIN
    secret: str = TEST_SECRET
    deadline: float | None = None  # the gateway's; None waits as long as the view takes

    def open(self, *args: Any, **kwargs: Any):
        path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
        method = kwargs.get("method", "GET")
        path_part, _, query = path.partition("?")
        if kwargs.get("query_string"):
            # Fold the query into the path, so what is signed is exactly what is sent.
            extra = kwargs.pop("query_string")
            extra = extra if isinstance(extra, str) else urlencode(extra, doseq=True)
            query = "&".join(part for part in (query, extra) if part)
            args = (f"{path_part}?{query}",) + tuple(args[1:]) if args else args
            if not args:
                kwargs["path"] = f"{path_part}?{query}"
        target = request_target({"PATH_INFO": path_part, "QUERY_STRING": query})
        headers = dict(kwargs.pop("headers", None) or {})
        # Build the request once (file uploads can be read only once) to learn the exact body bytes
        # the service will read, sign them, and send that very environ.
        builder = EnvironBuilder(self.application, *args, headers=headers, **kwargs)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(body)
        signature = sign(self.secret, method, target, self.actor, body=body, headers=EnvironHeaders(environ),
                         deadline=self.deadline)
        for name, value in signature.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        return super().open(environ)


def signed_client(app, *, actor: Actor = ADMIN, secret: str = TEST_SECRET) -> SignedClient:
    app.test_client_class = type("BoundSignedClient", (SignedClient,), {"actor": actor, "secret": secret})
    return app.test_client()


class SqliteDatabases:
    """A migrated SQLite file made once per test session, copied for each test (fast, isolated)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates: dict[str, Path] = {}

    def fresh(self, package: str) -> str:
        if package not in self.templates:
            template = self.root / f"{package.replace('.', '_')}-template.db"
            upgrade(package, f"sqlite:///{template}")
            self.templates[package] = template
        target = self.root / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.templates[package], target)
        return f"sqlite:///{target}"


class PostgresDatabases:
    """A migrated template database per package; each test gets `CREATE DATABASE ... TEMPLATE` of it."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        # pre-ping: the fault tests restart PostgreSQL under this pooled connection.
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=True)
        self.prefix = f"erdm_t{os.getpid()}"
        self.templates: dict[str, str] = {}
        self.created: list[str] = []

    def _create(self, name: str, template: str | None = None) -> str:
        with self.engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def fresh(self, package: str) -> str:
        if package not in self.templates:
            template = f"{self.prefix}_{package.rsplit('.', 1)[-1]}_template"
            upgrade(package, self._create(template))
            self.templates[package] = template
        return self._create(f"{self.prefix}_{uuid.uuid4().hex[:12]}", self.templates[package])

    def drop_all(self) -> None:
        with self.engine.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


def database_urls(request, tmp_path_factory) -> Callable[[str], str]:
    """For a fixture parametrized by backend name: a function package -> fresh migrated database URL."""
    return database_factory(request.param, request.config, tmp_path_factory)


def database_factory(backend: str, config, tmp_path_factory) -> Callable[[str], str]:
    """`backend` is "sqlite" or "postgres"; templates are made once per test session."""
    if backend == "sqlite":
        holder = config.stash.get(_SQLITE_KEY, None)
        if holder is None:
            holder = config.stash[_SQLITE_KEY] = SqliteDatabases(tmp_path_factory.mktemp("sqlite"))
        return holder.fresh
    url = require_backend("ERDM_TEST_POSTGRES_URL", "PostgreSQL")
    holder = config.stash.get(_PG_KEY, None)
    if holder is None:
        holder = config.stash[_PG_KEY] = PostgresDatabases(url)
        config.add_cleanup(holder.drop_all)
    return holder.fresh


_SQLITE_KEY = pytest.StashKey[SqliteDatabases]()
_PG_KEY = pytest.StashKey[PostgresDatabases]()


def wait_until(predicate: Callable[[], Any], *, timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll `predicate` until it returns something truthy; AssertionError after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


__all__ = ["ADMIN", "TEST_SECRET", "SignedClient", "signed_client", "database_urls", "require_backend",
           "wait_until", "in_ci", "database_factory"]


def metric_samples(exposition: str) -> dict[tuple[str, frozenset], float]:
    """A /metrics answer as {(sample name, labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(exposition) for sample in family.samples}


def metric_value(samples: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float:
    """One sample of `metric_samples`, 0 when absent (a counter never incremented has no sample)."""
    return samples.get((name, frozenset(labels.items())), 0.0)
