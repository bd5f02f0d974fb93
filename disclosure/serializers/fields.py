"""What every record serializer shares: bounded dates, related records limited to what the
user may see, the void form, and the published reports that count a record."""

from __future__ import annotations

import datetime
import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosure import hooks
from disclosure.access import applicants_visible_to
from disclosure.models import Body, InformationRequest

# A body code as ``disclosure.models.bodies.code_validator`` allows it.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def request_user(serializer: serializers.Field | serializers.Serializer):
    return serializer.context["request"].user


def today() -> datetime.date:
    return timezone.localdate()


# The dates a record may carry. The clock counts working days forward from them, so a date
# near the end of the calendar would overflow; the bounds keep every computation finite.
FIRST_DATE = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2099, 12, 31)


class RecordDateField(serializers.DateField):
    default_error_messages = {
        "out_of_range": _("日期须在 2000-01-01 至 2099-12-31 之间。"),
    }

    def to_internal_value(self, value) -> datetime.date:
        day = super().to_internal_value(value)
        if not FIRST_DATE <= day <= LAST_DATE:
            self.fail("out_of_range")
        return day


class RecordSerializer(serializers.ModelSerializer):
    """Model fields mapped as usual, dates within ``FIRST_DATE`` … ``LAST_DATE``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: RecordDateField,
    }


@extend_schema_field({"type": "string", "description": "机构代码"})
class VisibleBodyField(serializers.SlugRelatedField):
    """A body named by its code, among the bodies the user can see."""

    default_error_messages = {
        "does_not_exist": _("不存在代码为“{value}”的机构。"),
        "invalid": _("机构代码无效。"),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return Body.objects.visible_to(request_user(self))

    def to_internal_value(self, data):
        # Only a well-formed code reaches the database (PostgreSQL refuses NUL characters).
        if not isinstance(data, str) or not CODE_PATTERN.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class VisibleRequestField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("不存在编号为 {pk_value} 的申请。"),
        "incorrect_type": _("申请须以数字编号表示。"),
    }

    def get_queryset(self):
        return InformationRequest.objects.visible_to(request_user(self))


class VisibleApplicantField(serializers.PrimaryKeyRelatedField):
    """An applicant the user may pick (``disclosure.access.applicants_visible_to``)."""

    default_error_messages = {
        "does_not_exist": _("不存在编号为 {pk_value} 的申请人。"),
        "incorrect_type": _("申请人须以数字编号表示。"),
    }

    def get_queryset(self):
        return applicants_visible_to(request_user(self))


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=_("作废原因"),
        max_length=500,
        error_messages={"blank": _("请填写作废原因。"), "required": _("请填写作废原因。")},
    )


class PublishedVersionRefSerializer(serializers.Serializer):
    body = serializers.CharField(help_text=_("报告机构代码"))
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    title = serializers.CharField()


def years_between(first: datetime.date, last: datetime.date | None) -> range:
    """The calendar years from ``first`` to ``last`` (today when open), both inclusive."""
    end = (last or today()).year
    return range(first.year, max(first.year, end) + 1)


class CountedInPublishedMixin(serializers.Serializer):
    """Editing a record that a published report counted is allowed, and said (as in the
    admin): the answer for one record names the published versions that count it."""

    counted_in_published = serializers.SerializerMethodField(
        help_text=_(
            "统计了此记录的已发布报告版本；修改后这些报告将提示其统计的记录在发布后有变更。"
            "列表中不计算，为 null。"
        )
    )

    def counted_years(self, obj) -> range | list[int]:
        raise NotImplementedError

    @extend_schema_field(PublishedVersionRefSerializer(many=True, allow_null=True))
    def get_counted_in_published(self, obj) -> list[dict] | None:
        if not self.context.get("with_published"):
            return None
        versions = hooks.published_reports_counting.ask(obj.body, list(self.counted_years(obj)))
        return [
            {
                "body": version.body_code,
                "year": version.year,
                "version": version.version,
                "title": version.title,
            }
            for version in versions
        ]
