"""The two-factor page of the admin, the lockout page and the Chinese CSRF failure page."""

from __future__ import annotations

import base64

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.accounts import services
from disclosure.accounts.forms import AuditedPasswordChangeForm, TokenForm
from disclosure.accounts.selectors import confirmed_device, pending_device, requires_two_factor


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's ``otpauth://`` address as an inline SVG QR code, drawn here: the secret
    goes to the user's browser and to no QR code service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return mark_safe(image.to_string(encoding="unicode"))  # our own drawing, no input in it


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps where it is typed in."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def two_factor(request: HttpRequest) -> HttpResponse:
    """One's own two-factor login: start (a new secret, shown as a QR code), confirm (a code
    from the app puts it in force) or disable (with a current code)."""
    user = request.user
    device = confirmed_device(user)
    form = TokenForm()
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "start" and device is None:
            services.totp_device_start(user=user)
            return redirect("accounts:two_factor")
        form = TokenForm(request.POST)
        if step in ("confirm", "disable") and form.is_valid():
            token = form.cleaned_data["token"]
            try:
                if step == "confirm" and device is None:
                    device = services.totp_device_confirm(user=user, token=token)
                    # This session is verified by the new device: no second login needed.
                    django_otp.login(request, device)
                    messages.success(
                        request, _("两步验证已启用。今后登录时须填写验证器中的动态验证码。")
                    )
                    return redirect("accounts:two_factor")
                if step == "disable" and device is not None:
                    services.totp_device_delete(actor=user, device=device, token=token)
                    messages.success(request, _("两步验证已停用。"))
                    return redirect("accounts:two_factor")
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
    pending = None if device is not None else pending_device(user)
    context = {
        **admin.site.each_context(request),
        "title": _("两步验证"),
        "device": device,
        "pending": pending,
        "qr_code": qr_code_svg(pending) if pending else "",
        "secret": secret_for_typing(pending) if pending else "",
        "form": form,
        "required": requires_two_factor(user),
    }
    return TemplateResponse(request, "accounts/two_factor.html", context)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a login refused for too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": minutes,
        "login_url": request.path,
    }
    return render(request, "429.html", context, status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, in Chinese and in the site's style (``CSRF_FAILURE_VIEW``)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def password_change(request: HttpRequest):
    """The admin's 修改密码 page (Django's), saving through the audited service."""
    return PasswordChangeView.as_view(
        form_class=AuditedPasswordChangeForm,
        success_url=reverse("admin:password_change_done"),
        extra_context=admin.site.each_context(request),
    )(request)
