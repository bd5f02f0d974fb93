"""Appeal cases, register documents and yearly figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from disclosure.models import AppealCase, Document, YearlyFigure
from disclosure.serializers.fields import (
    CountedInPublishedMixin,
    RecordSerializer,
    VisibleBodyField,
    VisibleRequestField,
    years_between,
)


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


class FigureUpdateSerializer(FigureSerializer):
    """On update a figure's body, year and item are fixed (a wrong one is voided and entered
    again): read-only, as the schema says; a changed one sent anyway is refused by name."""

    body = VisibleBodyField(label=_("机构"), read_only=True)

    class Meta(FigureSerializer.Meta):
        read_only_fields = ["year", "item", "voided_at", "void_reason", "updated_at"]
