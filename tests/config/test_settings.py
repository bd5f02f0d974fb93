"""Security settings: the Content-Security-Policy on every page, HSTS and the proxy header
with ``SECURE_COOKIES=1``, and ``check --deploy`` in production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
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
