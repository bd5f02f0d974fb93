from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logins: lockouts after failed attempts, two-factor codes, idle sessions, and the
    shared cache table the throttles and other workers' counters live in."""

    name = "accounts"
    verbose_name = _("账号与登录安全")
