"""What every record serializer shares: dates read as ``disclosure.validators`` reads them,
related records limited to what the user may see, the void form, and the published reports
that count a record. The ranges of dates and years come with the model fields' validators."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosure import hooks
from disclosure.access import applicants_visible_to
from disclosure.models import Body, InformationRequest
from disclosure.validators import BODY_CODE_SCHEMA, date_text_error, today, validate_body_code


def request_user(serializer: serializers.Field | serializers.Serializer):
    return serializer.context["request"].user


class DateField(serializers.DateField):
    """DRF's DateField (YYYY-MM-DD) with the product's message for a text that is not a
    date: 2026-02-30 "is not a date" rather than "wrong format"."""

    def to_internal_value(self, value) -> datetime.date:
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError as error:
            if error.get_codes() != ["invalid"]:
                raise
            raise serializers.ValidationError(date_text_error(value).messages) from None


class TextField(serializers.CharField):
    """A text is a JSON string: a number or a boolean where a text belongs is refused (DRF
    would turn ``0`` into ``"0"``), as the schema's ``type: string`` says."""

    default_error_messages = {"not_text": _("须为文本（JSON 字符串）。")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class RecordSerializer(serializers.ModelSerializer):
    """Model fields mapped as usual (with their validators: the ranges of dates and years),
    dates read by ``DateField``, texts by ``TextField``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.CharField: TextField,
        models.TextField: TextField,
    }


@extend_schema_field({**BODY_CODE_SCHEMA, "description": "机构代码"})
class VisibleBodyField(serializers.SlugRelatedField):
    """A body named by its code, among the bodies the user can see."""

    default_error_messages = {
        "does_not_exist": _("不存在代码为“{value}”的机构。"),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return Body.objects.visible_to(request_user(self))

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for a related field; the schema says a code or null.
        if data == "":
            raise serializers.ValidationError(_("请填写机构代码（没有时用 null）。"))
        return super().run_validation(data)

    def to_internal_value(self, data):
        # Only a well-formed code reaches the database (PostgreSQL refuses NUL characters).
        try:
            validate_body_code(data if isinstance(data, str) else "")
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
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
    reason = TextField(
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
