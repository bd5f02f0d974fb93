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


def test_the_worklist_on_the_day_is_open_overdue_and_waiting_for_the_applicant(current_year):
    statuses = collections.Counter(str(r.status_on(TODAY).label) for r in current_year)

    assert statuses == {
        "已办结": 94,  # received every other working day until 6 weeks before
        "在办": 6,
        "征求意见中": 1,
        "已延期": 2,
        "待补正": 3,
        "待缴费": 2,
        "逾期": 3,
    }
    overdue = [r for r in current_year if r.status_on(TODAY) == "overdue"]
    assert [r.due_date < TODAY for r in overdue] == [True, True, True]
    waiting = [r for r in current_year if r.status_on(TODAY) == "awaiting_correction"]
    assert [(r.correction_received_on, r.due_date) for r in waiting] == [(None, None)] * 3


def test_the_demo_is_not_loaded_before_its_2025_reports_were_published(db):
    with pytest.raises(DemoTooEarly, match="2026-04-01"):
        load_demo(today=datetime.date(2026, 3, 31))

    assert Body.objects.count() == 0
