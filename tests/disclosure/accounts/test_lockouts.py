"""Login lockouts (django-axes with ``disclosure.accounts.lockouts``): counted per username and per
address, a cool-off, audited, and lifted by an administrator."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.accounts.lockouts import client_address
from disclosure.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "Korrekt-Pferd-2024"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clerk():
    user = UserFactory(username="clerk")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.5"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_twenty_wrong_passwords_keep_the_right_one_out_until_the_cool_off_ends(clerk):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(20):
            attempt(client, "clerk", "wrong-password")
            clock.shift(datetime.timedelta(seconds=5))
        last_failure = START + datetime.timedelta(seconds=95)

        refused = attempt(client, "clerk", PASSWORD)
        assert refused.status_code == 429
        assert not logged_in(client)

        # The attempt with the right password was itself a failure: the 30 minutes of the
        # cool-off run from it.
        clock.move_to(last_failure + datetime.timedelta(minutes=29))
        assert attempt(client, "clerk", PASSWORD).status_code == 429
        assert not logged_in(client)

        clock.move_to(last_failure + datetime.timedelta(minutes=29 + 30, seconds=1))
        response = attempt(client, "clerk", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert logged_in(client)


def test_nine_failures_leave_the_login_open_and_the_tenth_locks_it(clerk):
    client = Client()
    for _ in range(9):
        assert attempt(client, "clerk", "wrong-password").status_code == 200
    locking = attempt(client, "clerk", "wrong-password")
    assert locking.status_code == 429
    assert attempt(client, "clerk", PASSWORD).status_code == 429
    assert not logged_in(client)


def test_nine_failures_then_the_right_password_log_in(clerk):
    client = Client()
    for _ in range(9):
        attempt(client, "clerk", "wrong-password")
    assert attempt(client, "clerk", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lockout_page_says_why_and_for_how_long_in_chinese(clerk):
    client = Client()
    for _ in range(10):
        response = attempt(client, "clerk", "wrong-password")
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录失败次数过多，已暂时锁定（429）" in page
    assert "连续登录失败已达 10 次" in page
    assert "最后一次尝试 30 分钟后自动解除锁定" in page
    assert '<a href="/admin/login/">返回登录页</a>' in page


def test_a_username_is_locked_from_every_address(clerk):
    for number in range(10):
        attempt(Client(), "clerk", "wrong-password", address=f"10.0.1.{number}")
    client = Client()
    assert attempt(client, "clerk", PASSWORD, address="10.0.2.1").status_code == 429
    assert not logged_in(client)


def test_an_address_is_locked_for_every_username(clerk):
    for number in range(10):
        attempt(Client(), f"guess{number}", "wrong-password", address="10.0.3.3")
    client = Client()
    assert attempt(client, "clerk", PASSWORD, address="10.0.3.3").status_code == 429
    assert not logged_in(client)
    # The same account from another address is not concerned.
    other = Client()
    assert attempt(other, "clerk", PASSWORD, address="10.0.3.4").status_code == 302


def test_a_lockout_leaves_one_audit_row_naming_the_account_and_the_address(clerk):
    client = Client()
    for _ in range(14):
        attempt(client, "clerk", "wrong-password", address="10.0.4.4")
    entry = AuditEntry.objects.get(action="login_lockout")
    assert entry.actor is None
    assert entry.object_id == str(clerk.pk)
    assert entry.content_type.model == "user"
    assert entry.changes == {"username": "clerk", "ip_address": "10.0.4.4", "failures": 10}
    assert entry.note == "登录连续失败 10 次，已锁定：用户名 clerk，来源地址 10.0.4.4。"


def test_a_lockout_of_a_username_that_is_no_account_names_the_failure_counter(db):
    for _ in range(10):
        attempt(Client(), "nobody", "wrong-password", address="10.0.5.5")
    entry = AuditEntry.objects.get(action="login_lockout")
    counter = AccessAttempt.objects.get()
    assert entry.object_id == str(counter.pk)
    assert entry.object_repr == "nobody @ 10.0.5.5"
    assert entry.changes == {"username": "nobody", "ip_address": "10.0.5.5", "failures": 10}


def test_a_wrong_two_factor_code_counts_as_a_failed_login(clerk):
    TOTPDevice.objects.create(user=clerk, name="authenticator", confirmed=True)
    client = Client()
    for _ in range(10):
        response = client.post(
            LOGIN,
            {"username": "clerk", "password": PASSWORD, "otp_token": "000000"},
            REMOTE_ADDR="10.0.6.6",
        )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 10


def test_client_address_ignores_forwarded_for_without_proxies(rf, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "192.0.2.1"


def test_client_address_takes_the_address_the_proxy_appended(rf, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_client_address_falls_back_to_the_peer_when_forwarded_for_is_no_address(rf, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="unknown")
    assert client_address(request) == "192.0.2.1"
