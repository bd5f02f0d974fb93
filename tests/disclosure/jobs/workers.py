"""Real Celery workers for the tests marked ``broker``: started as processes against a given
database, on a queue of their own (other test runs may share the Redis), and stopped by
their process id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


def require_broker() -> None:
    if not BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set (CI's PostgreSQL pass sets it)")


def database_url_for_workers() -> str:
    """The URL of the test database this process uses, for a worker to use too."""
    params = connection.settings_dict
    if params["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a worker cannot reach an in-memory SQLite test database")
    user = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{user}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    name: str

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def start_worker(
    *,
    database_url: str,
    queue: str,
    media_root: Path,
    log: Path,
    broker_url: str = BROKER_URL,
    extra_env: dict | None = None,
) -> Worker:
    """One worker process running one task at a time (``--pool solo``: the process that
    runs the task is the process started here)."""
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(media_root),
        "DEBUG": "1",
        **(extra_env or {}),
    }
    handle = log.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "info",
            "--hostname",
            name,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    worker = Worker(process, log, name)
    deadline = time.monotonic() + 60
    while " ready." not in worker.output():
        if process.poll() is not None or time.monotonic() > deadline:
            worker.stop()
            raise RuntimeError(f"the worker did not start:\n{worker.output()}")
        time.sleep(0.2)
    return worker


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def wait_until(condition, *, timeout: float = 120, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(interval)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)
