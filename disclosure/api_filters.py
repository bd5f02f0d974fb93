"""FilterSets of the staff records API: one per list, applied after ``visible_to(user)``."""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from disclosure.clock import status_conditions
from disclosure.models import AppealCase, Body, Document, InformationRequest, YearlyFigure
from disclosure.models.fields import DateFormField
from disclosure.validators import (
    FIGURE_YEAR,
    FIRST_RECORD_DATE,
    FIRST_REGISTER_DATE,
    LAST_YEAR,
    YearRange,
)
from disclosure.vocab import (
    AppealKind,
    AppealResult,
    ApplicantKind,
    BodyKind,
    Channel,
    DocumentKind,
    FigureItem,
    RequestStatus,
    Result,
)

# The years of receipt, filing and issue the records can hold.
RECORD_YEARS = YearRange(FIRST_RECORD_DATE.year, LAST_YEAR)
REGISTER_YEARS = YearRange(FIRST_REGISTER_DATE.year, LAST_YEAR)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number, documented as an integer with its label as the description (a type
    override on the class would leave the parameter undescribed)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bounds the form field enforces are stated (a value outside them is a 400).
        schema = {"type": "integer", "description": str(self.label or "")}
        for validator in self.extra.get("validators", ()):
            if isinstance(validator, YearRange):
                schema.update(minimum=validator.first, maximum=validator.last)
        if self.extra.get("min_value") is not None:
            schema["minimum"] = self.extra["min_value"]
        if self.extra.get("max_value") is not None:
            schema["maximum"] = self.extra["max_value"]
        extend_schema_field(schema)(self)


class YearFilter(IntegerFilter):
    """``?year=``: a year the filtered records can hold (``years``, a range of
    ``disclosure.validators``); any other year is a 400 naming the range."""

    def __init__(self, *args, years: YearRange, **kwargs):
        super().__init__(*args, validators=[years], **kwargs)


