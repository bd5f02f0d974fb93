"""django-axes wired to the product: the client's address (the same rule as the API
throttle) and the audit row of a lockout."""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from disclosure.accounts import services


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or with ``NUM_PROXIES`` reverse proxies the one
    they appended to X-Forwarded-For. It is DRF's ``get_ident``, so that a login lockout
    and the public API throttle count the same client; a value that is no IP address (a
    misconfigured proxy) falls back to the peer."""
    ident = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


class AuditedDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler (counters every worker shares, listed in the admin), plus an
    audit row when a lockout begins: when the failures reach the limit, not on each later
    attempt while locked out."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or not getattr(request, "axes_locked_out", False):
            return
        failures = getattr(request, "axes_failures_since_start", None)
        if failures == settings.AXES_FAILURE_LIMIT:
            services.lockout_record(
                username=get_client_username(request, credentials),
                address=request.axes_ip_address,
                failures=failures,
            )
