"""The body tree and who works where (memberships)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import access, admin_views, services
from disclosure.admin.access import has_role_at, has_role_somewhere, is_autocomplete
from disclosure.admin.base import HistoryMixin, StaleEditMixin, badge
from disclosure.admin.filters import BodySubtreeFilter, BodyTreeSubtreeFilter, local_today
from disclosure.models import Body, BodyMove, Membership
from disclosure.vocab import Role


class BodyMoveInline(admin.TabularInline):
    """The body's reorganisations, read-only: they are made on the 调整隶属 page."""

    model = BodyMove
    fk_name = "body"
    fields = ("moved_on", "old_parent", "new_parent", "note", "recorded_at")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = gettext_lazy("隶属调整记录")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None or has_role_at(request, obj.pk, Role.VIEW)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AbolishedFilter(admin.SimpleListFilter):
    title = gettext_lazy("是否撤销")
    parameter_name = "abolished"

    def lookups(self, request, model_admin):
        return [("no", _("现存")), ("yes", _("已撤销"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(abolished_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(abolished_on__isnull=False)
        return queryset


@admin.register(Body)
class BodyAdmin(StaleEditMixin, HistoryMixin, admin.ModelAdmin):
    """The tree, indented by depth. Never deleted: abolished or moved through the services."""

    list_display = (
        "tree_name",
        "code",
        "kind",
        "phone",
        "report_deadline_display",
        "state",
    )
    list_display_links = ("tree_name",)
    list_filter = (BodyTreeSubtreeFilter, "kind", AbolishedFilter)
    search_fields = ("name", "=code")
    ordering = ("path",)
    list_per_page = 200
    inlines = (BodyMoveInline,)
    change_form_template = "admin/disclosure/body/change_form.html"
    change_list_template = "admin/disclosure/import/change_list.html"
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "parent")}),
        (
            gettext_lazy("联系信息（年度报告开头段引用）"),
            {"fields": ("address", "postcode", "phone", "website")},
        ),
        (
            gettext_lazy("年度报告期限"),
            {"fields": ("report_deadline_display", "report_deadline_month", "report_deadline_day")},
        ),
        (
            gettext_lazy("设立与撤销"),
            {"fields": ("established_on", "abolished_on", "successor")},
        ),
    )

    class Media:
        css = {"all": ("disclosure/admin.css",)}

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return has_role_at(request, obj.pk, Role.VIEW)

    # A membership gives no power over the body itself (``access.can_change_body_master``):
    # its publishers keep the contact details, the publishers above it everything else.

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.PUBLISH)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.PUBLISH)
        return has_role_at(request, obj.pk, Role.PUBLISH)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def may_change_master(self, request: HttpRequest, obj: Body | None) -> bool:
        return obj is None or access.can_change_body_master(request.user, obj)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = ["report_deadline_display", "abolished_on", "successor"]
        if obj is not None:
            # A dated reorganisation is a move (调整隶属), so that the old tree stays readable.
            readonly.append("parent")
            if not self.may_change_master(request, obj):
                readonly += [name for name in access.BODY_MASTER_FIELDS if name not in readonly]
        return readonly

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = access.bodies_with_role(request.user, Role.PUBLISH).order_by(
                "path"
            )
            kwargs["required"] = not access.may_place_at_top(request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent":
            field.label_from_instance = lambda body: "\u3000" * body.depth + body.name
        return field

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete(request):
            # Autocomplete feeds forms that write: only bodies the user enters records for.
            role = Role.PUBLISH if request.GET.get("model_name") == "membership" else Role.EDIT
            queryset = queryset.filter(pk__in=access.bodies_with_role(request.user, role))
        return queryset, duplicates

    @admin.display(description=gettext_lazy("机构名称"), ordering="path")
    def tree_name(self, obj: Body) -> str:
        return format_html(
            '<span class="disclosure-tree-name" style="padding-left:{}em">{}{}</span>',
            obj.depth * 1.5,
            "└ " if obj.depth else "",
            obj.name,
        )

    @admin.display(description=gettext_lazy("年度报告截止日"))
    def report_deadline_display(self, obj: Body) -> str:
        if obj.pk is None:
            return "-"
        year = local_today().year - 1
        deadline = obj.report_deadline(year)
        if deadline is None:
            return _("未设定（乡镇(街道)和其他机构由本级政府确定）")
        return _("%(year)s年度报告：%(date)s") % {"year": year, "date": deadline}

    @admin.display(description=gettext_lazy("状态"))
    def state(self, obj: Body) -> str:
        if obj.abolished_on:
            return badge(_("%(date)s撤销") % {"date": obj.abolished_on}, "info")
        return _("现存")

    def save_model(self, request: HttpRequest, obj: Body, form, change: bool) -> None:
        services.body_save(actor=request.user, body=obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/move/",
                self.admin_site.admin_view(self.move_view),
                name="disclosure_body_move",
            ),
            path(
                "<path:object_id>/abolish/",
                self.admin_site.admin_view(self.abolish_view),
                name="disclosure_body_abolish",
            ),
            *super().get_urls(),
        ]

    def move_view(self, request: HttpRequest, object_id: str):
        return admin_views.body_move_view(self, request, object_id)

    def abolish_view(self, request: HttpRequest, object_id: str):
        return admin_views.body_abolish_view(self, request, object_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.may_change_master(request, obj):
            context["move_url"] = reverse("admin:disclosure_body_move", args=[obj.pk])
            if obj.abolished_on is None:
                context["abolish_url"] = reverse("admin:disclosure_body_abolish", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Membership)
class MembershipAdmin(StaleEditMixin, HistoryMixin, admin.ModelAdmin):
    """Members see the memberships of their bodies; granting one takes the Django permission
    and the 审核发布 role at the body (or a superuser)."""

    list_display = ("user", "body", "role")
    list_filter = ("role", BodySubtreeFilter)
    search_fields = ("user__username", "body__name", "=body__code")
    list_select_related = ("user", "body")
    autocomplete_fields = ("user", "body")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return has_role_at(request, obj.body_id, Role.VIEW)

    def _may_grant(self, request: HttpRequest, perm: str, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if not request.user.has_perm(f"disclosure.{perm}_membership"):
            return False
        if obj is None:
            return has_role_somewhere(request, Role.PUBLISH)
        return has_role_at(request, obj.body_id, Role.PUBLISH)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_grant(request, "add")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_grant(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_grant(request, "delete", obj)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = access.bodies_with_role(request.user, Role.PUBLISH)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form, change: bool) -> None:
        services.membership_save(actor=request.user, membership=obj)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_delete(actor=request.user, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for membership in queryset:
            services.membership_delete(actor=request.user, membership=membership)
