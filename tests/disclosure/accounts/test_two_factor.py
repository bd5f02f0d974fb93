"""Two-factor login (django-otp TOTP): enrolment from the admin, the code at login, the
setting that requires it, and API tokens that it leaves alone. Codes are real TOTP codes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from disclosure.accounts.views import secret_for_typing
from disclosure.models import AuditEntry
from disclosure.vocab import Role
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PAGE = "/admin/security/two-factor/"
PASSWORD = "Korrekt-Pferd-2024"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=30)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clerk():
    user = UserFactory(username="clerk")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def enrolled(clerk, clock):
    device = TOTPDevice.objects.create(user=clerk, name="authenticator", confirmed=True)
    return device


def login(client: Client, username: str = "clerk", token: str = ""):
    return client.post(
        LOGIN,
        {"username": username, "password": PASSWORD, "otp_token": token, "next": "/admin/"},
    )


def logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- enrolment -----------------------------------------------------------------------------


def test_a_staff_user_enrols_by_scanning_and_confirming_a_code(clerk, clock):
    client = Client()
    client.force_login(clerk)
    first = client.get(PAGE).content.decode()
    assert "开始启用" in first
    assert not TOTPDevice.objects.exists()

    client.post(PAGE, {"step": "start"})
    device = TOTPDevice.objects.get(user=clerk)
    assert device.confirmed is False
    page = client.get(PAGE).content.decode()
    assert "<svg" in page
    assert "第一步：用验证器 App 扫描二维码" in page

    clock.shift(STEP)
    response = client.post(PAGE, {"step": "confirm", "token": code(device)}, follow=True)
    assert "两步验证已启用。今后登录时须填写验证器中的动态验证码。" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is True
    entry = AuditEntry.objects.get(action="two_factor_enable")
    assert (entry.actor, entry.object_id) == (clerk, str(clerk.pk))
    # The session that enrolled is verified: it goes on without a second login.
    assert client.get("/admin/").status_code == 200


def test_the_qr_code_carries_the_secret_the_page_shows_for_typing(clerk, clock):
    client = Client()
    client.force_login(clerk)
    client.post(PAGE, {"step": "start"})
    device = TOTPDevice.objects.get(user=clerk)
    page = client.get(PAGE).content.decode()
    secret = secret_for_typing(device)
    assert len(secret.replace(" ", "")) == 32
    assert f'<code class="secret">{secret}</code>' in page
    assert "secret=" + secret.replace(" ", "") in device.config_url


def test_a_wrong_code_does_not_enable_it(clerk, clock):
    client = Client()
    client.force_login(clerk)
    client.post(PAGE, {"step": "start"})
    device = TOTPDevice.objects.get(user=clerk)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(PAGE, {"step": "confirm", "token": wrong})
    assert "验证码不正确或已过期，请输入验证器当前显示的 6 位数字。" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert device.throttling_failure_count == 1
    assert not AuditEntry.objects.exists()


def test_disabling_takes_a_current_code_and_is_audited(clerk, enrolled, clock):
    client = Client()
    clock.shift(STEP)
    login(client, token=code(enrolled))
    assert logged_in(client)
    refused = client.post(PAGE, {"step": "disable", "token": "123456"})
    assert "验证码不正确" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=enrolled.pk).exists()

    clock.shift(STEP * 2)  # past the throttle's wait and to a new code
    response = client.post(PAGE, {"step": "disable", "token": code(enrolled)}, follow=True)
    assert "两步验证已停用。" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert AuditEntry.objects.filter(action="two_factor_disable", actor=clerk).count() == 1


# --- login -----------------------------------------------------------------------------------


def test_the_login_asks_for_the_code_once_it_is_enabled(enrolled, clock):
    client = Client()
    response = login(client)
    assert response.status_code == 200
    assert "该账号已启用两步验证，请填写动态验证码。" in response.content.decode()
    assert not logged_in(client)


def test_a_wrong_code_refuses_the_login(enrolled, clock):
    client = Client()
    wrong = f"{(int(code(enrolled)) + 500_000) % 1_000_000:06d}"
    response = login(client, token=wrong)
    assert "动态验证码不正确或已过期" in response.content.decode()
    assert not logged_in(client)


def test_the_right_code_logs_in_and_verifies_the_session(enrolled, clock):
    client = Client()
    clock.shift(STEP)
    response = login(client, token=code(enrolled))
    assert response.status_code == 302
    assert logged_in(client)
    assert client.session["otp_device_id"] == enrolled.persistent_id
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(enrolled, clock):
    clock.shift(STEP)
    token = code(enrolled)
    assert login(Client(), token=token).status_code == 302
    replay = Client()
    assert login(replay, token=token).status_code == 200
    assert not logged_in(replay)


def test_a_user_without_two_factor_logs_in_with_the_password_alone(clerk):
    client = Client()
    assert login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_session_opened_before_enrolment_must_log_in_again(clerk, clock):
    elsewhere = Client()
    elsewhere.force_login(clerk)
    TOTPDevice.objects.create(user=clerk, name="authenticator", confirmed=True)
    response = elsewhere.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not logged_in(elsewhere)


# --- required ------------------------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.ADMIN_2FA_REQUIRED = True


@pytest.fixture
def publisher(clerk):
    MembershipFactory(user=clerk, body=BodyFactory(), role=Role.PUBLISH)
    return clerk


def test_when_required_a_publisher_is_sent_to_enrol_before_anything_else(required, publisher):
    client = Client()
    client.force_login(publisher)
    for path in ("/admin/", "/admin/disclosure/informationrequest/", "/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, PAGE)
    page = client.get(PAGE).content.decode()
    assert "须启用两步验证后才能继续使用管理后台和接口" in page


def test_when_required_the_api_refuses_an_unenrolled_session(required, publisher):
    client = Client()
    client.force_login(publisher)
    response = client.get("/api/v1/requests/")
    assert response.status_code == 403
    assert response.json() == {"detail": "按系统安全规定，您须先启用两步验证，才能继续使用。"}


def test_when_required_an_api_token_still_works(required, publisher):
    token = Token.objects.create(user=publisher)
    response = Client().get("/api/v1/requests/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_when_required_a_superuser_is_sent_to_enrol(required):
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get("/admin/")["Location"] == PAGE


def test_when_required_an_editor_is_not_concerned(required, clerk):
    MembershipFactory(user=clerk, body=BodyFactory(), role=Role.EDIT)
    client = Client()
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 200


def test_when_required_it_cannot_be_disabled(required, publisher, enrolled, clock):
    client = Client()
    clock.shift(STEP)
    login(client, token=code(enrolled))
    page = client.get(PAGE).content.decode()
    assert "不能停用" in page
    clock.shift(STEP)
    response = client.post(PAGE, {"step": "disable", "token": code(enrolled)})
    assert "您的账号必须使用两步验证，不能停用。" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=enrolled.pk).exists()
    assert not AuditEntry.objects.filter(action="two_factor_disable").exists()


def test_when_required_an_enrolled_publisher_works_as_usual(required, publisher, enrolled, clock):
    client = Client()
    clock.shift(STEP)
    login(client, token=code(enrolled))
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/requests/").status_code == 200
