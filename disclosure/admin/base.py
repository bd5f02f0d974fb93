"""What every register page shares: the audit history, voiding instead of deleting, the
warning on records a published report counted, and CSV export of the filtered list."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import concurrency, hooks
from disclosure.admin.filters import local_today
from disclosure.forms import VoidForm
from disclosure.history import change_lines
from disclosure.models import AuditEntry


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


class StaleEditMixin:
    """The change form carries the version of the record the user opened
    (``concurrency.SEEN_VERSION``, a hidden field written by ``admin/change_form.html``); a
    save of a record changed since is refused with a form error naming who changed it and
    when, and nothing is saved (the form keeps what the user typed)."""

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class

        class VersionCheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                seen = self.data.get(concurrency.SEEN_VERSION) or None
                try:
                    # Admin saves run in one transaction: the row stays locked until saved.
                    concurrency.require_version(type(self.instance), self.instance.pk, seen)
                except concurrency.StaleEdit as stale:
                    raise ValidationError(str(stale), code="stale") from None
                return cleaned

        VersionCheckedForm.__name__ = form_class.__name__
        return VersionCheckedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            # After a refused save the page keeps the version first opened: saving again
            # stays refused until the user reopens the record.
            if request.method == "POST":
                seen = request.POST.get(concurrency.SEEN_VERSION) or concurrency.stored_version(
                    type(obj), obj.pk
                )
            else:
                seen = concurrency.version_of(obj)  # as just loaded: no query of its own
            context["seen_version"] = seen
            context["seen_version_field"] = concurrency.SEEN_VERSION
        return super().render_change_form(request, context, add, change, form_url, obj)


class HistoryMixin:
    """The history page lists the object's AuditEntry rows (who, when, what changed)."""

    object_history_template = "admin/disclosure/object_history.html"

    history_children: tuple[tuple[type, str], ...] = ()
    """(model, foreign key name) of dependent rows whose audit belongs on the parent's page."""

    def audit_entries(self, obj):
        condition = Q(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )
        for model, fk_name in self.history_children:
            # The audit keeps a child's foreign key as [before, after]: that finds its rows
            # even after the child itself was deleted.
            children = Q(**{f"changes__{fk_name}__0": obj.pk}) | Q(
                **{f"changes__{fk_name}__1": obj.pk}
            )
            stored = model._default_manager.filter(**{fk_name: obj}).values_list("pk", flat=True)
            children |= Q(object_id__in=[str(pk) for pk in stored])
            condition |= Q(content_type=ContentType.objects.get_for_model(model)) & children
        return (
            AuditEntry.objects.filter(condition)
            .select_related("actor", "content_type")
            .order_by("-at", "-pk")
        )

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        model = self.model
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = list(self.audit_entries(obj))
        lines = change_lines(entries)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(object)s 的修改历史") % {"object": obj},
            "subtitle": None,
            "entries": [(entry, lines[entry.pk]) for entry in entries],
            "module_name": str(model._meta.verbose_name_plural),
            "object": obj,
            "opts": model._meta,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


class VoidMixin:
    """ "作废" instead of delete: an action for selected rows and a button on the record, both
    asking for the reason and calling ``void_service(actor=…, <service_arg>=obj, reason=…)``."""

    void_service: Callable
    void_service_arg: str = "request"
    actions = ["void_selected"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/void/",
                self.admin_site.admin_view(self.void_view),
                name=f"{opts.app_label}_{opts.model_name}_void",
            ),
            *super().get_urls(),
        ]

    def _void(self, request: HttpRequest, obj, reason: str) -> None:
        self.void_service(actor=request.user, **{self.void_service_arg: obj}, reason=reason)
        if isinstance(self, PublishedWarningMixin):
            self.warn_if_published(request, obj, saved=True)

    @admin.action(description=gettext_lazy("作废所选记录（需填写原因）"), permissions=["change"])
    def void_selected(self, request: HttpRequest, queryset):
        rows = [obj for obj in queryset if obj.voided_at is None]
        refused = [obj for obj in rows if not self.has_change_permission(request, obj)]
        if refused:
            raise PermissionDenied
        form = VoidForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for obj in rows:
                self._void(request, obj, form.cleaned_data["reason"])
            self.message_user(
                request, _("已作废 %(count)s 条记录。") % {"count": len(rows)}, messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("作废记录"),
            "opts": self.model._meta,
            "form": form,
            "objects": rows,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "void_selected",
        }
        return TemplateResponse(request, "admin/disclosure/void_confirmation.html", context)

    def void_view(self, request: HttpRequest, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if obj.voided_at is not None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = VoidForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            self._void(request, obj, form.cleaned_data["reason"])
            self.message_user(
                request, _("“%(object)s”已作废。") % {"object": obj}, messages.SUCCESS
            )
            return HttpResponseRedirect(admin_url(obj))
        context = {
            **self.admin_site.each_context(request),
            "title": _("作废记录"),
            "opts": self.model._meta,
            "form": form,
            "objects": [obj],
            "object": obj,
        }
        return TemplateResponse(request, "admin/disclosure/void_confirmation.html", context)


class PublishedWarningMixin:
    """Editing a record that a published report counted is allowed, and warned about."""

    def counted_years(self, obj) -> Iterable[int]:
        raise NotImplementedError

    def warn_if_published(self, request: HttpRequest, obj, *, saved: bool) -> None:
        versions = hooks.published_reports_counting.ask(obj.body, list(self.counted_years(obj)))
        if not versions:
            return
        names = "、".join(str(version) for version in versions)
        if saved:
            text = _(
                "已修改的记录被已发布的报告统计：%(reports)s。这些报告将提示其统计的记录在发布后有变更，如需更正请发布新版本。"
            )
        else:
            text = _(
                "此记录已被已发布的报告统计：%(reports)s。修改后这些报告将提示其统计的记录在发布后有变更。"
            )
        messages.warning(request, text % {"reports": names})

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                self.warn_if_published(request, obj, saved=False)
        return super().change_view(request, object_id, form_url, extra_context)


def years_between(first: datetime.date, last: datetime.date | None) -> range:
    """The calendar years from ``first`` to ``last`` (today when open), both inclusive."""
    end = (last or local_today()).year
    return range(first.year, max(first.year, end) + 1)


def badge(text: str, css: str) -> str:
    return format_html('<span class="disclosure-badge disclosure-badge--{}">{}</span>', css, text)


def bullet_list(items: Iterable[str]) -> str:
    return format_html(
        '<ul class="disclosure-list">{}</ul>',
        format_html_join("", "<li>{}</li>", ((item,) for item in items)),
    )
