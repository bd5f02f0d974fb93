"""Settings that processes share: SQLite as the quick start's database for the web process,
the workers and beat at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Each process writes rows in transactions that read first (as the services do: a check, then
# a write). Under SQLite's default DEFERRED transactions a second writer that already read
# cannot take the lock and fails at once; under IMMEDIATE it waits its turn.
WRITER = """
import sys, time
from django.db import connection, transaction
from disclosure.models import Body
if sys.argv[-1] == "deferred":
    connection.settings_dict["OPTIONS"]["transaction_mode"] = "DEFERRED"
name = sys.argv[-2]
for n in range(60):
    with transaction.atomic():
        Body.objects.filter(code__startswith=name).count()
        time.sleep(0.005)
        Body.objects.create(code=f"{name}-{n}", name=name, kind="other", path=f"/{name}{n}/")
print(connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
"""


def manage(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def writers(env: dict, mode: str) -> list[tuple[int, str, str]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _runner(), WRITER, f"{mode}{index}", mode],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out.strip(), err))
    return results


def _runner() -> str:
    return (
        "import sys, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'config.settings'); django.setup(); exec(sys.argv[1])"
    )


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """One migrated SQLite file, copied by each test."""
    folder = tmp_path_factory.mktemp("sqlite")
    env = {**_env(folder), "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}
    migrate = manage("migrate", "--no-input", "-v0", env=env)
    _out, err = migrate.communicate(timeout=300)
    assert migrate.returncode == 0, err
    return folder / "db.sqlite3"


@pytest.fixture
def sqlite_env(migrated_sqlite, tmp_path) -> dict:
    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite3")
    return {**_env(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}


def _env(folder: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "VAR_DIR": str(folder), "DEBUG": "1"}


def test_sqlite_is_shared_by_processes_in_wal_mode_with_immediate_transactions():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on PostgreSQL")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]


def test_two_processes_write_to_one_sqlite_file_without_locking_errors(sqlite_env):
    results = writers(sqlite_env, "immediate")

    assert [(code, out) for code, out, _err in results] == [(0, "wal"), (0, "wal")]


def test_with_deferred_transactions_the_same_writers_fail_on_the_lock(sqlite_env):
    """The control: what IMMEDIATE prevents."""
    results = writers(sqlite_env, "deferred")

    assert any(code != 0 and "database is locked" in err for code, _out, err in results), results
