"""The lockout list, the login log and the two-factor devices in the admin."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.models import AuditEntry
from tests.disclosure.accounts.test_lockouts import PASSWORD, attempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKOUTS = "/admin/accounts/loginfailure/"
DEVICES = "/admin/accounts/twofactordevice/"


@pytest.fixture
def clerk():
    user = UserFactory(username="clerk")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def root():
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def admin_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


def lock_out(username: str = "clerk", address: str = "10.0.7.7") -> None:
    for _ in range(10):
        attempt(Client(), username, "wrong-password", address=address)


def test_the_lockout_list_shows_who_is_locked_from_where(admin_client, clerk):
    lock_out()
    attempt(Client(), "someone", "wrong-password", address="10.0.8.8")
    page = admin_client.get(LOCKOUTS).content.decode()
    assert "登录失败与锁定" in page
    assert '<td class="field-login_name">clerk</td>' in page
    assert '<td class="field-address">10.0.7.7</td>' in page
    assert "已锁定（该用户名）" in page
    assert "未锁定，还可尝试 9 次" in page
    locked = admin_client.get(LOCKOUTS + "?locked=yes").content.decode()
    assert "clerk" in locked
    assert "someone" not in locked


def test_lifting_a_lockout_lets_the_user_in_and_is_audited(admin_client, root, clerk):
    lock_out()
    counter = AccessAttempt.objects.get()
    response = admin_client.post(
        LOCKOUTS, {"action": "lift", "_selected_action": [counter.pk]}, follow=True
    )
    assert "已解除锁定，清除了 1 条登录失败计数。" in response.content.decode()
    assert AccessAttempt.objects.count() == 0
    entry = AuditEntry.objects.get(action="login_lockout_lift")
    assert entry.actor == root
    assert entry.object_id == str(clerk.pk)
    assert entry.changes == {"username": "clerk", "ip_address": "10.0.7.7", "failures": 10}
    assert entry.note == "解除登录锁定：用户名 clerk，来源地址 10.0.7.7。"

    client = Client()
    assert attempt(client, "clerk", PASSWORD, address="10.0.7.7").status_code == 302
    assert SESSION_KEY in client.session


def test_lifting_clears_the_username_from_every_address(admin_client, clerk):
    for number in range(10):
        attempt(Client(), "clerk", "wrong-password", address=f"10.0.9.{number}")
    first = AccessAttempt.objects.filter(ip_address="10.0.9.0").get()
    admin_client.post(LOCKOUTS, {"action": "lift", "_selected_action": [first.pk]})
    assert AccessAttempt.objects.count() == 0


def test_a_staff_user_without_the_permission_sees_no_lockouts(clerk):
    lock_out()
    client = Client()
    client.force_login(UserFactory(username="staff"))
    assert client.get(LOCKOUTS).status_code == 403
    assert client.post(LOCKOUTS, {"action": "lift", "_selected_action": [1]}).status_code == 403
    assert AccessAttempt.objects.count() == 1


def test_the_login_log_lists_successful_logins(admin_client, clerk):
    attempt(Client(), "clerk", PASSWORD, address="10.0.10.10")
    assert AccessLog.objects.filter(username="clerk").count() == 1
    page = admin_client.get("/admin/accounts/loginrecord/").content.decode()
    assert "登录记录" in page
    assert "10.0.10.10" in page


def test_a_superuser_removes_a_lost_device_and_it_is_audited(admin_client, root, clerk):
    device = TOTPDevice.objects.create(user=clerk, name="authenticator", confirmed=True)
    page = admin_client.get(DEVICES).content.decode()
    assert "两步验证设备" in page
    assert device.key not in page
    response = admin_client.post(
        DEVICES, {"action": "remove", "_selected_action": [device.pk]}, follow=True
    )
    assert "已移除 1 个设备。" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    entry = AuditEntry.objects.get(action="two_factor_remove")
    assert (entry.actor, entry.object_id) == (root, str(clerk.pk))


def test_a_superuser_cannot_remove_their_own_device_from_the_list(admin_client, root):
    device = TOTPDevice.objects.create(user=root, name="authenticator", confirmed=True)
    # Their session was verified by the device (as a login with its code would have done).
    session = admin_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = admin_client.post(
        DEVICES, {"action": "remove", "_selected_action": [device.pk]}, follow=True
    )
    assert "自己的设备请在“两步验证”页面用动态验证码停用。" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert admin_client.post(f"{DEVICES}{device.pk}/delete/", {"post": "yes"}).status_code == 403
    assert not AuditEntry.objects.exists()
