"""Serializers of the staff records API.

They parse and render only: every write goes through ``disclosure.services`` (which runs the
model's ``full_clean()``), so the API validates exactly as the admin does. Querysets of the
related-record fields are limited to what the requesting user may see, so an unknown code
and a code outside the user's bodies get the same answer.
"""

from __future__ import annotations

import datetime
import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosure.models import (
    AppealCase,
    Applicant,
    Body,
    Consultation,
    Document,
    InformationRequest,
    YearlyFigure,
)
from disclosure.privacy import can_see_identity, mask_id_number, mask_name
from disclosure.selectors import request_clock
from disclosure.vocab import RequestStatus
from reports.models import ReportVersion
from reports.staleness import published_versions_counting

# A body code as ``disclosure.models.bodies.code_validator`` allows it.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _user(serializer: serializers.Field | serializers.Serializer):
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
        return Body.objects.visible_to(_user(self))

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
        return InformationRequest.objects.visible_to(_user(self))


class VisibleApplicantField(serializers.PrimaryKeyRelatedField):
    """Applicants linked to a request the user can see; nobody else's applicants."""

    default_error_messages = {
        "does_not_exist": _("不存在编号为 {pk_value} 的申请人。"),
        "incorrect_type": _("申请人须以数字编号表示。"),
    }

    def get_queryset(self):
        visible = InformationRequest.objects.visible_to(_user(self))
        return Applicant.objects.filter(pk__in=visible.values("applicant_id"))


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
        years = list(self.counted_years(obj))
        published_years = (
            ReportVersion.objects.filter(report__year__in=years)
            .values_list("report__year", flat=True)
            .distinct()
        )
        versions = [
            version
            for year in sorted(published_years)
            for version in published_versions_counting(obj.body, year)
        ]
        return [
            {
                "body": version.report.body.code,
                "year": version.report.year,
                "version": version.number,
                "title": str(version),
            }
            for version in versions
        ]


# --- bodies ------------------------------------------------------------------------------


class BodySerializer(RecordSerializer):
    parent = VisibleBodyField(label=_("上级机构"), required=False, allow_null=True)
    successor = VisibleBodyField(label=_("承继机构"), read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Body
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "parent",
            "depth",
            "address",
            "postcode",
            "phone",
            "website",
            "report_deadline_month",
            "report_deadline_day",
            "established_on",
            "abolished_on",
            "successor",
            "created_at",
            "updated_at",
        ]
        # As in the admin: abolition and a dated change of parent are actions of their own
        # (…/abolish/, …/move/), so that the tree stays readable as it stood on any date.
        read_only_fields = ["depth", "abolished_on", "successor", "created_at", "updated_at"]
        # Uniqueness is checked by the model's full_clean() in the service, as in the admin.
        validators: list = []
        extra_kwargs = {
            "code": {"validators": []},
            "report_deadline_month": {"min_value": 1, "max_value": 12},
            "report_deadline_day": {"min_value": 1, "max_value": 31},
        }


class BodyUpdateSerializer(BodySerializer):
    """On update the parent is fixed: a reorganisation is a move (…/move/)."""

    parent = VisibleBodyField(label=_("上级机构"), read_only=True, allow_null=True)


class BodyMoveSerializer(serializers.Serializer):
    new_parent = VisibleBodyField(
        label=_("新上级机构"), allow_null=True, help_text=_("机构代码；null 表示调整为最上级机构。")
    )
    moved_on = RecordDateField(label=_("调整日期"), help_text=_("自该日起隶属新上级机构。"))
    note = serializers.CharField(label=_("说明"), max_length=300, required=False, default="")


class BodyAbolishSerializer(serializers.Serializer):
    abolished_on = RecordDateField(label=_("撤销日期"))
    successor = VisibleBodyField(label=_("承继机构"), required=False, allow_null=True, default=None)


# --- requests ----------------------------------------------------------------------------