class StrictBooleanField(forms.Field):
    """``true`` or ``false``, as the schema says; anything else (``null``, ``yes``, ``1``) is a
    400 rather than a filter silently dropped."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "True"):
            return True
        if value in ("false", "False"):
            return False
        raise forms.ValidationError(
            _("“%(value)s”不是有效的取值，请填 true 或 false。"), params={"value": value}
        )


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class DateFilter(django_filters.DateFilter):
    """A date parameter read as the admin reads a date (2026-02-30 is not a date)."""

    field_class = DateFormField


class IdFilter(IntegerFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` of the view's ``ordering_fields`` (``-`` for descending, several
    separated by commas); anything else is a 400 naming the allowed fields (DRF would drop
    it and sort as by default). The schema states the same as a pattern."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = self.allowed(view)
        terms = [term.strip() for term in raw.split(",")]
        if not all(term.removeprefix("-") in allowed for term in terms):
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("排序字段须为 %(fields)s 之一（前加“-”为倒序，多个以逗号分隔）。")
                        % {"fields": "、".join(allowed)}
                    ]
                }
            )
        return terms

    @staticmethod
    def allowed(view) -> list[str]:
        return list(getattr(view, "ordering_fields", None) or ())

    def get_schema_operation_parameters(self, view) -> list[dict]:
        names = "|".join(re.escape(name) for name in self.allowed(view))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("排序：%(fields)s（前加“-”为倒序，多个以逗号分隔）")
                    % {"fields": "、".join(self.allowed(view))}
                ),
                "schema": {"type": "string", "pattern": f"^-?({names})(,-?({names}))*$"},
            }
        ]


class StrictFilterSet(django_filters.FilterSet):
    """A typed parameter given empty (``?year=``, ``?status=``) is a 400, as the schema
    says (an empty text is no year, date, choice or boolean), not a filter dropped."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, declared in self.filters.items():
            if isinstance(declared, django_filters.CharFilter) and not isinstance(
                declared, django_filters.ChoiceFilter
            ):
                continue
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, _("请填写取值，或不带此参数。"))
                valid = False
        return valid


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 January and 31 December of ``year`` (both inclusive)."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class TextFilter(django_filters.CharFilter):
    """A text parameter, documented with its length limit (a longer one is a 400)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {"type": "string", "description": str(self.label or "")}
        if self.extra.get("max_length"):
            schema["maxLength"] = self.extra["max_length"]
        extend_schema_field(schema)(self)


class SubtreeFilter(TextFilter):
    """``?body=CODE``: records of that body and every body below it."""

    def __init__(self, *args, prefix: str = "body__", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", _("机构代码（含下级机构）"))
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        path = Body.objects.filter(code=value).values_list("path", flat=True).first()
        if path is None:
            return qs.none()
        return qs.filter(**{f"{self.prefix}path__startswith": path})


class BodyFilter(StrictFilterSet):
    within = SubtreeFilter(prefix="", label=_("机构代码（该机构及其下级机构）"))
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label=_("机构类型"))
    parent = TextFilter(field_name="parent__code", max_length=64, label=_("上级机构代码"))
    abolished = BooleanFilter(
        field_name="abolished_on", lookup_expr="isnull", exclude=True, label=_("已撤销")
    )

    class Meta:
        model = Body
        fields: list[str] = []


class RequestFilter(StrictFilterSet):
    body = SubtreeFilter()
    year = YearFilter(method="filter_year", label=_("收到申请年度"), years=RECORD_YEARS)
    status = django_filters.ChoiceFilter(
        choices=RequestStatus.choices, method="filter_status", label=_("办理状态")
    )
    overdue = BooleanFilter(method="filter_overdue", label=_("逾期未办结"))
    applicant_kind = django_filters.ChoiceFilter(
        choices=ApplicantKind.choices, label=_("申请人类型")
    )
    applicant = IdFilter(
        field_name="applicant_id", label=_("申请人编号（查看同一申请人的全部申请）")
    )
    result = django_filters.ChoiceFilter(choices=Result.choices, label=_("办理结果"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("申请方式"))
    received_from = DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("收到申请日期起（含）")
    )
    received_to = DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("收到申请日期止（含）")
    )
    concluded_from = DateFilter(
        field_name="concluded_on", lookup_expr="gte", label=_("办结日期起（含）")
    )
    concluded_to = DateFilter(
        field_name="concluded_on", lookup_expr="lte", label=_("办结日期止（含）")
    )
    voided = BooleanFilter(
        field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("已作废")
    )

    class Meta:
        model = InformationRequest
        fields: list[str] = []

    def filter_year(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        return qs.received_between(*year_bounds(value))

    def filter_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(status_conditions(timezone.localdate())[value])

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = qs.overdue_on(timezone.localdate()).values("pk")
        return qs.filter(pk__in=overdue) if value else qs.exclude(pk__in=overdue)


class AppealFilter(StrictFilterSet):
    body = SubtreeFilter()
    year = YearFilter(method="filter_year", label=_("立案年度"), years=RECORD_YEARS)
    kind = django_filters.ChoiceFilter(choices=AppealKind.choices, label=_("类型"))
    result = django_filters.ChoiceFilter(choices=AppealResult.choices, label=_("结果"))
    pending = BooleanFilter(field_name="concluded_on", lookup_expr="isnull", label=_("尚未审结"))
    filed_from = DateFilter(field_name="filed_on", lookup_expr="gte", label=_("立案日期起（含）"))
    filed_to = DateFilter(field_name="filed_on", lookup_expr="lte", label=_("立案日期止（含）"))
    voided = BooleanFilter(
        field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("已作废")
    )

    class Meta:
        model = AppealCase
        fields: list[str] = []

    def filter_year(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        first, last = year_bounds(value)
        return qs.filter(filed_on__gte=first, filed_on__lte=last)


class DocumentFilter(StrictFilterSet):
    body = SubtreeFilter()
    year = YearFilter(method="filter_year", label=_("发布年度"), years=REGISTER_YEARS)
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("类型"))
    repealed = BooleanFilter(
        field_name="repealed_on", lookup_expr="isnull", exclude=True, label=_("已废止")
    )
    voided = BooleanFilter(
        field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("已作废")
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def filter_year(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        first, last = year_bounds(value)
        return qs.filter(issued_on__gte=first, issued_on__lte=last)


class FigureFilter(StrictFilterSet):
    body = SubtreeFilter()
    year = YearFilter(field_name="year", label=_("年度"), years=FIGURE_YEAR)
    item = django_filters.ChoiceFilter(choices=FigureItem.choices, label=_("项目"))
    voided = BooleanFilter(
        field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("已作废")
    )

    class Meta:
        model = YearlyFigure
        fields: list[str] = []
