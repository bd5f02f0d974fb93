from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_home_page_says_what_the_site_is(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "政府信息公开工作年度报告" in response.content.decode()


@pytest.mark.django_db
def test_admin_login_is_in_chinese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "用户名" in response.content.decode()


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_compose_runs_postgres_15_with_health_check_and_web_waits_for_it():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    db = services["db"]
    assert db["image"].startswith("postgres:15")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.split(":")[0] in compose["volumes"] for volume in db["volumes"])
    web = services["web"]
    assert web["build"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    command = web["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert "migrate" in command
    assert "gunicorn" in command
    assert "DATABASE_URL" in web["environment"]


def test_compose_runs_workers_and_beat_on_a_healthy_redis_with_the_webs_settings():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["redis"]["image"].startswith("redis:")
    assert "redis-cli" in " ".join(services["redis"]["healthcheck"]["test"])
    assert services["web"]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    for name, command in (("worker", "celery -A config worker"), ("beat", "celery -A config beat")):
        service = services[name]
        assert service["command"].startswith(command)
        assert service["environment"] == services["web"]["environment"]
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    # Result files and uploads are written by workers and served by the web.
    assert services["worker"]["volumes"] == services["web"]["volumes"]


def test_dockerfile_installs_pdf_libraries_and_cjk_font():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk"):
        assert package in dockerfile


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client):
    page = client.get("/admin/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "用户名" in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/admin/login/", headers={"accept-language": "zh-CN"})
    assert "Username" in page.content.decode()


@pytest.mark.django_db
def test_bootstrap_creates_admin_once_with_the_given_password(monkeypatch):
    import io

    from django.contrib.auth import get_user_model

    from tests.factories import BodyFactory

    BodyFactory()  # not an empty database: no demo is loaded
    monkeypatch.setenv("ADMIN_PASSWORD", "first-Pass-123")
    call_command("bootstrap", stdout=io.StringIO())
    monkeypatch.setenv("ADMIN_PASSWORD", "second-Pass-456")
    call_command("bootstrap", stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("first-Pass-123")
