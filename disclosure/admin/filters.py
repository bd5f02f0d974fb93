"""List filters of the admin. Each one is a SQL condition, so lists of a million rows filter
in the database: body subtree by path prefix, status from the stored dates and today."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.db.models import Max, Min, QuerySet
from django.utils.translation import gettext_lazy as _

from disclosure import worklist
from disclosure.clock import status_conditions
from disclosure.models import Body
from disclosure.validators import today as local_today  # the one "today" of every rule
from disclosure.vocab import RequestStatus


def is_ascii_number(value: str) -> bool:
    """Digits 0-9 only: ``str.isdigit`` also accepts "²", which ``int()`` refuses."""
    return value.isascii() and value.isdigit()


class StatusFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return RequestStatus.choices

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        if self.value() not in RequestStatus.values:
            return queryset.none()
        return queryset.filter(status_conditions(local_today())[self.value()])


class OverdueFilter(admin.SimpleListFilter):
    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("逾期未办结")),
            ("soon", _("%(days)s个工作日内到期") % {"days": worklist.DUE_SOON_WORKING_DAYS}),
            ("no", _("未逾期")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        today = local_today()
        if self.value() == "yes":
            return queryset.overdue_on(today)
        if self.value() == "soon":
            return queryset.filter(worklist.condition(worklist.DUE_SOON, work_day(request)))
        if self.value() == "no":
            return queryset.exclude(
                voided_at__isnull=True, concluded_on__isnull=True, due_date__lt=today
            )
        return queryset


def work_day(request) -> worklist.WorkDay:
    """Today's ``worklist.WorkDay``, worked out once per request."""
    day = getattr(request, "_disclosure_work_day", None)
    if day is None or day.today != local_today():
        day = worklist.work_day(local_today())
        request._disclosure_work_day = day
    return day


class WorklistFilter(admin.SimpleListFilter):
    """The categories of the 工作台 (``disclosure.worklist``): its counts link here."""

    title = _("工作台")
    parameter_name = "worklist"

    def lookups(self, request, model_admin):
        return [(key, category.label) for key, category in worklist.CATEGORIES.items()]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        if self.value() not in worklist.CATEGORIES:
            return queryset.none()
        return queryset.filter(worklist.condition(self.value(), work_day(request)))


class YearFilter(admin.SimpleListFilter):
    """Year of receipt. The years come from two index reads (min and max), not a DISTINCT."""

    title = _("收到年度")
    parameter_name = "year"
    field_name = "received_on"

    def lookups(self, request, model_admin):
        bounds = model_admin.get_queryset(request).aggregate(
            first=Min(self.field_name), last=Max(self.field_name)
        )
        if bounds["first"] is None:
            return []
        years = range(bounds["last"].year, bounds["first"].year - 1, -1)
        return [(str(year), _("%(year)s年") % {"year": year}) for year in years]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        # A year no date can hold (0, 99999, "abc") matches nothing rather than failing.
        try:
            year = int(self.value())
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        except ValueError:
            return queryset.none()
        return queryset.filter(
            **{f"{self.field_name}__gte": first, f"{self.field_name}__lte": last}
        )


class BodySubtreeFilter(admin.SimpleListFilter):
    """The bodies the user sees, indented; choosing one shows its whole subtree."""

    title = _("机构（含下级）")
    parameter_name = "body"
    body_path_lookup = "body__path__startswith"

    def lookups(self, request, model_admin):
        bodies = Body.objects.visible_to(request.user).order_by("path")
        return [
            (str(body.pk), "\u3000" * body.depth + body.name)
            for body in bodies.only("pk", "name", "depth")
        ]

    def choices(self, changelist):
        if changelist.add_facets:
            yield from super().choices(changelist)
            return
        # One query string with a marker for the id: a province's 3,000 bodies would
        # otherwise cost 3,000 get_query_string calls on every list page (benchmarks/).
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }
        marker = "__body_id__"
        template = changelist.get_query_string({self.parameter_name: marker})
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": template.replace(marker, str(lookup)),
                "display": title,
            }

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        body = (
            Body.objects.visible_to(request.user)
            .filter(pk=self.value() if is_ascii_number(self.value()) else None)
            .first()
        )
        if body is None:
            return queryset.none()
        return queryset.filter(**{self.body_path_lookup: body.path})


class BodyTreeSubtreeFilter(BodySubtreeFilter):
    """The same filter on the body list itself."""

    body_path_lookup = "path__startswith"
    parameter_name = "subtree"
