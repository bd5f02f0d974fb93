"""Logins and the Content-Security-Policy in a real browser (Debian's Chromium): no page of
the admin, the public site or Swagger UI breaks the policy, two-factor enrolment and login
work with real codes, and the lockout and error pages read in Chinese. Screenshots go to
``BROWSER_SHOTS`` (default: the test's temporary folder) for a person to look at."""

from __future__ import annotations

import base64
import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from reports.models import Report
from tests.browser.conftest import DESKTOP
from tests.reports.public_data import build_site

PASSWORD = "Lanzhou-Bridge-Rain-7"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations():
    return []


@pytest.fixture
def page(browser, violations):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    # Chromium reports each refused script, style or connection on the console.
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BROWSER_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "", PASSWORD)


def log_in(page, base: str, username: str = "root", code: str = "") -> None:
    page.goto(base + "/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    if code:
        page.get_by_label("动态验证码").fill(code)
    page.get_by_role("button", name="登录").click()


def test_no_page_breaks_the_content_security_policy(live_server, page, violations, root, shots):
    build_site()
    base = live_server.url
    log_in(page, base)
    page.wait_for_url(base + "/admin/")
    page.screenshot(path=shots / "admin-index.png", full_page=True)

    # A change form with autocomplete: its script runs and asks the server for bodies.
    page.goto(base + "/admin/disclosure/informationrequest/add/")
    page.screenshot(path=shots / "request-add.png", full_page=True)
    page.locator(".field-body .select2-selection").click()
    page.locator(".select2-results__option", has_text="武威市人民政府").first.wait_for()
    page.screenshot(path=shots / "request-add-autocomplete.png")
    page.keyboard.press("Escape")

    report = Report.objects.get(body__code="wuwei", year=2023)
    page.goto(f"{base}/admin/reports/report/{report.pk}/change/")
    page.get_by_role("heading", name="报告概况").wait_for()
    page.screenshot(path=shots / "report-change.png")

    for path in ("/", "/reports/wuwei/", "/reports/wuwei/2023/", "/no-such-page/"):
        page.goto(base + path)
    page.screenshot(path=shots / "public-404.png")

    page.goto(base + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    page.screenshot(path=shots / "swagger.png")

    assert violations == []


def totp_code(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    return f"{totp.token():06d}"


def test_a_staff_user_enrols_in_two_factor_login_and_logs_in_with_a_code(
    live_server, page, violations, root, shots
):
    base = live_server.url
    log_in(page, base)
    page.wait_for_url(base + "/admin/")
    page.get_by_role("link", name="两步验证", exact=True).click()
    page.screenshot(path=shots / "two-factor-start.png", full_page=True)
    page.get_by_role("button", name="开始启用").click()
    page.locator(".qr-code svg").wait_for()
    page.screenshot(path=shots / "two-factor-qr.png", full_page=True)
    secret = page.locator("code.secret").inner_text()

    page.get_by_label("动态验证码").fill(totp_code(secret))
    page.get_by_role("button", name="确认启用").click()
    page.get_by_text("两步验证已启用。").wait_for()
    page.screenshot(path=shots / "two-factor-enabled.png", full_page=True)

    page.get_by_role("button", name="注销").click()
    log_in(page, base)
    page.get_by_text("该账号已启用两步验证，请填写动态验证码。").wait_for()
    page.screenshot(path=shots / "login-code-missing.png", full_page=True)

    # A code is accepted once: the login uses the next one.
    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=30)
    ):
        log_in(page, base, code=totp_code(secret))
        page.wait_for_url(base + "/admin/")
    assert violations == []


def test_the_tenth_wrong_password_shows_the_lockout_page(live_server, page, root, shots):
    base = live_server.url
    for _ in range(10):
        page.goto(base + "/admin/login/")
        page.get_by_label("用户名").fill("root")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
    heading = page.locator("h1").inner_text()
    page.screenshot(path=shots / "lockout.png", full_page=True)
    assert heading == "登录失败次数过多，已暂时锁定（429）"


def test_when_required_a_superuser_lands_on_enrolment_and_sees_the_lockouts_after(
    live_server, page, violations, root, shots, settings
):
    settings.ADMIN_2FA_REQUIRED = True
    base = live_server.url
    for _ in range(3):
        page.goto(base + "/admin/login/")
        page.get_by_label("用户名").fill("wuwei-staff")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
    log_in(page, base)
    page.wait_for_url(base + "/admin/security/two-factor/")
    page.get_by_text("须启用两步验证后才能继续使用管理后台和接口").wait_for()
    page.screenshot(path=shots / "two-factor-required.png", full_page=True)
    page.goto(base + "/admin/accounts/loginfailure/")
    assert page.url == base + "/admin/security/two-factor/"

    page.get_by_role("button", name="开始启用").click()
    page.get_by_label("动态验证码").fill(totp_code(page.locator("code.secret").inner_text()))
    page.get_by_role("button", name="确认启用").click()
    page.get_by_text("两步验证已启用。").wait_for()
    page.goto(base + "/admin/accounts/loginfailure/")
    page.get_by_text("未锁定，还可尝试 7 次").wait_for()
    page.screenshot(path=shots / "lockouts.png", full_page=True)
    page.goto(base + "/admin/accounts/twofactordevice/")
    page.get_by_role("cell", name="root", exact=True).wait_for()
    page.screenshot(path=shots / "devices.png", full_page=True)
    assert violations == []
