"""Appeal cases, the register of 规章 and 行政规范性文件, and yearly figures."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from disclosure import services
from disclosure.admin.access import BodyScopedAdmin
from disclosure.admin.base import (
    HistoryMixin,
    PublishedWarningMixin,
    StaleEditMixin,
    VoidMixin,
    years_between,
)
from disclosure.admin.filters import BodySubtreeFilter, YearFilter, is_ascii_number
from disclosure.models import AppealCase, Document, YearlyFigure
from disclosure.paginator import EstimatedCountPaginator


class RegisterAdmin(
    VoidMixin, PublishedWarningMixin, StaleEditMixin, HistoryMixin, BodyScopedAdmin
):
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    list_per_page = 50
    change_form_template = "admin/disclosure/informationrequest/change_form.html"
    change_list_template = "admin/disclosure/import/change_list.html"

    class Media:
        css = {"all": ("disclosure/admin.css",)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.voided_at is None and self.has_change_permission(request, obj):
            opts = self.model._meta
            context["void_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_void", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None or obj.voided_at is None:
            fields = [name for name in fields if name not in ("voided_at", "void_reason")]
        return fields

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        self.save_service(actor=request.user, obj=obj)
        if change:
            self.warn_if_published(request, obj, saved=True)


class YearOfFilingFilter(YearFilter):
    title = gettext_lazy("立案年度")
    field_name = "filed_on"


@admin.register(AppealCase)
class AppealCaseAdmin(RegisterAdmin):
    list_display = ("case_number", "kind", "body", "filed_on", "request", "concluded_on", "result")
    list_filter = (BodySubtreeFilter, "kind", "result", YearOfFilingFilter)
    search_fields = ("case_number", "request__reference", "body__name")
    list_select_related = ("body", "request")
    autocomplete_fields = ("body", "request")
    date_hierarchy = None
    readonly_fields = ("voided_at", "void_reason")
    void_service = staticmethod(services.appeal_void)
    void_service_arg = "case"

    def save_service(self, *, actor, obj: AppealCase) -> None:
        services.appeal_save(actor=actor, case=obj)

    def counted_years(self, obj: AppealCase):
        return years_between(obj.filed_on, obj.concluded_on)


class YearOfIssueFilter(YearFilter):
    title = gettext_lazy("发布年度")
    field_name = "issued_on"


@admin.register(Document)
class DocumentAdmin(RegisterAdmin):
    list_display = ("title", "number", "kind", "body", "issued_on", "effective_on", "repealed_on")
    list_filter = (BodySubtreeFilter, "kind", YearOfIssueFilter)
    search_fields = ("title", "number")
    list_select_related = ("body",)
    autocomplete_fields = ("body",)
    readonly_fields = ("voided_at", "void_reason")
    void_service = staticmethod(services.document_void)
    void_service_arg = "document"

    def save_service(self, *, actor, obj: Document) -> None:
        services.document_save(actor=actor, document=obj)

    def counted_years(self, obj: Document):
        # A document counts as issued in its year and as in force every year after.
        return years_between(obj.issued_on, obj.repealed_on)


class FigureYearFilter(admin.SimpleListFilter):
    title = gettext_lazy("年度")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).order_by().values_list("year", flat=True)
        return [(str(year), str(year)) for year in sorted(set(years.distinct()), reverse=True)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(year=self.value() if is_ascii_number(self.value()) else None)


@admin.register(YearlyFigure)
class YearlyFigureAdmin(RegisterAdmin):
    list_display = ("body", "year", "item", "value", "source")
    list_filter = (BodySubtreeFilter, FigureYearFilter, "item")
    search_fields = ("body__name", "source")
    list_select_related = ("body",)
    autocomplete_fields = ("body",)
    readonly_fields = ("voided_at", "void_reason")
    void_service = staticmethod(services.figure_void)
    void_service_arg = "figure"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.readonly_fields
        # A figure is keyed by body, year and item: change the value, not what it is of.
        return ("body", "year", "item", *self.readonly_fields)

    def save_service(self, *, actor, obj: YearlyFigure) -> None:
        saved = services.figure_set(
            actor=actor,
            body=obj.body,
            year=obj.year,
            item=obj.item,
            value=obj.value,
            source=obj.source,
        )
        obj.pk = saved.pk

    def counted_years(self, obj: YearlyFigure):
        return [obj.year]
