"""Bodies, and the forms of their reorganisation (move, abolish)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from disclosure.models import Body, BodyMove
from disclosure.serializers.fields import DateField, RecordSerializer, TextField, VisibleBodyField
from disclosure.validators import validate_body_code


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
            "code": {"validators": [validate_body_code]},
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
    # The range of these dates is the model's (applied again by body_move and body_abolish),
    # here so that the schema states it.
    moved_on = DateField(
        label=_("调整日期"),
        help_text=_("自该日起隶属新上级机构。"),
        validators=BodyMove._meta.get_field("moved_on").validators,
    )
    note = TextField(label=_("说明"), max_length=300, required=False, default="")


class BodyAbolishSerializer(serializers.Serializer):
    abolished_on = DateField(
        label=_("撤销日期"), validators=Body._meta.get_field("abolished_on").validators
    )
    successor = VisibleBodyField(label=_("承继机构"), required=False, allow_null=True, default=None)
