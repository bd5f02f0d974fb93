"""Read helpers for the records: the admin, the API, exports and services use these."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch

from disclosure import worklist
from disclosure.calendar import OfficialSchedule, official_day, official_schedule
from disclosure.models import (
    AppealCase,
    Applicant,
    AuditEntry,
    Body,
    CalendarDay,
    Consultation,
    Document,
    InformationRequest,
)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar month, both inclusive."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


# --- requests ----------------------------------------------------------------------------


def requests_for_list(user) -> models.QuerySet[InformationRequest]:
    """The requests ``user`` may see, with what a list row shows (body, applicant, and the
    consultations that ``clock.status_on`` reads) fetched up front."""
    return (
        InformationRequest.objects.visible_to(user)
        .select_related("body", "applicant")
        .prefetch_related(
            Prefetch("consultations", queryset=Consultation.objects.order_by("sent_on", "pk"))
        )
    )


def open_requests() -> models.QuerySet[InformationRequest]:
    """Requests still running: not voided and not concluded."""
    return InformationRequest.objects.active().filter(concluded_on__isnull=True)


def open_requests_covering(*days: datetime.date) -> models.QuerySet[InformationRequest]:
    """Open requests whose clock may pass over any of ``days``: received before the latest of
    them and not due before the earliest (or with no due date yet)."""
    return open_requests().filter(
        models.Q(due_date__gte=min(days)) | models.Q(due_date__isnull=True),
        received_on__lt=max(days),
    )


def user_worklist(user, today: datetime.date, *, limit: int = worklist.LIST_LIMIT):
    """The 工作台 of ``user`` on ``today``: every category of ``disclosure.worklist`` over the
    requests the user sees (a membership reaches its body's subtree; a superuser sees all)."""
    requests = InformationRequest.objects.visible_to(user)
    if not user.is_superuser:
        # The visible bodies as a literal list besides the rule's subquery: PostgreSQL then
        # reads a clerk's rows through the body index (as the admin lists do, benchmarks/).
        requests = requests.filter(
            body__in=list(Body.objects.visible_to(user).values_list("pk", flat=True))
        )
    return worklist.worklist(requests, worklist.work_day(today), limit=limit)


def overdue_requests(user, today: datetime.date) -> models.QuerySet[InformationRequest]:
    return requests_for_list(user).overdue_on(today).order_by("due_date", "pk")


# --- applicants --------------------------------------------------------------------------


def applicant_requests_in_month(
    applicant: Applicant, year: int, month: int
) -> models.QuerySet[InformationRequest]:
    """The applicant's requests received in that calendar month (not voided), in order of
    receipt: the 按件 fee counts them in this order."""
    first, last = month_bounds(year, month)
    return (
        InformationRequest.objects.active()
        .filter(applicant=applicant)
        .received_between(first, last)
        .select_related("body")
        .order_by("received_on", "pk")
    )


_NOT_WORDS = re.compile(r"[\s，。、；：！？,.;:!?“”\"'（）()《》]+")


def normalised_content(text: str) -> str:
    """The content with whitespace and punctuation removed, for comparing requests."""
    return _NOT_WORDS.sub("", text or "").lower()


@dataclass(frozen=True)
class RepeatedRequests:
    content: str
    requests: tuple[InformationRequest, ...]


def repeated_requests(applicant: Applicant) -> list[RepeatedRequests]:
    """Groups of the applicant's (not voided) requests asking for the same content,
    disregarding spacing and punctuation; oldest group first, each in order of receipt."""
    groups: dict[str, list[InformationRequest]] = {}
    rows = (
        InformationRequest.objects.active()
        .filter(applicant=applicant)
        .select_related("body")
        .order_by("received_on", "pk")
    )
    for request in rows:
        groups.setdefault(normalised_content(request.content), []).append(request)
    return [
        RepeatedRequests(content=items[0].content, requests=tuple(items))
        for items in groups.values()
        if len(items) > 1
    ]


# --- the working-day calendar ------------------------------------------------------------


@dataclass(frozen=True)
class CalendarOverride:
    """A local override, and what the national schedule says of its date ("" when the
    year has no national schedule)."""

    day: CalendarDay
    official: str


@dataclass(frozen=True)
class CalendarYear:
    schedule: OfficialSchedule
    overrides: tuple[CalendarOverride, ...]

    @property
    def year(self) -> int:
        return self.schedule.year


def calendar_years(today: datetime.date) -> list[CalendarYear]:
    """Last year, this year, next year and every year with an override, newest first: the
    national schedule of each beside its local overrides (one query)."""
    overrides: dict[int, list[CalendarOverride]] = {}
    for day in CalendarDay.objects.order_by("date"):
        overrides.setdefault(day.date.year, []).append(
            CalendarOverride(day, official_day(day.date))
        )
    years = {today.year - 1, today.year, today.year + 1, *overrides}
    return [
        CalendarYear(official_schedule(year), tuple(overrides.get(year, ())))
        for year in sorted(years, reverse=True)
    ]


# --- other records -----------------------------------------------------------------------


def bodies_for_user(user) -> models.QuerySet[Body]:
    return Body.objects.visible_to(user).select_related("parent")


def appeals_for_list(user) -> models.QuerySet[AppealCase]:
    return AppealCase.objects.visible_to(user).select_related("body", "request")


def documents_for_list(user) -> models.QuerySet[Document]:
    return Document.objects.visible_to(user).select_related("body")


def record_history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit rows of one record, newest first."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
