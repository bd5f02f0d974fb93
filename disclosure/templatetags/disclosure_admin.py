"""Admin template helpers: the 工作台 of the admin's first page, a date hierarchy for lists
of a million rows, and whether the user may import workbooks (the links to the import
page)."""

from __future__ import annotations

import calendar
import datetime

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db.models import Max, Min
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from disclosure import worklist
from disclosure.access import bodies_with_role
from disclosure.admin.access import has_role_somewhere
from disclosure.admin.filters import local_today
from disclosure.import_views import may_import
from disclosure.selectors import user_worklist
from disclosure.vocab import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_worklist(context, shown: int = 10) -> dict:
    """``{% staff_worklist as worklist %}``: the 工作台 of the page's user — each category's
    count and its first ``shown`` requests — and the bodies where the user may act (录入)."""
    request = context["request"]
    user = request.user
    if not has_role_somewhere(request, Role.VIEW):
        return {"entries": [], "shown": False}
    entries = user_worklist(user, local_today(), limit=shown)
    if user.is_superuser:
        editable = None
    else:
        editable = set(bodies_with_role(user, Role.EDIT).values_list("pk", flat=True))
    rows = []
    for entry in entries:
        requests = [
            {
                "request": obj,
                "may_conclude": entry.key == worklist.CORRECTION_LAPSED
                and (editable is None or obj.body_id in editable),
            }
            for obj in entry.requests
        ]
        rows.append({"entry": entry, "requests": requests, "more": entry.count - len(requests)})
    return {"entries": rows, "shown": True, "today": local_today()}


@register.simple_tag(takes_context=True)
def may_import_records(context) -> bool:
    """``{% may_import_records as allowed %}``: whether the page's user may use the import."""
    return may_import(context["request"])


def cheap_date_hierarchy(cl) -> dict:
    """Django's date drill-down without its DISTINCT over the whole list: the years come from
    the first and last date (two index reads), months and days from the calendar."""
    field_name = cl.date_hierarchy
    year_field, month_field, day_field = (
        f"{field_name}__year",
        f"{field_name}__month",
        f"{field_name}__day",
    )
    year_lookup = cl.params.get(year_field)
    month_lookup = cl.params.get(month_field)
    day_lookup = cl.params.get(day_field)

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    try:
        year = int(year_lookup) if year_lookup else None
        month = int(month_lookup) if month_lookup else None
        day = int(day_lookup) if day_lookup else None
    except (TypeError, ValueError):
        return {"show": False}
    if year and month and day:
        date = datetime.date(year, month, day)
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(date, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(date, "MONTH_DAY_FORMAT"))}],
        }
    if year and month:
        days = range(1, calendar.monthrange(year, month)[1] + 1)
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: number}),
                    "title": capfirst(
                        formats.date_format(datetime.date(year, month, number), "MONTH_DAY_FORMAT")
                    ),
                }
                for number in days
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link({}), "title": _("全部日期")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: number}),
                    "title": capfirst(
                        formats.date_format(datetime.date(year, number, 1), "YEAR_MONTH_FORMAT")
                    ),
                }
                for number in range(1, 13)
            ],
        }
    bounds = cl.queryset.aggregate(first=Min(field_name), last=Max(field_name))
    if bounds["first"] is None:
        return {"show": False}
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: str(number)}), "title": str(number)}
            for number in range(bounds["last"].year, bounds["first"].year - 1, -1)
        ],
    }


@register.tag(name="cheap_date_hierarchy")
def cheap_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=cheap_date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
