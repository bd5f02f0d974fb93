"""The reply clock of a request: its due date, its status in Python and in SQL, and the one
explanation of a due date. Pure tests take explicit dates and the packaged calendar; the
tests that read or write rows are marked for the database."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from disclosure import clock
from disclosure.calendar import WorkingCalendar, compute_due
from disclosure.models import Consultation, InformationRequest
from disclosure.vocab import FeeMethod, RequestStatus, Result
from tests.factories import BodyFactory, RequestFactory

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = D(2025, 6, 16)  # a Monday
YESTERDAY, TOMORROW = D(2025, 6, 15), D(2025, 6, 17)


def request(**fields) -> InformationRequest:
    return InformationRequest(received_on=fields.pop("received_on", D(2025, 6, 3)), **fields)


def status(request: InformationRequest, day: datetime.date, *consultations) -> RequestStatus:
    return clock.status_on(request, day, consultations=list(consultations))


def consultation(sent_on: datetime.date, answered_on: datetime.date | None) -> Consultation:
    return Consultation(party="第三方", sent_on=sent_on, answered_on=answered_on)


# --- the status in Python --------------------------------------------------------------------


def test_status_is_open_up_to_the_due_date_and_overdue_after_it():
    open_request = request(received_on=D(2025, 9, 30), due_date=D(2025, 11, 4))
    assert status(open_request, D(2025, 11, 4)) == RequestStatus.OPEN
    assert status(open_request, D(2025, 11, 5)) == RequestStatus.OVERDUE


def test_status_is_concluded_from_the_conclusion_day():
    concluded = request(
        received_on=D(2025, 9, 30),
        due_date=D(2025, 11, 4),
        concluded_on=D(2025, 11, 10),
        result=Result.GRANTED,
    )
    assert status(concluded, D(2025, 11, 9)) == RequestStatus.OVERDUE
    assert status(concluded, D(2025, 11, 10)) == RequestStatus.CONCLUDED


def test_status_while_awaiting_correction():
    awaiting = request(received_on=D(2025, 3, 3), correction_notice_on=D(2025, 3, 5))
    assert status(awaiting, D(2025, 3, 4)) == RequestStatus.OPEN
    assert status(awaiting, D(2025, 3, 5)) == RequestStatus.AWAITING_CORRECTION


def test_status_while_awaiting_payment_until_the_period_ends():
    awaiting = request(
        received_on=D(2025, 3, 3),
        due_date=D(2025, 5, 1),
        fee_method=FeeMethod.PER_PAGE,
        fee_notice_on=D(2025, 3, 5),
        fee_due_on=D(2025, 4, 2),
    )
    assert status(awaiting, D(2025, 4, 2)) == RequestStatus.AWAITING_PAYMENT
    assert status(awaiting, D(2025, 4, 3)) == RequestStatus.OPEN


def test_status_while_consulting_and_after_the_answer():
    consulting = request(received_on=D(2025, 6, 2), due_date=D(2025, 7, 10))
    answered = consultation(D(2025, 6, 10), D(2025, 6, 20))
    assert status(consulting, D(2025, 6, 19), answered) == RequestStatus.CONSULTING
    assert status(consulting, D(2025, 6, 20), answered) == RequestStatus.OPEN


def test_status_after_an_extension():
    extended = request(
        received_on=D(2025, 9, 30),
        due_date=D(2025, 12, 2),
        extension_days=20,
        extension_decided_on=D(2025, 11, 3),
    )
    assert status(extended, D(2025, 11, 2)) == RequestStatus.OPEN
    assert status(extended, D(2025, 11, 3)) == RequestStatus.EXTENDED


def test_status_of_a_voided_request():
    voided = request(voided_at=datetime.datetime(2025, 6, 2, tzinfo=SHANGHAI))
    assert status(voided, D(2025, 1, 1)) == RequestStatus.VOIDED


# --- the due date of a request -----------------------------------------------------------------


def test_request_due_counts_the_recorded_consultations():
    consulting = request(received_on=D(2025, 6, 2))
    due = clock.request_due(
        consulting,
        consultations=[consultation(D(2025, 6, 10), D(2025, 6, 20))],
        calendar=WorkingCalendar(),
    )
    assert (due.due_date, due.paused_days) == (D(2025, 7, 10), 8)
    assert due.skipped[0].date == D(2025, 6, 7)


def test_request_due_pauses_for_a_fee_until_the_payment_period_ends():
    paying = request(
        received_on=D(2025, 3, 3),
        fee_method=FeeMethod.PER_REQUEST,
        fee_notice_on=D(2025, 3, 5),
        fee_due_on=D(2025, 3, 12),
    )
    due = clock.request_due(paying, consultations=[], calendar=WorkingCalendar())
    assert due.due_date == D(2025, 4, 8)


def test_awaiting_a_correction_stores_no_due_date_but_keeps_the_late_flag():
    awaiting = request(received_on=D(2025, 3, 3), correction_notice_on=D(2025, 3, 13))
    assert clock.clock_runs(awaiting) is False
    assert clock.stored_clock(awaiting, consultations=[], calendar=WorkingCalendar()) == {
        "due_date": None,
        "base_due_date": None,
        "correction_notice_late": True,
        "extension_late": False,
        "calendar_warning": "",
    }


def test_a_corrected_request_runs_from_the_correction():
    corrected = request(
        received_on=D(2025, 3, 3),
        correction_notice_on=D(2025, 3, 5),
        correction_received_on=D(2025, 3, 17),
    )
    assert clock.clock_runs(corrected) is True
    stored = clock.stored_clock(corrected, consultations=[], calendar=WorkingCalendar())
    assert (stored["due_date"], stored["base_due_date"]) == (D(2025, 4, 15), D(2025, 4, 15))


def test_an_unknown_year_is_stored_as_a_warning_of_at_most_300_characters():
    late = request(received_on=D(2026, 12, 10))
    stored = clock.stored_clock(late, consultations=[], calendar=WorkingCalendar())
    assert stored["calendar_warning"] == "2027年节假日安排尚未录入，按周一至周五计算"


# --- the one explanation ------------------------------------------------------------------------


def test_explain_gives_dates_days_and_the_counted_make_up_working_day():
    explained = clock.explain(compute_due(received_on=D(2025, 9, 30), calendar=WorkingCalendar()))
    assert explained["received"] == D(2025, 9, 30)
    assert explained["start"] == D(2025, 9, 30)
    assert (explained["due_date"], explained["base_due_date"]) == (D(2025, 11, 4), D(2025, 11, 4))
    assert explained["extended_due_date"] is None
    assert explained["skipped"][0] == {"date": D(2025, 10, 1), "reason": "国庆节"}
    assert len(explained["counted"]) == 20
    assert explained["notes"] == [{"date": D(2025, 10, 11), "number": 3, "note": "调休上班"}]
    assert (explained["warnings"], explained["alerts"]) == ([], [])
    assert explained["explanation"][-1] == "答复期限：2025-11-04"


def test_explain_names_an_extension_and_its_late_decision_as_alerts():
    due = compute_due(
        received_on=D(2025, 9, 30),
        extension_days=20,
        extension_decided_on=D(2025, 11, 5),
        calendar=WorkingCalendar(),
    )
    explained = clock.explain(due)
    assert (explained["due_date"], explained["base_due_date"]) == (D(2025, 12, 2), D(2025, 11, 4))
    assert explained["extended_due_date"] == D(2025, 12, 2)
    assert explained["extension_late"] is True
    assert explained["alerts"] == ["延期决定晚于原答复期限。"]
    assert explained["explanation"][-2:] == [
        "延期后答复期限：2025-12-02",
        "延期决定晚于原答复期限。",
    ]


def test_explain_puts_the_late_flags_before_the_calendar_warnings():
    due = compute_due(
        received_on=D(2026, 12, 1),
        correction_notice_on=D(2026, 12, 11),
        correction_received_on=D(2026, 12, 14),
        calendar=WorkingCalendar(),
    )
    assert clock.explain(due)["alerts"] == [
        "补正告知晚于收到申请后7个工作日。",
        "2027年节假日安排尚未录入，按周一至周五计算",
    ]


def test_a_request_awaiting_correction_has_no_explanation():
    awaiting = request(received_on=D(2025, 3, 3), correction_notice_on=D(2025, 3, 5))
    assert clock.request_explanation(awaiting) is None


# --- the status in SQL agrees with the status in Python -------------------------------------------

# One request per state a request can be in, and per boundary of each state, on TODAY: the
# status clock.status_on gives it (the fields and the consultations as (sent, answered)).
STATES = {
    "open": (RequestStatus.OPEN, {"due_date": TOMORROW}, []),
    "open, due today": (RequestStatus.OPEN, {"due_date": TODAY}, []),
    "open, no due date yet": (RequestStatus.OPEN, {}, []),
    "voided": (
        RequestStatus.VOIDED,
        {"due_date": YESTERDAY, "voided_at": datetime.datetime(2025, 6, 2, tzinfo=SHANGHAI)},
        [],
    ),
    "voided after its conclusion": (
        RequestStatus.VOIDED,
        {
            "concluded_on": D(2025, 6, 10),
            "result": Result.GRANTED,
            "voided_at": datetime.datetime(2025, 6, 12, tzinfo=SHANGHAI),
        },
        [],
    ),
    "concluded today": (
        RequestStatus.CONCLUDED,
        {"due_date": D(2025, 6, 13), "concluded_on": TODAY, "result": Result.GRANTED},
        [],
    ),
    "concluded tomorrow: overdue today": (
        RequestStatus.OVERDUE,
        {"due_date": D(2025, 6, 13), "concluded_on": TOMORROW, "result": Result.GRANTED},
        [],
    ),
    "concluded tomorrow: open today": (
        RequestStatus.OPEN,
        {"due_date": D(2025, 6, 20), "concluded_on": TOMORROW, "result": Result.GRANTED},
        [],
    ),
    "overdue since yesterday": (RequestStatus.OVERDUE, {"due_date": YESTERDAY}, []),
    "overdue while consulting": (
        RequestStatus.OVERDUE,
        {"due_date": YESTERDAY},
        [(D(2025, 6, 9), None)],
    ),
    "awaiting correction": (
        RequestStatus.AWAITING_CORRECTION,
        {"correction_notice_on": D(2025, 6, 10)},
        [],
    ),
    "correction notice today": (
        RequestStatus.AWAITING_CORRECTION,
        {"correction_notice_on": TODAY},
        [],
    ),
    "correction notice tomorrow": (RequestStatus.OPEN, {"correction_notice_on": TOMORROW}, []),
    "correction received": (
        RequestStatus.OPEN,
        {
            "correction_notice_on": D(2025, 6, 5),
            "correction_received_on": D(2025, 6, 10),
            "due_date": D(2025, 7, 8),
        },
        [],
    ),
    "awaiting payment within the period": (
        RequestStatus.AWAITING_PAYMENT,
        {"fee_notice_on": D(2025, 6, 10), "fee_due_on": TODAY, "due_date": D(2025, 7, 20)},
        [],
    ),
    "payment period ended yesterday": (
        RequestStatus.OPEN,
        {"fee_notice_on": D(2025, 6, 2), "fee_due_on": YESTERDAY, "due_date": D(2025, 7, 20)},
        [],
    ),
    "awaiting payment without a period": (
        RequestStatus.AWAITING_PAYMENT,
        {"fee_notice_on": D(2025, 6, 10), "due_date": D(2025, 7, 20)},
        [],
    ),
    "fee paid": (
        RequestStatus.OPEN,
        {"fee_notice_on": D(2025, 6, 10), "fee_paid_on": D(2025, 6, 12), "due_date": TOMORROW},
        [],
    ),
    "awaiting payment while consulting": (
        RequestStatus.AWAITING_PAYMENT,
        {"fee_notice_on": D(2025, 6, 10), "due_date": D(2025, 7, 20)},
        [(D(2025, 6, 9), None)],
    ),
    "consulting, not answered": (
        RequestStatus.CONSULTING,
        {"due_date": D(2025, 7, 20)},
        [(D(2025, 6, 9), None)],
    ),
    "consulting, answered tomorrow": (
        RequestStatus.CONSULTING,
        {"due_date": D(2025, 7, 20)},
        [(D(2025, 6, 9), TOMORROW)],
    ),
    "consultation answered today": (
        RequestStatus.OPEN,
        {"due_date": D(2025, 7, 20)},
        [(D(2025, 6, 9), TODAY)],
    ),
    "consultation sent tomorrow": (
        RequestStatus.OPEN,
        {"due_date": D(2025, 7, 20)},
        [(TOMORROW, None)],
    ),
    "consulting while extended": (
        RequestStatus.CONSULTING,
        {"extension_days": 10, "extension_decided_on": D(2025, 6, 2), "due_date": D(2025, 7, 1)},
        [(D(2025, 6, 9), None), (D(2025, 5, 20), D(2025, 5, 22))],
    ),
    "extended": (
        RequestStatus.EXTENDED,
        {"extension_days": 10, "extension_decided_on": TODAY, "due_date": D(2025, 6, 30)},
        [],
    ),
    "extension decided tomorrow": (
        RequestStatus.OPEN,
        {"extension_days": 10, "extension_decided_on": TOMORROW, "due_date": D(2025, 6, 30)},
        [],
    ),
}


@pytest.mark.django_db
def test_the_sql_status_of_every_state_is_the_python_status_and_only_one_matches():
    body = BodyFactory()
    built = {}
    for name, (_status, fields, consultations) in STATES.items():
        row = RequestFactory(body=body, received_on=D(2025, 5, 20), **fields)
        for sent_on, answered_on in consultations:
            Consultation.objects.create(
                request=row, party="第三方", sent_on=sent_on, answered_on=answered_on
            )
        built[name] = row
    rows = InformationRequest.objects.filter(body=body)
    matches = {name: [] for name in STATES}
    for sql_status, condition in clock.status_conditions(TODAY).items():
        for pk in rows.filter(condition).values_list("pk", flat=True):
            matches[next(name for name, row in built.items() if row.pk == pk)].append(sql_status)
    python = {name: clock.status_on(row, TODAY) for name, row in built.items()}
    assert python == {name: expected for name, (expected, _f, _c) in STATES.items()}
    assert matches == {name: [expected] for name, (expected, _f, _c) in STATES.items()}
