from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import django_otp
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.forms import AdminPasswordChangeForm as OwnPasswordChangeForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from disclosure.accounts import services
from disclosure.accounts.selectors import confirmed_device

TOKEN_HELP = _("手机验证器 App 中当前显示的 6 位数字。")


class TokenField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("动态验证码"))
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", TOKEN_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric", pattern="[0-9 ]*"
        )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login: username and password, and the code of the user's authenticator
    when they have enabled two-factor login. A missing or wrong code counts as a failed
    login for the lockout, like a wrong password."""

    otp_token = TokenField(
        required=False,
        help_text=_("已启用两步验证的账号填写验证器 App 中的 6 位数字；未启用的留空。"),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp_required": _("该账号已启用两步验证，请填写动态验证码。"),
        "otp_invalid": _("动态验证码不正确或已过期，请输入验证器当前显示的 6 位数字。"),
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.user_cache
        device = confirmed_device(user) if user is not None else None
        if device is None:
            return cleaned_data
        token = (cleaned_data.get("otp_token") or "").replace(" ", "")
        if not token:
            self._refuse(user, "otp_required")
        if django_otp.verify_token(user, device.persistent_id, token) is None:
            self._refuse(user, "otp_invalid")
        # django-otp marks the session as verified by this device when the login happens.
        user.otp_device = device
        return cleaned_data

    def _refuse(self, user, code: str) -> None:
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.get_username()},
            request=self.request,
        )
        self.user_cache = None
        raise forms.ValidationError(self.error_messages[code], code=code)


class TokenForm(forms.Form):
    token = TokenField()


# Who is setting a password on the admin's password page: Django's view builds the form
# without the request, and the form's save() must name the actor in the audit row.
_password_actor: ContextVar = ContextVar("password_actor", default=None)


@contextmanager
def password_actor(user) -> Iterator[None]:
    """Within this block the admin's password form saves as ``user``."""
    token = _password_actor.set(user)
    try:
        yield
    finally:
        _password_actor.reset(token)


class AuditedAdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """An administrator sets (or disables) another user's password: saved by the service."""

    def save(self, commit: bool = True):
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        return services.user_password_set(
            actor=_password_actor.get(), user=self.user, password=password
        )


class AuditedPasswordChangeForm(OwnPasswordChangeForm):
    """A user changes their own password (admin → 修改密码): saved by the service."""

    def save(self, commit: bool = True):
        return services.user_password_set(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"]
        )
