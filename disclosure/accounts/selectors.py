"""Reads about logins: a user's two-factor device, whether two-factor login is required of
them, and the failure counters with their lockout status."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.access import has_role_somewhere
from disclosure.vocab import Role


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device (enrolment keeps at most one)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user, *, for_update: bool = False) -> TOTPDevice | None:
    """The device of an enrolment begun and not yet confirmed with a code (``for_update``:
    locked until the end of the transaction, for the code's check)."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk")
    if for_update:
        devices = devices.select_for_update()
    return devices.first()


def requires_two_factor(user) -> bool:
    """Whether ``ADMIN_2FA_REQUIRED`` applies to the user: superusers and 审核发布 holders."""
    if not settings.ADMIN_2FA_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or has_role_somewhere(user, Role.PUBLISH)


def cool_off_start(now: datetime.datetime) -> datetime.datetime:
    """Failures before this moment no longer count."""
    return now - settings.AXES_COOLOFF_TIME


def with_lockout_totals(
    queryset: QuerySet[AccessAttempt], now: datetime.datetime | None = None
) -> QuerySet[AccessAttempt]:
    """Failure counters annotated with the sums that decide a lockout: ``username_failures``
    (the username's failures from every address) and ``address_failures`` (the address's
    for every username), both within the cool-off; 0 once the counters have expired."""
    since = cool_off_start(now or timezone.now())
    current = AccessAttempt.objects.filter(attempt_time__gte=since)

    def total(field: str) -> Subquery:
        return Subquery(
            current.filter(**{field: OuterRef(field)})
            .order_by()
            .values(field)
            .annotate(total=Sum("failures_since_start"))
            .values("total")[:1],
            output_field=IntegerField(),
        )

    zero = Value(0, output_field=IntegerField())
    return queryset.annotate(
        username_failures=Coalesce(total("username"), zero),
        address_failures=Coalesce(total("ip_address"), zero),
    )
