"""Admin sessions end after ``SESSION_IDLE_TIMEOUT_MINUTES`` unused, and a session of a user
with two-factor login must have been verified by it."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from disclosure.accounts.selectors import confirmed_device, requires_two_factor

LAST_SEEN_KEY = "accounts_last_seen"
# The stamp is rewritten at most once a minute, not on every request (a session write).
LAST_SEEN_RESOLUTION = 60


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen >= idle_timeout_seconds():
                logout(request)
                messages.info(
                    request,
                    _("已超过 %(minutes)s 分钟未操作，为安全起见已自动退出，请重新登录。")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES},
                )
            elif last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def idle_timeout_seconds() -> int:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def start_idle_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """At login (``user_logged_in``): the session's first activity, so that its first
    request does not have to write the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class TwoFactorMiddleware:
    """After django-otp's ``OTPMiddleware``. A session that no device verified:

    - of a user who has a device (the session began before they enabled it): logged out,
      they log in again with a code;
    - of a user of whom ``ADMIN_2FA_REQUIRED`` asks it: sent to enrol before anything else
      (the API answers 403).

    API token access never has a session and is not concerned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        if SESSION_KEY not in request.session:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if confirmed_device(user) is not None:
            logout(request)
            messages.info(request, _("您的账号已启用两步验证，请使用动态验证码重新登录。"))
            return None
        if not requires_two_factor(user) or request.path_info in allowed_paths():
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("按系统安全规定，您须先启用两步验证，才能继续使用。")}, status=403
            )
        # The page says why.
        return redirect("accounts:two_factor")


def allowed_paths() -> set[str]:
    """What a user who must enrol first may still open."""
    return {
        reverse("accounts:two_factor"),
        reverse("admin:logout"),
        reverse("admin:jsi18n"),
        reverse("set_language"),
    }