class ApplicantSerializer(RecordSerializer):
    """The applicant; name, ID number and contact masked without the identity permission."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Applicant
        fields = ["id", "kind", "kind_display", "name", "id_number", "contact"]
        read_only_fields = ["id"]

    def to_representation(self, instance: Applicant) -> dict:
        data = super().to_representation(instance)
        if not can_see_identity(_user(self)):
            data["name"] = mask_name(instance.name)
            data["id_number"] = mask_id_number(instance.id_number)
            data["contact"] = "*" * min(len(instance.contact), 6) if instance.contact else ""
        return data


class ConsultationSerializer(RecordSerializer):
    id = serializers.IntegerField(
        required=False, help_text=_("修改已登记的征求意见时填写其编号；新增时留空。")
    )

    class Meta:
        model = Consultation
        fields = ["id", "party", "sent_on", "answered_on"]


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()


class CountedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    number = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)


class ClockSerializer(serializers.Serializer):
    """The explanation of a due date (``DueDate.as_dict()`` plus its lines of text)."""

    received = serializers.DateField()
    start = serializers.DateField(help_text=_("起算日（不计入）：收到申请日期或补正收到日期。"))
    due_date = serializers.DateField()
    base_due_date = serializers.DateField()
    extended_due_date = serializers.DateField(allow_null=True)
    skipped = SkippedDaySerializer(many=True)
    counted = CountedDaySerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    extension_late = serializers.BooleanField()
    correction_notice_late = serializers.BooleanField()
    paused_days = serializers.IntegerField()
    explanation = serializers.ListField(child=serializers.CharField())


class RequestSerializer(CountedInPublishedMixin, RecordSerializer):
    body = VisibleBodyField(label=_("受理机构"))
    reference = serializers.CharField(
        label=_("申请编号"),
        read_only=True,
        help_text=_("系统按机构和收到申请的年度编号（如 2025-0007）。"),
    )
    applicant = ApplicantSerializer(read_only=True, allow_null=True)
    applicant_id = VisibleApplicantField(
        source="applicant",
        label=_("申请人"),
        required=False,
        allow_null=True,
        write_only=True,
        help_text=_("已登记申请人的编号。"),
    )
    new_applicant = ApplicantSerializer(
        required=False,
        write_only=True,
        help_text=_("登记新的申请人并关联本申请（与 applicant_id 二选一）。"),
    )
    consultations = ConsultationSerializer(many=True, required=False)
    fee_amount = serializers.DecimalField(
        label=_("收费金额(元)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        coerce_to_string=False,
    )
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "body",
            "reference",
            "applicant",
            "applicant_id",
            "new_applicant",
            "applicant_kind",
            "channel",
            "received_on",
            "content",
            "correction_notice_on",
            "correction_deadline",
            "correction_received_on",
            "consultations",
            "extension_days",
            "extension_decided_on",
            "extension_approver",
            "extension_reason",
            "fee_method",
            "fee_amount",
            "fee_notice_on",
            "fee_due_on",
            "fee_paid_on",
            "withdrawn_on",
            "concluded_on",
            "result",
            "reply_summary",
            "due_date",
            "base_due_date",
            "status",
            "status_display",
            "days_left",
            "overdue",
            "correction_notice_late",
            "extension_late",
            "calendar_warning",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
            "counted_in_published",
        ]
        read_only_fields = [
            "due_date",
            "base_due_date",
            "correction_notice_late",
            "extension_late",
            "calendar_warning",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def counted_years(self, obj: InformationRequest) -> range:
        return years_between(obj.received_on, obj.concluded_on)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("applicant") is not None and attrs.get("new_applicant") is not None:
            raise serializers.ValidationError(
                {"new_applicant": [_("已选择申请人时不能同时登记新的申请人。")]}
            )
        return attrs

    @extend_schema_field(serializers.ChoiceField(choices=RequestStatus.choices))
    def get_status(self, obj: InformationRequest) -> str:
        return obj.status_on(today()).value

    def get_status_display(self, obj: InformationRequest) -> str:
        return str(obj.status_on(today()).label)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_left(self, obj: InformationRequest) -> int | None:
        return obj.days_left_on(today())

    def get_overdue(self, obj: InformationRequest) -> bool:
        return bool(
            obj.voided_at is None
            and obj.concluded_on is None
            and obj.due_date is not None
            and obj.due_date < today()
        )


class RequestDetailSerializer(RequestSerializer):
    """A request with the explanation of its due date (one calendar lookup per request)."""

    clock = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "clock"]

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_clock(self, obj: InformationRequest) -> dict | None:
        if obj.due_date is None:
            # No clock runs while a 补正 is awaited (it restarts on the corrected request).
            return None
        due = request_clock(obj)
        return {**due.as_dict(), "explanation": due.explanation()}


# --- appeals, documents, figures -----------------------------------------------------------


class AppealSerializer(CountedInPublishedMixin, RecordSerializer):
    body = VisibleBodyField(label=_("被申请（被诉）机构"))
    request = VisibleRequestField(label=_("关联申请"), required=False, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = AppealCase
        fields = [
            "id",
            "body",
            "kind",
            "kind_display",
            "case_number",
            "filed_on",
            "request",
            "concluded_on",
            "result",
            "result_display",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
            "counted_in_published",
        ]
        read_only_fields = ["voided_at", "void_reason", "created_at", "updated_at"]
        validators: list = []

    def counted_years(self, obj: AppealCase) -> range:
        return years_between(obj.filed_on, obj.concluded_on)


class DocumentSerializer(CountedInPublishedMixin, RecordSerializer):
    body = VisibleBodyField(label=_("制发机构"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "body",
            "kind",
            "kind_display",
            "title",
            "number",
            "issued_on",
            "effective_on",
            "repealed_on",
            "valid_until",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
            "counted_in_published",
        ]
        read_only_fields = ["voided_at", "void_reason", "created_at", "updated_at"]
        validators: list = []

    def counted_years(self, obj: Document) -> range:
        # A document counts as issued in its year and as in force every year after.
        return years_between(obj.issued_on, obj.repealed_on)


class FigureSerializer(CountedInPublishedMixin, RecordSerializer):
    body = VisibleBodyField(label=_("机构"))
    item_display = serializers.CharField(source="get_item_display", read_only=True)
    value = serializers.DecimalField(
        label=_("数值"),
        max_digits=16,
        decimal_places=4,
        min_value=0,
        coerce_to_string=False,
        help_text=_("件数为整数；行政事业性收费以万元计，最多四位小数。"),
    )
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2999)

    class Meta:
        model = YearlyFigure
        fields = [
            "id",
            "body",
            "year",
            "item",
            "item_display",
            "value",
            "source",
            "voided_at",
            "void_reason",
            "updated_at",
            "counted_in_published",
        ]
        read_only_fields = ["voided_at", "void_reason", "updated_at"]
        validators: list = []

    def counted_years(self, obj: YearlyFigure) -> list[int]:
        return [obj.year]


# --- the deadline calculator -----------------------------------------------------------------


class DeadlineQuerySerializer(serializers.Serializer):
    received = serializers.DateField(
        label=_("收到申请日期"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": _("收到申请日期格式错误，请使用 YYYY-MM-DD，例如 2025-09-30。"),
            "required": _("请提供收到申请日期（received=YYYY-MM-DD）。"),
        },
    )
    extension_days = serializers.IntegerField(
        label=_("延期工作日数"),
        required=False,
        min_value=1,
        max_value=20,
        error_messages={
            "invalid": _("延期工作日数须为1至20的整数。"),
            "min_value": _("延期工作日数须为1至20的整数。"),
            "max_value": _("延期工作日数须为1至20的整数。"),
            "max_string_length": _("延期工作日数须为1至20的整数。"),
        },
    )

    def validate_received(self, value: datetime.date) -> datetime.date:
        if not FIRST_DATE <= value <= LAST_DATE:
            raise serializers.ValidationError(_("收到申请日期须在 2000-01-01 至 2099-12-31 之间。"))
        return value


class DeadlineSerializer(serializers.Serializer):
    received = serializers.DateField()
    due_date = serializers.DateField(help_text=_("20个工作日的答复期限（不含延期）。"))
    extended_due_date = serializers.DateField(
        allow_null=True, help_text=_("延期后的答复期限；未延期为 null。")
    )
    skipped = SkippedDaySerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
