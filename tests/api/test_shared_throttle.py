"""The public API's throttle counts in the cache every worker shares: two gunicorn workers
together let one client through 120 times a minute, not 120 each."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
RATE = 120
# A Redis database of its own for the Redis case (skipped when no Redis answers there), one
# per pytest-xdist worker: the test empties it.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{10 + _WORKER % 6}")

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(tmp_path: Path, environ: dict[str, str]) -> str:
    """The PostgreSQL test database (its rows committed: ``transactional_db``), or a file
    SQLite migrated for the occasion (the in-memory test database is this process's)."""
    if connection.vendor == "postgresql":
        source = connection.settings_dict
        password = f":{source['PASSWORD']}" if source["PASSWORD"] else ""
        return (
            f"postgres://{source['USER']}{password}@{source['HOST'] or '127.0.0.1'}:"
            f"{source['PORT'] or 5432}/{source['NAME']}"
        )
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**environ, "DATABASE_URL": url},
        check=True,
        timeout=300,
    )
    return url


def redis_or_skip() -> str:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    return REDIS_URL


@pytest.fixture(params=["database", "redis"])
def gunicorn(request, transactional_db, tmp_path):
    environ = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environ.update(
        DEBUG="0",
        SECRET_KEY="shared-throttle-test-key-0123456789-abcdefghijklmnop",
        PYTHONPATH=str(ROOT),
        VAR_DIR=str(tmp_path / "var"),
        STATIC_MANIFEST="0",
        PUBLIC_API_RATE=f"{RATE}/min",
    )
    environ.pop("REDIS_URL", None)
    if request.param == "redis":
        environ["REDIS_URL"] = redis_or_skip()
    environ["DATABASE_URL"] = database_url(tmp_path, environ)
    port = free_port()
    access_log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", "2",
            "--access-logfile", str(access_log),
            # The serving worker's process id and the status of each request.
            "--access-logformat", "%(p)s %(s)s",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_until_serving(port, server)
        yield port, access_log
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 60 s")


def get(port: int, path: str) -> int:
    """One request on its own connection (so that either worker may take it)."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path)
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


def test_two_workers_answer_429_after_120_requests_a_minute_from_one_client(gunicorn):
    port, access_log = gunicorn
    path = "/api/v1/deadline/?received=2024-03-01"
    started = time.monotonic()
    statuses = [get(port, path) for _ in range(RATE + 5)]
    assert time.monotonic() - started < 60, "the requests must fall within one minute"
    assert statuses[:RATE] == [200] * RATE
    assert statuses[RATE:] == [429] * 5

    time.sleep(1)  # gunicorn writes the access log line after the response
    served = Counter(line.split()[0] for line in access_log.read_text().splitlines())
    assert len(served) == 2, f"both workers must have answered: {served}"
