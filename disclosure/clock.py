"""The reply clock of a request (第三十三条): from its recorded events to its due date, its
status on a day, and the explanation of both.

``calendar.py`` beside it is the pure arithmetic of working days (dates in, dates out); this
module reads a request. Every caller — services, selectors, admin, API, exports — asks here:

- ``request_due``: the request's events as ``compute_due`` takes them, and its answer;
- ``clock_runs``: while a 补正 is awaited the clock does not run (it restarts on the corrected
  application), so the request has no due date;
- ``stored_clock``: the values of the stored clock fields (``CLOCK_FIELDS``), which lists
  filter and sort by in SQL;
- ``status_on``: the status of a request on a day, in Python; ``status_conditions``: the same
  rule as one SQL condition per status, for the status filters of the lists;
- ``explain``: a due date explained, as the API answers it and the admin shows it.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from disclosure.calendar import DueDate, WorkingCalendar, compute_due
from disclosure.models import Consultation, InformationRequest
from disclosure.vocab import RequestStatus

CLOCK_FIELDS = (
    "due_date",
    "base_due_date",
    "correction_notice_late",
    "extension_late",
    "calendar_warning",
)


def request_due(
    request: InformationRequest,
    *,
    consultations: list[Consultation] | None = None,
    calendar: WorkingCalendar | None = None,
) -> DueDate:
    """The reply clock of a request from its recorded events, with its explanation.

    Without ``consultations`` uses ``request.consultations`` (prefetch it for lists). A fee
    pause ends on the payment day, else on the payment period's last day."""
    if consultations is None:
        consultations = list(request.consultations.all())
    fee_pauses = []
    if request.fee_notice_on:
        fee_pauses.append((request.fee_notice_on, request.fee_paid_on or request.fee_due_on))
    return compute_due(
        received_on=request.received_on,
        correction_received_on=request.correction_received_on,
        consultations=[(c.sent_on, c.answered_on) for c in consultations],
        fee_pauses=fee_pauses,
        extension_days=request.extension_days,
        extension_decided_on=request.extension_decided_on,
        correction_notice_on=request.correction_notice_on,
        calendar=calendar,
    )


def clock_runs(request: InformationRequest) -> bool:
    """False while a 补正 is awaited: the clock restarts on the corrected application."""
    return not (request.correction_notice_on and not request.correction_received_on)


def stored_clock(
    request: InformationRequest,
    *,
    consultations: list[Consultation] | None = None,
    calendar: WorkingCalendar | None = None,
) -> dict[str, object]:
    """``CLOCK_FIELDS`` of the request as its events make them now."""
    due = request_due(request, consultations=consultations, calendar=calendar)
    runs = clock_runs(request)
    return {
        "due_date": due.due_date if runs else None,
        "base_due_date": due.base_due_date if runs else None,
        "correction_notice_late": due.correction_notice_late,
        "extension_late": due.extension_late,
        "calendar_warning": "；".join(due.warnings)[:300],
    }


def status_on(
    request: InformationRequest,
    today: datetime.date,
    *,
    consultations: list[Consultation] | None = None,
) -> RequestStatus:
    """Derived from the stored dates and ``today``, so it is never stale. The order of the
    tests is the order of precedence of ``status_conditions``. Without ``consultations``
    reads ``request.consultations`` (prefetch it for lists)."""
    if consultations is None:
        consultations = list(request.consultations.all())
    if request.voided_at:
        return RequestStatus.VOIDED
    if request.concluded_on and request.concluded_on <= today:
        return RequestStatus.CONCLUDED
    if request.due_date and today > request.due_date:
        return RequestStatus.OVERDUE
    if (
        request.correction_notice_on
        and not request.correction_received_on
        and request.correction_notice_on <= today
    ):
        return RequestStatus.AWAITING_CORRECTION
    if request.fee_notice_on and not request.fee_paid_on and request.fee_notice_on <= today:
        if not request.fee_due_on or today <= request.fee_due_on:
            return RequestStatus.AWAITING_PAYMENT
    if any(
        c.sent_on <= today and (c.answered_on is None or c.answered_on > today)
        for c in consultations
    ):
        return RequestStatus.CONSULTING
    if (
        request.extension_days
        and request.extension_decided_on
        and request.extension_decided_on <= today
    ):
        return RequestStatus.EXTENDED
    return RequestStatus.OPEN


def status_conditions(today: datetime.date) -> dict[str, Q]:
    """``status_on(request, today)`` as one SQL condition per status, each in the same order
    of precedence: a request matches exactly one of them."""
    voided = Q(voided_at__isnull=False)
    concluded = Q(concluded_on__isnull=False, concluded_on__lte=today)
    overdue = Q(due_date__lt=today)
    awaiting_correction = Q(correction_notice_on__lte=today, correction_received_on__isnull=True)
    awaiting_payment = Q(fee_notice_on__lte=today, fee_paid_on__isnull=True) & (
        Q(fee_due_on__isnull=True) | Q(fee_due_on__gte=today)
    )
    consulting = Q(
        Exists(
            Consultation.objects.filter(request=OuterRef("pk"), sent_on__lte=today).filter(
                Q(answered_on__isnull=True) | Q(answered_on__gt=today)
            )
        )
    )
    extended = Q(extension_days__isnull=False, extension_decided_on__lte=today)
    ordered = [
        (RequestStatus.VOIDED, voided),
        (RequestStatus.CONCLUDED, concluded),
        (RequestStatus.OVERDUE, overdue),
        (RequestStatus.AWAITING_CORRECTION, awaiting_correction),
        (RequestStatus.AWAITING_PAYMENT, awaiting_payment),
        (RequestStatus.CONSULTING, consulting),
        (RequestStatus.EXTENDED, extended),
    ]
    conditions: dict[str, Q] = {}
    earlier = Q()
    for status, condition in ordered:
        conditions[status] = condition & ~earlier if earlier else condition
        earlier = earlier | condition if earlier else condition
    conditions[RequestStatus.OPEN] = ~earlier
    return conditions


def explain(due: DueDate) -> dict:
    """A due date explained, the one way the product explains it: the deadline calculator
    of the API and of the admin, a request's page in the admin and its ``clock`` in the API
    (``ClockSerializer`` renders it, ``admin/disclosure/_clock.html`` shows it).

    Dates stay ``datetime.date``. ``skipped``: every day not counted with its reason;
    ``counted``: every counted working day with its number; ``notes``: the counted days that
    need a word (调休上班); ``alerts``: the late flags and the calendar's warnings as sentences;
    ``explanation``: one line per day from the start to the due date."""
    counted = [{"date": day.date, "number": day.number, "note": day.note} for day in due.counted]
    return {
        "received": due.received_on,
        "start": due.start,
        "due_date": due.due_date,
        "base_due_date": due.base_due_date,
        "extended_due_date": due.extended_due_date,
        "skipped": [{"date": day.date, "reason": day.reason} for day in due.skipped],
        "counted": counted,
        "notes": [day for day in counted if day["note"]],
        "warnings": list(due.warnings),
        "alerts": list(due.alerts()),
        "extension_late": due.extension_late,
        "correction_notice_late": due.correction_notice_late,
        "paused_days": due.paused_days,
        "explanation": due.explanation(),
    }


def request_explanation(request: InformationRequest) -> dict | None:
    """``explain`` of the request's clock; None while the clock does not run."""
    if not clock_runs(request):
        return None
    return explain(request_due(request))
