"""The demo's current year (``DemoBuilder.build_current_year``): the records from 1 January
to the day the demo is loaded make a clerk's worklist, and nothing is dated after that day."""

from __future__ import annotations

import collections
import datetime

import pytest

from disclosure.models import Body, Consultation, InformationRequest
from reports.demo import CURRENT_YEAR_START, DemoBuilder, DemoTooEarly, load_demo

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def current_year(db) -> list[InformationRequest]:
    builder = DemoBuilder(actor=None)
    builder.build_bodies()
    builder.build_applicants()
    builder.build_current_year(TODAY)
    return list(InformationRequest.objects.order_by("received_on", "pk"))


def test_the_current_year_runs_from_january_to_the_day_and_never_after(current_year):
    dates = [
        day
        for request in current_year
        for day in (
            request.received_on,
            request.concluded_on,
            request.correction_notice_on,
            request.extension_decided_on,
            request.fee_notice_on,
        )
        if day is not None
    ]
    sent = Consultation.objects.values_list("sent_on", flat=True)

    assert CURRENT_YEAR_START <= min(dates) and max([*dates, *sent]) <= TODAY
    assert current_year[-1].received_on == TODAY


def worklist_state(request: InformationRequest) -> str:
    """Where an open request stands on ``TODAY``, read from its fields (the statuses of the
    admin's worklist)."""
    if request.concluded_on is not None:
        return "concluded"
    if request.due_date is not None and request.due_date < TODAY:
        return "overdue"
    if request.correction_notice_on and request.correction_received_on is None:
        return "awaiting correction"
    if request.fee_notice_on and request.fee_paid_on is None:
        return "awaiting payment"
    if request.consultations.filter(answered_on__isnull=True).exists():
        return "consulting"
    if request.extension_days:
        return "extended"
    return "open"


def test_the_worklist_on_the_day_is_open_overdue_and_waiting_for_the_applicant(current_year):
    states = collections.Counter(worklist_state(request) for request in current_year)

    assert states == {
        "concluded": 94,  # received every other working day until six weeks before
        "open": 6,
        "consulting": 1,
        "extended": 2,
        "awaiting correction": 3,
        "awaiting payment": 2,
        "overdue": 3,
    }
    overdue = [r for r in current_year if worklist_state(r) == "overdue"]
    # 41, 29 and 23 working days before (the National Day holidays in between).
    assert [r.received_on for r in overdue] == [
        datetime.date(2026, 9, 18),
        datetime.date(2026, 10, 12),
        datetime.date(2026, 10, 20),
    ]
    waiting = [r for r in current_year if worklist_state(r) == "awaiting correction"]
    assert [r.due_date for r in waiting] == [None, None, None]  # the clock waits for 补正
    extended = [r for r in current_year if worklist_state(r) == "extended"]
    assert [r.due_date > TODAY for r in extended] == [True, True]


def test_the_demo_is_not_loaded_before_its_2025_reports_were_published(db):
    with pytest.raises(DemoTooEarly, match="2026-04-01"):
        load_demo(today=datetime.date(2026, 3, 31))

    assert Body.objects.count() == 0
