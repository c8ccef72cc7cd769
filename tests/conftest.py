"""Fixtures shared by every test: fresh databases on each backend, the resources app, signed clients."""
from __future__ import annotations

import pytest

from servicekit.config import Settings
from servicekit.db import Database
from servicekit.testing import TEST_SECRET, database_urls, signed_client


def pytest_collection_modifyitems(config, items):
    """The fault tests take the shared PostgreSQL and RabbitMQ down and up: they run after everything else."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database_url(request, tmp_path_factory):
    """A function: service package -> URL of a freshly migrated database on this backend."""
    return database_urls(request, tmp_path_factory)


@pytest.fixture
def resources_db(fresh_database_url):
    database = Database(fresh_database_url("services.resources"))
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path):
    return Settings(internal_secret=TEST_SECRET, data_dir=tmp_path, broker_url=f"filesystem://{tmp_path / 'broker'}")


@pytest.fixture
def resources_app(settings, resources_db):
    from services.resources.app import create_app

    app = create_app(settings, database=resources_db, required_processes=())
    app.config["TESTING"] = True
    return app


@pytest.fixture
def resources_client(resources_app):
    """Calls the resources service as the gateway would, as the admin."""
    return signed_client(resources_app)


@pytest.fixture
def plans_db(fresh_database_url):
    database = Database(fresh_database_url("services.plans"))
    yield database
    database.dispose()


@pytest.fixture
def plans_app(settings, plans_db):
    from services.plans.app import create_app
    from services.plans.domain.workdays import WorkCalendar

    # No holidays unless a test configures them: due dates stay reproducible on any machine.
    app = create_app(settings, database=plans_db, required_processes=(), work_calendar=WorkCalendar())
    app.config["TESTING"] = True
    return app


@pytest.fixture
def plans_client(plans_app):
    """Calls the plans service as the gateway would, as the admin."""
    return signed_client(plans_app)


@pytest.fixture
def drills_db(fresh_database_url):
    database = Database(fresh_database_url("services.drills"))
    yield database
    database.dispose()


@pytest.fixture
def plans_known():
    """What the fake plans service answers when the drills service asks: plan id (str) -> plan body."""
    return {}


@pytest.fixture
def drills_app(settings, drills_db, plans_known):
    import uuid as _uuid

    from services.drills.app import create_app

    def lookup(plan_id: _uuid.UUID):
        return plans_known.get(str(plan_id))

    app = create_app(settings, database=drills_db, required_processes=(), plan_lookup=lookup)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def drills_client(drills_app):
    """Calls the drills service as the gateway would, as the admin."""
    return signed_client(drills_app)


@pytest.fixture
def supervision_db(fresh_database_url):
    database = Database(fresh_database_url("services.supervision"))
    yield database
    database.dispose()


@pytest.fixture
def supervision_app(settings, supervision_db):
    from services.supervision.app import create_app

    app = create_app(settings, database=supervision_db, required_processes=())
    app.config["TESTING"] = True
    return app


@pytest.fixture
def supervision_client(supervision_app):
    """Calls the supervision service as the gateway would, as the admin."""
    return signed_client(supervision_app)


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """A real S3-compatible server (moto's server mode) for the whole session, its test bucket made; its URL.
    boto3 finds the credentials as in production, in AWS_* variables."""
    from tests.objectstore import CREDENTIALS, moto_server

    with pytest.MonkeyPatch.context() as patch:
        for name, value in CREDENTIALS.items():
            patch.setenv(name, value)
        with moto_server(tmp_path_factory.mktemp("moto")) as endpoint:
            yield endpoint
