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
from disclosure.serializers.deadline import DeadlineQuerySerializer, DeadlineSerializer
from disclosure.serializers.fields import (
    FIRST_DATE,
    LAST_DATE,
    RecordDateField,
    VisibleBodyField,
    VoidSerializer,
)
from disclosure.serializers.registers import AppealSerializer, DocumentSerializer, FigureSerializer
from disclosure.serializers.requests import (
    ApplicantSerializer,
    ClockSerializer,
    ConsultationSerializer,
    RequestDetailSerializer,
    RequestSerializer,
)

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "AppealSerializer",
    "ApplicantSerializer",
    "BodyAbolishSerializer",
    "BodyMoveSerializer",
    "BodySerializer",
    "BodyUpdateSerializer",
    "ClockSerializer",
    "ConsultationSerializer",
    "DeadlineQuerySerializer",
    "DeadlineSerializer",
    "DocumentSerializer",
    "FigureSerializer",
    "RecordDateField",
    "RequestDetailSerializer",
    "RequestSerializer",
    "VisibleBodyField",
    "VoidSerializer",
]
