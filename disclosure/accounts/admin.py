"""Lockouts, the login log and two-factor devices in the admin, in Chinese. Superusers see
them (others only with the model permissions); lifting a lockout and removing a device go
through the services, each with an audit row."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.accounts import services
from disclosure.accounts.models import LoginFailure, LoginRecord, TwoFactorDevice
from disclosure.accounts.selectors import with_lockout_totals

# django-otp registers its own (English) device admin; ours replaces it.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class LockedFilter(admin.SimpleListFilter):
    title = gettext_lazy("状态")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return (("yes", _("已锁定")), ("no", _("未锁定")))

    def queryset(self, request, queryset):
        locked = Q(username_failures__gte=settings.AXES_FAILURE_LIMIT) | Q(
            address_failures__gte=settings.AXES_FAILURE_LIMIT
        )
        if self.value() == "yes":
            return queryset.filter(locked)
        if self.value() == "no":
            return queryset.exclude(locked)
        return queryset


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("last_failure", "login_name", "address", "failures", "status", "counts_until")
    list_display_links = None
    list_filter = (LockedFilter,)
    search_fields = ("username", "ip_address")
    search_help_text = gettext_lazy("按用户名或来源地址查找")
    ordering = ("-attempt_time",)
    actions = ("lift",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[LoginFailure]:
        return with_lockout_totals(super().get_queryset(request))

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("解除所选锁定"), permissions=["delete"])
    def lift(self, request: HttpRequest, queryset: QuerySet[LoginFailure]) -> None:
        removed = services.lockout_lift(actor=request.user, attempts=queryset)
        messages.success(
            request, _("已解除锁定，清除了 %(count)s 条登录失败计数。") % {"count": removed}
        )

    def delete_model(self, request: HttpRequest, obj: LoginFailure) -> None:
        services.lockout_lift(actor=request.user, attempts=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[LoginFailure]) -> None:
        services.lockout_lift(actor=request.user, attempts=queryset)

    @admin.display(description=gettext_lazy("最近一次失败"), ordering="attempt_time")
    def last_failure(self, obj: LoginFailure):
        return timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=gettext_lazy("用户名"), ordering="username")
    def login_name(self, obj: LoginFailure) -> str:
        return obj.username or "-"

    @admin.display(description=gettext_lazy("来源地址"), ordering="ip_address")
    def address(self, obj: LoginFailure) -> str:
        return obj.ip_address or "-"

    @admin.display(description=gettext_lazy("失败次数"), ordering="failures_since_start")
    def failures(self, obj: LoginFailure) -> int:
        return obj.failures_since_start

    @admin.display(description=gettext_lazy("状态"))
    def status(self, obj: LoginFailure) -> str:
        limit = settings.AXES_FAILURE_LIMIT
        if obj.username_failures >= limit:
            return _("已锁定（该用户名）")
        if obj.address_failures >= limit:
            return _("已锁定（该来源地址）")
        if not obj.username_failures and not obj.address_failures:
            return _("已过期，不再计数")
        left = limit - max(obj.username_failures, obj.address_failures)
        return _("未锁定，还可尝试 %(count)s 次") % {"count": left}

    @admin.display(description=gettext_lazy("计数有效至"))
    def counts_until(self, obj: LoginFailure) -> str:
        until = timezone.localtime(obj.attempt_time + settings.AXES_COOLOFF_TIME)
        return until.strftime("%Y-%m-%d %H:%M")


@admin.register(LoginRecord)
class LoginRecordAdmin(admin.ModelAdmin):
    list_display = ("login_time", "login_name", "address", "logout", "browser")
    list_display_links = None
    search_fields = ("username", "ip_address")
    search_help_text = gettext_lazy("按用户名或来源地址查找")
    ordering = ("-attempt_time",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("登录时间"), ordering="attempt_time")
    def login_time(self, obj: LoginRecord) -> str:
        return timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=gettext_lazy("用户名"), ordering="username")
    def login_name(self, obj: LoginRecord) -> str:
        return obj.username or "-"

    @admin.display(description=gettext_lazy("来源地址"), ordering="ip_address")
    def address(self, obj: LoginRecord) -> str:
        return obj.ip_address or "-"

    @admin.display(description=gettext_lazy("退出时间"), ordering="logout_time")
    def logout(self, obj: LoginRecord) -> str:
        if obj.logout_time is None:
            return "-"
        return timezone.localtime(obj.logout_time).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=gettext_lazy("浏览器"))
    def browser(self, obj: LoginRecord) -> str:
        return obj.user_agent[:80]


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Who has two-factor login; a superuser removes the device of a user who lost it (they
    enrol again). Secrets are never shown."""

    list_display = ("owner", "enabled_at", "used_at")
    list_display_links = None
    search_fields = ("user__username",)
    search_help_text = gettext_lazy("按用户名查找")
    list_select_related = ("user",)
    ordering = ("user__username",)
    actions = ("remove",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TwoFactorDevice]:
        return super().get_queryset(request).filter(confirmed=True)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # One's own device is disabled with a current code on the two-factor page.
        own = obj is not None and obj.user_id == request.user.pk
        return request.user.is_superuser and not own

    @admin.action(
        description=gettext_lazy("移除所选设备（用户须重新启用）"), permissions=["delete"]
    )
    def remove(self, request: HttpRequest, queryset: QuerySet[TwoFactorDevice]) -> None:
        removed = 0
        for device in queryset.select_related("user"):
            if device.user_id == request.user.pk:
                messages.warning(request, _("自己的设备请在“两步验证”页面用动态验证码停用。"))
                continue
            services.totp_device_delete(actor=request.user, device=device)
            removed += 1
        if removed:
            messages.success(request, _("已移除 %(count)s 个设备。") % {"count": removed})

    def delete_model(self, request: HttpRequest, obj: TwoFactorDevice) -> None:
        services.totp_device_delete(actor=request.user, device=obj)

    @admin.display(description=gettext_lazy("用户"), ordering="user__username")
    def owner(self, obj: TwoFactorDevice) -> str:
        return obj.user.get_username()

    @admin.display(description=gettext_lazy("设置时间"), ordering="created_at")
    def enabled_at(self, obj: TwoFactorDevice) -> str:
        if obj.created_at is None:
            return "-"
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=gettext_lazy("最近使用"), ordering="last_used_at")
    def used_at(self, obj: TwoFactorDevice) -> str:
        if obj.last_used_at is None:
            return "-"
        return timezone.localtime(obj.last_used_at).strftime("%Y-%m-%d %H:%M")


from disclosure.accounts import admin_users  # noqa: E402,F401  (users, groups, tokens)
