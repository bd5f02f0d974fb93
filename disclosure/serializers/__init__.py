"""Serializers of the staff records API.

They parse and render only: every write goes through ``disclosure.services`` (which runs the
model's ``full_clean()``), so the API validates exactly as the admin does. Querysets of the
related-record fields are limited to what the requesting user may see, so an unknown code
and a code outside the user's bodies get the same answer.
"""

from disclosure.serializers.bodies import (
    BodyAbolishSerializer,
    BodyMoveSerializer,
    BodySerializer,
    BodyUpdateSerializer,
)
from disclosure.serializers.deadline import ClockSerializer, DeadlineQuerySerializer
from disclosure.serializers.fields import DateField, VisibleBodyField, VoidSerializer
from disclosure.serializers.registers import (
    AppealSerializer,
    DocumentSerializer,
    FigureSerializer,
    FigureUpdateSerializer,
)
from disclosure.serializers.requests import (
    ApplicantSerializer,
    ConsultationSerializer,
    RequestDetailSerializer,
    RequestSerializer,
)

__all__ = [
    "AppealSerializer",
    "ApplicantSerializer",
    "BodyAbolishSerializer",
    "BodyMoveSerializer",
    "BodySerializer",
    "BodyUpdateSerializer",
    "ClockSerializer",
    "ConsultationSerializer",
    "DateField",
    "DeadlineQuerySerializer",
    "DocumentSerializer",
    "FigureSerializer",
    "FigureUpdateSerializer",
    "RequestDetailSerializer",
    "RequestSerializer",
    "VisibleBodyField",
    "VoidSerializer",
]
