"""The query and the answer of the public deadline calculator."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from disclosure.serializers.fields import FIRST_DATE, LAST_DATE
from disclosure.serializers.requests import SkippedDaySerializer


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
