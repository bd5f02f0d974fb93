"""The settings: SQLite shared by the web process, the workers and beat at once; the
Content-Security-Policy on every page, HSTS and the proxy header with ``SECURE_COOKIES=1``,
and ``check --deploy`` in production settings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# Each process writes rows in transactions that read first (as the services do: a check, then
# a write). Under SQLite's default DEFERRED transactions a second writer that already read
# cannot take the lock and fails at once; under IMMEDIATE it waits its turn.
# Both writers start together: each says it is ready and waits for the other (on a loaded
# machine one process may otherwise finish before the other has started).
WRITER = """
import os, pathlib, sys, time
from django.db import connection, transaction
from disclosure.models import Body
if sys.argv[-1] == "deferred":
    connection.settings_dict["OPTIONS"]["transaction_mode"] = "DEFERRED"
name = sys.argv[-2]
folder = pathlib.Path(os.environ["VAR_DIR"])
(folder / f"ready-{name}").touch()
deadline = time.monotonic() + 120
while len(list(folder.glob("ready-*"))) < 2 and time.monotonic() < deadline:
    time.sleep(0.01)
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


POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def split_policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/no-such-page/",
        "/admin/login/",
        "/admin/",
        "/admin/disclosure/informationrequest/add/",
        "/admin/security/two-factor/",
        "/api/docs/",
        "/api/v1/public/reports/",
    ],
)
def test_every_page_carries_the_policy_without_inline_scripts(path):
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.get(path)
    assert response.status_code in (200, 302, 404)
    assert split_policy(response["Content-Security-Policy"]) == split_policy(POLICY)
    assert "'unsafe-inline'" not in split_policy(POLICY)["script-src"]


@pytest.mark.django_db
def test_the_swagger_ui_loads_its_start_script_from_a_file(client):
    page = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in page
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def production(**extra: str) -> dict[str, str]:
    """A production environment: DEBUG off, a key, HTTPS cookies, a throwaway SQLite."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_URL"))
    }
    environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "production-key-for-the-check-0123456789-abcdefghijklmnopq",
            "SECURE_COOKIES": "1",
            "ALLOWED_HOSTS": "disclosure.example.gov.cn",
            "DATABASE_URL": "sqlite:///:memory:",
            # collectstatic is not run here: plain static URLs instead of the manifest's.
            "STATIC_MANIFEST": "0",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **extra,
        }
    )
    return environ


def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=production(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_leaves_only_the_warning_the_readme_explains():
    result = run("manage.py", "check", "--deploy")
    assert result.returncode == 0, result.stderr
    # README "Security": HSTS preloading (security.W021) is the operator's decision.
    assert re.findall(r"\((\w+\.\w+)\)", result.stdout + result.stderr) == ["security.W021"]


HEADERS_SCRIPT = """
import django
django.setup()
from django.test import Client
secure = Client(HTTP_HOST="disclosure.example.gov.cn").get(
    "/no-such-page/", headers={"X-Forwarded-Proto": "https"}
)
plain = Client(HTTP_HOST="disclosure.example.gov.cn").get("/no-such-page/")
print(secure.status_code, secure.get("Strict-Transport-Security"))
print(plain.status_code, plain.get("Location"))
"""


def test_hsts_is_sent_over_https_when_secure_cookies_is_set():
    result = run("-c", HEADERS_SCRIPT)
    assert result.returncode == 0, result.stderr
    secure, plain = result.stdout.splitlines()
    assert secure == "404 max-age=31536000; includeSubDomains"
    assert plain == "301 https://disclosure.example.gov.cn/no-such-page/"


def test_hsts_is_off_without_secure_cookies():
    result = run("-c", HEADERS_SCRIPT, SECURE_COOKIES="0")
    assert result.returncode == 0, result.stderr
    secure, plain = result.stdout.splitlines()
    assert secure == "404 None"
    assert plain == "404 None"


def test_the_test_settings_are_not_the_production_ones():
    assert settings.SECURE_HSTS_SECONDS == 0
