"""The lockout counters and login log of django-axes and the TOTP devices of django-otp,
under Chinese names for the admin (proxies: the tables are the libraries')."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessLog
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginFailure(AccessAttempt):
    """Failed logins counted for one username from one address (and browser) since the
    cool-off began; the username's and the address's sums decide a lockout."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败与锁定")
        verbose_name_plural = _("登录失败与锁定")

    def __str__(self) -> str:
        return f"{self.username or '-'} @ {self.ip_address or '-'}"


class LoginRecord(AccessLog):
    class Meta:
        proxy = True
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address}"


class TwoFactorDevice(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = _("两步验证设备")
        verbose_name_plural = _("两步验证设备")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"
