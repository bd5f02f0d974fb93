from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logins: lockouts after failed attempts, two-factor codes, idle sessions, and the
    shared cache table the throttles and other workers' counters live in."""

    name = "disclosure.accounts"
    label = "accounts"
    verbose_name = _("账号与登录安全")

    def ready(self) -> None:
        from disclosure.accounts.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts.start_idle_clock")
