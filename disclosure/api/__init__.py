"""The staff records API (/api/v1/…) and the public deadline calculator.

Reads go through ``X.objects.visible_to(user)`` — the one visibility rule the admin uses —
so a record outside the user's bodies is a plain 404. Writes need the 录入 role on the
record's body (``disclosure.access.has_role_at``) and go through
``disclosure.services``, whose ``full_clean()`` gives the admin's validation; its
``ValidationError`` becomes a 400 with the same field-level Chinese messages. Records are
voided with a reason (POST …/{id}/void/), never deleted.
"""

from disclosure.api import schema  # noqa: F401  (registers the documentation's token scheme)
from disclosure.api.base import (
    ApiMixin,
    ApiPagination,
    PublicRateThrottle,
    RecordViewSet,
    VoidMixin,
    api_exception_handler,
    require_edit,
    service_errors,
)
from disclosure.api.bodies import BodyViewSet
from disclosure.api.deadline import DeadlineView
from disclosure.api.registers import AppealViewSet, DocumentViewSet, FigureViewSet
from disclosure.api.requests import RequestViewSet
from disclosure.api.worklist import WorklistView

__all__ = [
    "ApiMixin",
    "ApiPagination",
    "AppealViewSet",
    "BodyViewSet",
    "DeadlineView",
    "DocumentViewSet",
    "FigureViewSet",
    "PublicRateThrottle",
    "RecordViewSet",
    "RequestViewSet",
    "VoidMixin",
    "WorklistView",
    "api_exception_handler",
    "require_edit",
    "service_errors",
]
