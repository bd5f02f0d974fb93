"""The explanation of a due date (``clock.explain``) as the API answers it — for the public
deadline calculator and for a request's ``clock`` — and the calculator's query."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from disclosure.serializers.fields import DateField
from disclosure.validators import DEADLINE_DATE


class DeadlineQuerySerializer(serializers.Serializer):
    received = DateField(
        label=_("收到申请日期"),
        help_text=_("收到申请日期（YYYY-MM-DD）"),
        # Not a record: people ask "if I send it tomorrow", so a future date is allowed.
        validators=[DEADLINE_DATE],
        error_messages={"required": _("请提供收到申请日期（received=YYYY-MM-DD）。")},
    )
    extension_days = serializers.IntegerField(
        label=_("延期工作日数"),
        help_text=_("延期工作日数（1至20）"),
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

    def to_internal_value(self, data):
        # ``?extension_days=`` is no number of days (DRF would read it as absent).
        if data.get("extension_days") == "":
            raise serializers.ValidationError(
                {"extension_days": [_("延期工作日数须为1至20的整数。")]}
            )
        return super().to_internal_value(data)


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()


class CountedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    number = serializers.IntegerField(help_text=_("第几个工作日（延期的接着原期限往后数）。"))
    note = serializers.CharField(allow_blank=True, help_text=_("调休上班日注明“调休上班”。"))


class ClockSerializer(serializers.Serializer):
    """A due date explained (``disclosure.clock.explain``), as the admin shows it."""

    received = serializers.DateField(help_text=_("收到申请日期。"))
    start = serializers.DateField(help_text=_("起算日（不计入）：收到申请日期或补正收到日期。"))
    due_date = serializers.DateField(help_text=_("答复期限：延期的为延期后的期限。"))
    base_due_date = serializers.DateField(help_text=_("20个工作日的答复期限（不含延期）。"))
    extended_due_date = serializers.DateField(
        allow_null=True, help_text=_("延期后的答复期限；未延期为 null。")
    )
    skipped = SkippedDaySerializer(many=True, help_text=_("不计入的日期及原因。"))
    counted = CountedDaySerializer(many=True, help_text=_("计入的每一个工作日。"))
    notes = CountedDaySerializer(
        many=True, help_text=_("计入的调休上班日（周末上班，计为工作日）。")
    )
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text=_("节假日安排未录入的年度等计算提示。")
    )
    alerts = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("需要注意的事项：延期决定晚于原期限、补正告知逾期，以及计算提示。"),
    )
    extension_late = serializers.BooleanField()
    correction_notice_late = serializers.BooleanField()
    paused_days = serializers.IntegerField(help_text=_("征求意见和待缴费暂停的工作日数。"))
    explanation = serializers.ListField(
        child=serializers.CharField(), help_text=_("逐日说明，从起算日到答复期限。")
    )
