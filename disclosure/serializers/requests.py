"""Information requests, their applicant (masked without the identity permission),
consultations, and the explanation of the due date."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosure.access import IdentityScope, applicant_identity
from disclosure.clock import request_explanation, status_on
from disclosure.models import Applicant, Consultation, InformationRequest
from disclosure.serializers.deadline import ClockSerializer
from disclosure.serializers.fields import (
    CountedInPublishedMixin,
    RecordSerializer,
    VisibleApplicantField,
    VisibleBodyField,
    request_user,
    today,
    years_between,
)
from disclosure.vocab import RequestStatus


class ApplicantSerializer(RecordSerializer):
    """The applicant; name, ID number and contact in clear only for those who handle the
    request (``access.can_see_identity``: ``RequestSerializer`` decides), else masked."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Applicant
        fields = ["id", "kind", "kind_display", "name", "id_type", "id_number", "contact"]
        read_only_fields = ["id"]

    def to_representation(self, instance: Applicant) -> dict:
        data = super().to_representation(instance)
        data.update(asdict(applicant_identity(instance, clear=False)))
        return data


class ConsultationSerializer(RecordSerializer):
    id = serializers.IntegerField(
        required=False, help_text=_("修改已登记的征求意见时填写其编号；新增时留空。")
    )

    class Meta:
        model = Consultation
        fields = ["id", "party", "sent_on", "answered_on"]


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

    def to_representation(self, instance: InformationRequest) -> dict:
        data = super().to_representation(instance)
        if instance.applicant_id is not None and data.get("applicant") is not None:
            scope = self.context.get("identity") or IdentityScope(request_user(self))
            shown = applicant_identity(
                instance.applicant,
                clear=scope.clear_at(instance.body_id),
                listing=self.context.get("listing", False),
            )
            data["applicant"].update(asdict(shown))
        return data

    def validate(self, attrs: dict) -> dict:
        if attrs.get("applicant") is not None and attrs.get("new_applicant") is not None:
            raise serializers.ValidationError(
                {"new_applicant": [_("已选择申请人时不能同时登记新的申请人。")]}
            )
        return attrs

    @extend_schema_field(serializers.ChoiceField(choices=RequestStatus.choices))
    def get_status(self, obj: InformationRequest) -> str:
        return status_on(obj, today()).value

    def get_status_display(self, obj: InformationRequest) -> str:
        return str(status_on(obj, today()).label)

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
        """null while a 补正 is awaited: no clock runs (it restarts on the corrected request)."""
        explanation = request_explanation(obj)
        return None if explanation is None else ClockSerializer(explanation).data
