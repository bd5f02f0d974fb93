"""Users, permission groups and API tokens in the admin, every change through the services
of ``disclosure.accounts.services`` with its audit row. Users are deactivated, never deleted:
the audit trail keeps who did what."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from disclosure.accounts import services
from disclosure.accounts.forms import AuditedAdminPasswordChangeForm, password_actor

User = get_user_model()

for model in (User, Group, TokenProxy):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user pages, without deletion: 停用所选用户 instead."""

    change_password_form = AuditedAdminPasswordChangeForm
    actions = ("deactivate",)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        # Saved with its groups and permissions in save_related, by the service, in one row.
        pass

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        services.user_save(
            actor=request.user,
            user=form.instance,
            groups=form.cleaned_data.get("groups"),
            permissions=form.cleaned_data.get("user_permissions"),
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @transaction.atomic
    def user_change_password(self, request: HttpRequest, id, form_url: str = ""):
        with password_actor(request.user):
            return super().user_change_password(request, id, form_url)

    @admin.action(description=gettext_lazy("停用所选用户"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                messages.warning(request, _("不能停用自己的账号。"))
                continue
            if user.is_active:
                services.user_deactivate(actor=request.user, user=user)
                done += 1
        if done:
            messages.success(
                request,
                _("已停用 %(count)s 个用户：不能再登录或使用接口令牌，其操作记录保留。")
                % {"count": done},
            )


@admin.register(Group)
class AuditedGroupAdmin(GroupAdmin):
    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        pass  # saved with its permissions in save_related

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        services.group_save(
            actor=request.user,
            group=form.instance,
            permissions=form.cleaned_data.get("permissions"),
        )

    def delete_model(self, request: HttpRequest, obj) -> None:
        services.group_delete(actor=request.user, group=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for group in queryset:
            services.group_delete(actor=request.user, group=group)


@admin.register(TokenProxy)
class AuditedTokenAdmin(TokenAdmin):
    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        obj.key = services.token_create(actor=request.user, user=obj.user).key

    def delete_model(self, request: HttpRequest, obj) -> None:
        services.token_delete(actor=request.user, token=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for token in queryset:
            services.token_delete(actor=request.user, token=token)
