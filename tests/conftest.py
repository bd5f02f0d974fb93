from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from config.celery import app as celery_app
from tests.disclosure.jobs.workers import (
    database_url_for_workers,
    media_root,
    new_queue,
    require_broker,
    start_worker,
)

# The property-based tests (hypothesis, schemathesis) explore new data on each local run; CI
# (HYPOTHESIS_PROFILE=ci, set by .ci/run) runs them on the same data every time, so that a
# red CI is the change's and reproduces.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the site's language: a request that chose English in an earlier
    test must not leak into the next one through the thread's active language."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Rendered public pages are cached per process under ids that a rolled-back test
    database hands out again: each test starts without them."""
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _jobs_run_eagerly():
    """Unit tests run jobs in process, at once, whatever CELERY_BROKER_URL says (the tests
    marked ``broker`` start real workers)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def broker_queue():
    """Jobs go to a real broker, on a queue of this test's own."""
    require_broker()
    queue = new_queue()
    eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_default_queue = default_queue


@pytest.fixture
def start_test_worker(broker_queue, transactional_db, tmp_path):
    """Starts workers on this test's database and queue; stops them by process id."""
    started = []

    def start(**extra_env):
        worker = start_worker(
            database_url=database_url_for_workers(),
            queue=broker_queue,
            media_root=media_root(),
            log=tmp_path / f"worker-{len(started)}.log",
            extra_env=extra_env,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="session")
def live_server(live_server, django_db_blocker):
    """pytest-django's live server. Its request threads are daemons that keep a browser's
    keep-alive socket, and with it a database connection (``CONN_MAX_AGE``), after the
    server stops; on PostgreSQL the test database could then not be dropped at the end ("is
    being accessed by other users"). When the server's session ends, so do those
    connections."""
    yield live_server
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
