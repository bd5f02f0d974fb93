"""Password rules (``AUTH_PASSWORD_VALIDATORS``) and the passwords the product generates."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kx8#mQ2!pLz", "密码太短，至少需要 12 个字符。"),
        ("password1234", "这个密码太常见了。"),
        ("202403150917", "密码只包含数字。"),
        ("wuwei-staff-2024", "密码跟 用户名 太相似了。"),
    ],
)
def test_a_weak_password_is_refused_with_a_chinese_reason(password, message):
    user = get_user_model()(username="wuwei-staff")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert message in refused.value.messages


def test_a_long_uncommon_password_passes():
    user = get_user_model()(username="wuwei-staff")
    validate_password("Lanzhou-Bridge-Rain-7", user)


def test_bootstrap_refuses_a_weak_admin_password(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "admin123")
    with pytest.raises(CommandError, match="ADMIN_PASSWORD 不符合密码规则"):
        call_command("bootstrap")
    assert not get_user_model().objects.exists()


def test_bootstrap_generates_an_admin_password_that_passes_the_rules(monkeypatch, capsys):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(
        "disclosure.management.commands.bootstrap.call_command", lambda *a, **k: None
    )
    call_command("bootstrap")
    line = next(line for line in capsys.readouterr().out.splitlines() if "admin 的密码" in line)
    password = line.split("：", 1)[1].split("（", 1)[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password)
    validate_password(password, admin)
