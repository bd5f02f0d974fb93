"""disclosure.worklist: the categories of the 工作台, their counts and their lists."""

from __future__ import annotations

import datetime

import pytest

from disclosure import worklist
from disclosure.calendar import WorkingCalendar
from disclosure.models import Attachment, Consultation, InformationRequest
from disclosure.selectors import user_worklist
from disclosure.vocab import AttachmentKind, Result
from tests.disclosure.casework_helpers import NOW, TODAY, casework_world
from tests.factories import RequestFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def world():
    return casework_world()


def by_key(entries) -> dict:
    return {entry.key: entry for entry in entries}


def references(entry) -> list[str]:
    return [request.reference for request in entry.requests]


def test_a_clerk_finds_her_countys_overdue_due_soon_and_lapsed_requests(world):
    entries = by_key(user_worklist(world.a.clerk, TODAY))
    assert [entries[key].count for key in worklist.CATEGORIES] == [1, 1, 1, 0, 0, 0]
    assert references(entries["overdue"]) == ["2026-101"]
    assert references(entries["due_soon"]) == ["2026-102"]
    assert references(entries["correction_lapsed"]) == ["2026-103"]


def test_a_clerk_of_the_sibling_county_finds_none_of_them(world):
    entries = by_key(user_worklist(world.b.clerk, TODAY))
    found = {request.reference for entry in entries.values() for request in entry.requests}
    assert found == {"2026-201", "2026-202", "2026-203"}


def test_the_city_and_a_superuser_see_both_counties(world):
    root = UserFactory(username="root", is_superuser=True)
    entries = by_key(user_worklist(root, TODAY))
    assert references(entries["overdue"]) == ["2026-101", "2026-201"]
    assert entries["correction_lapsed"].count == 2


def test_a_staff_user_without_membership_has_an_empty_worklist(world):
    entries = user_worklist(UserFactory(username="nobody"), TODAY)
    assert [entry.count for entry in entries] == [0] * 6


def test_due_soon_counts_working_days_not_calendar_days(world):
    # Mon 30 Nov + 5 working days = Mon 7 Dec; due on the Tuesday after is not "soon".
    day = worklist.work_day(TODAY, calendar=WorkingCalendar())
    assert day.due_soon_until == datetime.date(2026, 12, 7)
    world.a.on_time.due_date = datetime.date(2026, 12, 7)
    world.a.on_time.save()
    RequestFactory(
        body=world.a.body,
        received_on=datetime.date(2026, 11, 20),
        due_date=datetime.date(2026, 12, 8),
    )
    entries = by_key(user_worklist(world.a.clerk, TODAY))
    assert references(entries["due_soon"]) == ["2026-102", "2026-104"]


def test_a_consultation_unanswered_after_15_working_days_is_listed(world):
    # Sent Thu 5 Nov: its 15th working day is Thu 26 Nov, so it is late on the 30th.
    Consultation.objects.create(
        request=world.a.on_time, party="第三方", sent_on=datetime.date(2026, 11, 5)
    )
    # Sent Mon 9 Nov: the 15th working day is Mon 30 Nov itself, not yet past.
    Consultation.objects.create(
        request=world.a.due_soon, party="第三方", sent_on=datetime.date(2026, 11, 9)
    )
    entries = by_key(user_worklist(world.a.clerk, TODAY))
    assert references(entries["consultation_unanswered"]) == ["2026-104"]


def test_concluded_without_a_reply_letter_on_file(world):
    with_reply = RequestFactory(
        body=world.a.body,
        reference="2026-110",
        received_on=datetime.date(2026, 9, 1),
        concluded_on=datetime.date(2026, 9, 20),
        result=Result.GRANTED,
    )
    Attachment.objects.create(request=with_reply, kind=AttachmentKind.REPLY, file="a/reply.pdf")
    without = RequestFactory(
        body=world.a.body,
        reference="2026-111",
        received_on=datetime.date(2026, 9, 1),
        concluded_on=datetime.date(2026, 9, 21),
        result=Result.GRANTED,
    )
    Attachment.objects.create(request=without, kind=AttachmentKind.APPLICATION, file="a/app.pdf")
    RequestFactory(  # withdrawn: no reply is owed
        body=world.a.body,
        reference="2026-112",
        received_on=datetime.date(2026, 9, 1),
        withdrawn_on=datetime.date(2026, 9, 3),
        concluded_on=datetime.date(2026, 9, 3),
        result=Result.OTHER_OTHER,
    )
    RequestFactory(  # concluded more than 90 days ago: out of the list
        body=world.a.body,
        reference="2026-113",
        received_on=datetime.date(2026, 8, 1),
        concluded_on=datetime.date(2026, 8, 31),
        result=Result.GRANTED,
    )
    entries = by_key(user_worklist(world.a.clerk, TODAY))
    assert references(entries["no_reply_on_file"]) == ["2026-111"]


def test_an_extension_decided_after_the_due_date_is_listed(world):
    InformationRequest.objects.filter(pk=world.a.on_time.pk).update(extension_late=True)
    entries = by_key(user_worklist(world.a.clerk, TODAY))
    assert references(entries["extension_late"]) == ["2026-104"]


def test_a_day_in_the_past_reads_the_requests_as_they_stood(world):
    # On 10 November the overdue request was not yet overdue and the 补正 had not lapsed.
    entries = by_key(
        worklist.worklist(
            InformationRequest.objects.filter(body__path__startswith=world.a.body.path),
            worklist.work_day(datetime.date(2026, 11, 5)),
        )
    )
    assert references(entries["due_soon"]) == ["2026-101"]
    assert entries["overdue"].count == 0
    assert entries["correction_lapsed"].count == 0


def test_the_worklist_costs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for _number in range(30):
        RequestFactory(
            body=world.a.department,
            received_on=datetime.date(2026, 10, 1),
            due_date=datetime.date(2026, 10, 30),
        )
    # the memberships and the visible bodies, the calendar, the counts (the open requests'
    # together, the two of concluded ones apart), one list per category with rows
    with django_assert_max_num_queries(12):
        entries = by_key(user_worklist(world.a.clerk, TODAY))
    assert entries["overdue"].count == 31
