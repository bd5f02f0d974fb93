from __future__ import annotations

import datetime
import importlib
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from disclosure import services
from disclosure.calendar import WorkingCalendar
from disclosure.jobs.models import Job, JobStatus
from disclosure.models import (
    Applicant,
    AuditEntry,
    Body,
    BodyMove,
    CalendarDay,
    Consultation,
    Document,
    InformationRequest,
    Membership,
    ReferenceCounter,
    YearlyFigure,
    child_path,
)
from disclosure.selectors import record_history
from disclosure.vocab import (
    ApplicantKind,
    CalendarDayKind,
    Channel,
    FeeMethod,
    FigureItem,
    Result,
    Role,
)
from tests.factories import (
    AppealFactory,
    ApplicantFactory,
    BodyFactory,
    DocumentFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def actor():
    return UserFactory(username="clerk")


@pytest.fixture
def body_admin():
    """Bodies' master data are changed by superusers and the publishers above them."""
    return UserFactory(username="body-admin", is_superuser=True)


@pytest.fixture
def body():
    return BodyFactory(code="county")


def new_request(actor, body, **fields):
    values = {
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "channel": Channel.INTERNET,
        "received_on": D(2025, 9, 30),
        "content": "申请公开某项目的审批文件",
        **fields,
    }
    return services.request_create(actor=actor, body=body, **values)


def entries(obj):
    return [(entry.action, entry.changes) for entry in reversed(record_history(obj))]


# --- the audit trail ---------------------------------------------------------------------


def test_audit_record_names_actor_object_and_changes(actor, body):
    entry = services.audit_record(
        actor=actor, obj=body, action="update", changes={"name": ["旧", "新"]}, note="更名"
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.object_id, entry.object_repr) == (actor, str(body.pk), body.name)
    assert (entry.action, entry.changes, entry.note) == ("update", {"name": ["旧", "新"]}, "更名")
    assert entry.content_type.model == "body"


def test_audit_record_without_actor_is_the_system(body):
    assert services.audit_record(actor=None, obj=body, action="recompute").actor is None


# --- requests: references ----------------------------------------------------------------


def test_references_count_per_body_and_year_of_receipt(actor, body):
    other = BodyFactory()
    first = new_request(actor, body)
    second = new_request(actor, body, received_on=D(2025, 12, 31))
    elsewhere = new_request(actor, other)
    next_year = new_request(actor, body, received_on=D(2026, 1, 5))
    assert [first.reference, second.reference, elsewhere.reference, next_year.reference] == [
        "2025-0001",
        "2025-0002",
        "2025-0001",
        "2026-0001",
    ]


def test_given_reference_is_kept_and_later_allocations_follow_it(actor, body):
    imported = new_request(actor, body, reference="2025-0007")
    assert imported.reference == "2025-0007"
    assert new_request(actor, body).reference == "2025-0008"


def test_allocation_skips_a_reference_already_taken(actor, body):
    RequestFactory(body=body, reference="2025-0001")
    assert new_request(actor, body).reference == "2025-0002"


def test_duplicate_given_reference_is_refused_and_nothing_saved(actor, body):
    new_request(actor, body, reference="2025-0003")
    before = (InformationRequest.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        new_request(actor, body, reference="2025-0003")
    assert "受理机构" in str(refused.value) and "申请编号" in str(refused.value)
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_allocates_unique_references():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    body = BodyFactory(code="busy")
    references: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(4)

    def create_some() -> None:
        try:
            barrier.wait()
            for _index in range(5):
                request = services.request_create(
                    actor=None,
                    body=body,
                    applicant_kind=ApplicantKind.NATURAL_PERSON,
                    channel=Channel.INTERNET,
                    received_on=D(2025, 5, 6),
                    content="并发",
                )
                references.append(request.reference)
        except BaseException as error:  # reported to the main thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_some) for _index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(references) == [f"2025-{n:04d}" for n in range(1, 21)]
    assert ReferenceCounter.objects.get(body=body, year=2025).last == 20


# --- requests: validation, audit, clock --------------------------------------------------


def test_request_create_stores_the_clock(actor, body):
    request = new_request(actor, body)
    request.refresh_from_db()
    assert (request.due_date, request.base_due_date) == (D(2025, 11, 4), D(2025, 11, 4))
    assert (request.correction_notice_late, request.extension_late) == (False, False)
    assert request.calendar_warning == ""
    assert request.created_by == actor


def test_request_create_audits_every_field_set(actor, body):
    request = new_request(actor, body)
    assert entries(request) == [
        (
            "create",
            {
                "body": [None, body.pk],
                "reference": [None, "2025-0001"],
                "applicant_kind": [None, "natural_person"],
                "channel": [None, "internet"],
                "received_on": [None, "2025-09-30"],
                "content": [None, "申请公开某项目的审批文件"],
                "due_date": [None, "2025-11-04"],
                "base_due_date": [None, "2025-11-04"],
                "created_by": [None, actor.pk],
            },
        )
    ]


def test_request_update_audits_old_and_new_values(actor, body):
    request = new_request(actor, body)
    request.extension_days = 20
    request.extension_decided_on = D(2025, 11, 3)
    request.extension_approver = "办公室主任"
    services.request_save(actor=actor, request=request)
    assert entries(request)[-1] == (
        "update",
        {
            "extension_days": [None, 20],
            "extension_decided_on": [None, "2025-11-03"],
            "extension_approver": ["", "办公室主任"],
            "due_date": ["2025-11-04", "2025-12-02"],
        },
    )
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 12, 2)


def test_saving_an_unchanged_request_writes_no_audit_row(actor, body):
    request = new_request(actor, body)
    services.request_save(actor=actor, request=InformationRequest.objects.get(pk=request.pk))
    assert len(entries(request)) == 1


def test_refused_new_request_saves_nothing(actor, body):
    with pytest.raises(ValidationError) as refused:
        new_request(actor, body, concluded_on=D(2025, 10, 9))
    assert refused.value.message_dict == {"result": ["已填写办结日期时必须选择办理结果。"]}
    assert InformationRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert ReferenceCounter.objects.count() == 0


def test_refused_update_leaves_the_row_unchanged(actor, body):
    request = new_request(actor, body)
    request.result = Result.GRANTED
    request.content = "改过的内容"
    with pytest.raises(ValidationError) as refused:
        services.request_save(actor=actor, request=request)
    assert refused.value.message_dict == {"concluded_on": ["选择办理结果时必须填写办结日期。"]}
    stored = InformationRequest.objects.get(pk=request.pk)
    assert (stored.result, stored.content) == ("", "申请公开某项目的审批文件")
    assert len(entries(request)) == 1


def test_applicant_kind_is_taken_from_the_applicant(actor, body):
    applicant = ApplicantFactory(kind=ApplicantKind.LEGAL_SERVICE_ORG)
    request = new_request(actor, body, applicant=applicant, applicant_kind="")
    assert request.applicant_kind == ApplicantKind.LEGAL_SERVICE_ORG


def test_awaited_correction_stops_the_clock(actor, body):
    request = new_request(
        actor, body, received_on=D(2025, 3, 3), correction_notice_on=D(2025, 3, 5)
    )
    assert (request.due_date, request.base_due_date) == (None, None)


def test_corrected_application_restarts_the_clock(actor, body):
    request = new_request(
        actor,
        body,
        received_on=D(2025, 3, 3),
        correction_notice_on=D(2025, 3, 5),
        correction_deadline=D(2025, 3, 20),
        correction_received_on=D(2025, 3, 17),
    )
    assert request.due_date == D(2025, 4, 15)
    assert request.correction_notice_late is False


def test_late_correction_notice_is_flagged(actor, body):
    request = new_request(
        actor,
        body,
        received_on=D(2025, 3, 3),
        correction_notice_on=D(2025, 3, 13),
        correction_received_on=D(2025, 3, 17),
    )
    assert request.correction_notice_late is True


def test_fee_notice_pauses_the_stored_clock(actor, body):
    request = new_request(
        actor,
        body,
        received_on=D(2025, 3, 3),
        fee_method=FeeMethod.PER_REQUEST,
        fee_amount=Decimal("100.00"),
        fee_notice_on=D(2025, 3, 5),
        fee_due_on=D(2025, 4, 2),
        fee_paid_on=D(2025, 3, 12),
    )
    assert request.due_date == D(2025, 4, 8)


def test_late_extension_is_flagged(actor, body):
    request = new_request(actor, body, extension_days=20, extension_decided_on=D(2025, 11, 5))
    assert (request.due_date, request.base_due_date) == (D(2025, 12, 2), D(2025, 11, 4))
    assert request.extension_late is True


@pytest.mark.time_machine(datetime.datetime(2026, 12, 11, 2, 0, tzinfo=datetime.UTC), tick=False)
def test_unknown_calendar_year_is_stored_as_a_warning(actor, body):
    request = new_request(actor, body, received_on=D(2026, 12, 10))
    assert request.due_date == D(2027, 1, 7)
    assert request.calendar_warning == "2027年节假日安排尚未录入，按周一至周五计算"


# --- withdrawal, conclusion, voiding ------------------------------------------------------


def test_withdrawal_concludes_on_that_day_as_other_other(actor, body):
    request = new_request(actor, body)
    request.withdrawn_on = D(2025, 10, 10)
    services.request_save(actor=actor, request=request)
    stored = InformationRequest.objects.get(pk=request.pk)
    assert (stored.concluded_on, stored.result) == (D(2025, 10, 10), Result.OTHER_OTHER)


def test_request_withdraw_records_the_withdrawal(actor, body):
    request = services.request_withdraw(
        actor=actor, request=new_request(actor, body), withdrawn_on=D(2025, 10, 9)
    )
    assert (request.withdrawn_on, request.concluded_on, request.result) == (
        D(2025, 10, 9),
        D(2025, 10, 9),
        Result.OTHER_OTHER,
    )
    assert record_history(request).first().note == "申请人撤回申请。"


def test_withdrawal_with_another_result_is_refused(actor, body):
    request = new_request(actor, body)
    request.withdrawn_on = D(2025, 10, 10)
    request.concluded_on = D(2025, 10, 10)
    request.result = Result.GRANTED
    with pytest.raises(ValidationError) as refused:
        services.request_save(actor=actor, request=request)
    assert refused.value.message_dict == {"result": ["申请撤回的，办理结果为“其他处理：其他”。"]}
    assert InformationRequest.objects.get(pk=request.pk).withdrawn_on is None


def test_request_conclude_sets_date_and_result(actor, body):
    request = services.request_conclude(
        actor=actor,
        request=new_request(actor, body),
        concluded_on=D(2025, 10, 20),
        result=Result.PARTIALLY_GRANTED,
        reply_summary="部分公开",
    )
    stored = InformationRequest.objects.get(pk=request.pk)
    assert (stored.concluded_on, stored.result, stored.reply_summary) == (
        D(2025, 10, 20),
        Result.PARTIALLY_GRANTED,
        "部分公开",
    )


def test_void_needs_a_reason_and_changes_nothing_without_one(actor, body):
    request = new_request(actor, body)
    with pytest.raises(ValidationError) as refused:
        services.request_void(actor=actor, request=request, reason="  ")
    assert refused.value.message_dict == {"void_reason": ["作废须填写原因。"]}
    assert InformationRequest.objects.get(pk=request.pk).voided_at is None


def test_void_keeps_the_request_out_of_active_and_audits_the_reason(actor, body):
    request = services.request_void(
        actor=actor, request=new_request(actor, body), reason="重复录入"
    )
    assert InformationRequest.objects.active().count() == 0
    action, changes = entries(request)[-1]
    assert action == "void"
    assert changes["void_reason"] == ["", "重复录入"]
    assert AuditEntry.objects.filter(action="void").get().note == "重复录入"


def test_a_voided_request_cannot_be_edited(actor, body):
    request = services.request_void(
        actor=actor, request=new_request(actor, body), reason="重复录入"
    )
    request.content = "新内容"
    with pytest.raises(ValidationError) as refused:
        services.request_save(actor=actor, request=request)
    assert refused.value.messages == ["已作废的记录不能修改。"]
    assert InformationRequest.objects.get(pk=request.pk).content == "申请公开某项目的审批文件"


# --- consultations ------------------------------------------------------------------------


def test_consultations_saved_with_the_request_pause_its_clock(actor, body):
    request = new_request(
        actor,
        body,
        received_on=D(2025, 6, 2),
        consultations=[
            Consultation(party="第三方企业", sent_on=D(2025, 6, 10), answered_on=D(2025, 6, 20))
        ],
    )
    assert request.due_date == D(2025, 7, 10)
    assert list(request.consultations.values_list("party", flat=True)) == ["第三方企业"]


def test_consultations_list_is_complete_and_stale_ones_are_deleted(actor, body):
    request = new_request(
        actor,
        body,
        received_on=D(2025, 6, 2),
        consultations=[
            Consultation(party="甲", sent_on=D(2025, 6, 10), answered_on=D(2025, 6, 20))
        ],
    )
    stale = request.consultations.get()
    services.request_save(actor=actor, request=request, consultations=[])
    assert Consultation.objects.count() == 0
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 6, 30)
    assert [action for action, _changes in entries(stale)] == ["create", "delete"]


def test_consultation_save_recomputes_the_request_clock(actor, body):
    request = new_request(actor, body, received_on=D(2025, 6, 2))
    assert request.due_date == D(2025, 6, 30)
    services.consultation_save(
        actor=actor,
        consultation=Consultation(
            request=request, party="乙局", sent_on=D(2025, 6, 10), answered_on=D(2025, 6, 20)
        ),
    )
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 7, 10)
    assert entries(request)[-1] == (
        "recompute",
        {"due_date": ["2025-06-30", "2025-07-10"], "base_due_date": ["2025-06-30", "2025-07-10"]},
    )


def test_consultation_delete_gives_the_days_back(actor, body):
    request = new_request(actor, body, received_on=D(2025, 6, 2))
    consultation = services.consultation_save(
        actor=actor,
        consultation=Consultation(request=request, party="乙局", sent_on=D(2025, 6, 10)),
    )
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 7, 21)
    services.consultation_delete(actor=actor, consultation=consultation)
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 6, 30)


def test_consultation_before_receipt_is_refused(actor, body):
    request = new_request(actor, body, received_on=D(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.consultation_save(
            actor=actor,
            consultation=Consultation(request=request, party="乙局", sent_on=D(2025, 6, 1)),
        )
    assert refused.value.message_dict == {"sent_on": ["征求意见开始日期不能早于收到申请日期。"]}
    assert Consultation.objects.count() == 0


# --- the calendar table --------------------------------------------------------------------


def save_day(actor, day):
    """Save the override and run the recompute job it queues as the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.calendar_day_save(actor=actor, day=day)


def test_calendar_edit_moves_an_open_requests_due_date(actor, body):
    open_request = new_request(actor, body)
    concluded = new_request(actor, body, concluded_on=D(2025, 10, 20), result=Result.GRANTED)
    day = save_day(
        actor, CalendarDay(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY, name="停工")
    )
    assert InformationRequest.objects.get(pk=open_request.pk).due_date == D(2025, 11, 5)
    assert InformationRequest.objects.get(pk=concluded.pk).due_date == D(2025, 11, 4)
    entry = record_history(open_request).first()
    assert (entry.action, entry.changes["due_date"], entry.note) == (
        "recompute",
        ["2025-11-04", "2025-11-05"],
        "节假日安排变更：2025-10-31",
    )
    assert entry.actor == actor
    job = Job.objects.get()
    assert (job.pk, job.kind, job.status, job.requested_by) == (
        day.job.pk,
        "recompute_due_dates",
        JobStatus.DONE,
        actor,
    )
    assert job.params == {"dates": ["2025-10-31"], "note": "节假日安排变更：2025-10-31"}
    assert job.result["lines"] == ["已重新计算 1 件申请的答复期限，其中 1 件有变化。"]


def test_calendar_edit_recomputes_nothing_before_it_commits(actor, body):
    request = new_request(actor, body)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        services.calendar_day_save(
            actor=actor,
            day=CalendarDay(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY, name="停工"),
        )
    assert len(callbacks) == 1
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 11, 4)
    assert Job.objects.get().status == JobStatus.QUEUED


def test_calendar_edit_leaves_requests_due_before_the_date_alone(actor, body):
    request = new_request(actor, body)
    save_day(actor, CalendarDay(date=D(2025, 11, 5), kind=CalendarDayKind.HOLIDAY, name="停工"))
    assert len(entries(request)) == 1


def test_calendar_delete_moves_the_due_date_back(actor, body):
    day = save_day(
        actor, CalendarDay(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY, name="停工")
    )
    request = new_request(actor, body)
    assert request.due_date == D(2025, 11, 5)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.calendar_day_delete(actor=actor, day=day)
    job.refresh_from_db()
    assert (job.status, job.result["changed"]) == (JobStatus.DONE, 1)
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 11, 4)
    assert CalendarDay.objects.count() == 0


def test_moving_a_calendar_entry_recomputes_around_both_dates(actor, body):
    day = save_day(
        actor, CalendarDay(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY, name="停工")
    )
    request = new_request(actor, body)
    day.date = D(2025, 12, 1)
    save_day(actor, day)
    assert InformationRequest.objects.get(pk=request.pk).due_date == D(2025, 11, 4)
    assert Job.objects.order_by("pk").last().params["dates"] == ["2025-12-01", "2025-10-31"]


def test_duplicate_calendar_date_is_refused_and_nothing_changes(actor, body):
    CalendarDay.objects.create(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY)
    with pytest.raises(ValidationError) as refused:
        save_day(actor, CalendarDay(date=D(2025, 10, 31), kind=CalendarDayKind.WORKDAY))
    assert list(refused.value.message_dict) == ["date"]
    assert CalendarDay.objects.get().kind == CalendarDayKind.HOLIDAY
    assert AuditEntry.objects.count() == 0
    assert Job.objects.count() == 0


@pytest.mark.parametrize("open_requests", [2, 6])
def test_calendar_edit_recomputes_in_a_bounded_number_of_queries(
    actor, body, open_requests, django_assert_num_queries
):
    for _index in range(open_requests):
        RequestFactory(body=body, received_on=D(2025, 9, 30), due_date=D(2025, 11, 4))
    day = CalendarDay(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY, name="停工")
    ContentType.objects.get_for_models(CalendarDay, InformationRequest, Job)  # cached, as in use
    # the write: unique check, insert, audit row; the job: insert, audit row; savepoints
    with django_assert_num_queries(13), TestCase.captureOnCommitCallbacks() as callbacks:
        services.calendar_day_save(actor=actor, day=day)
    # the job: claim, read, audit; the recompute: requests, their consultations, one
    # calendar year, one bulk update, one bulk audit insert; its progress; finishing: lock,
    # save, audit; and twelve savepoints
    with django_assert_num_queries(24):
        for callback in callbacks:
            callback()
    assert set(InformationRequest.objects.values_list("due_date", flat=True)) == {D(2025, 11, 5)}


def test_recompute_command_updates_stale_open_clocks():
    stale = RequestFactory(received_on=D(2025, 9, 30), due_date=D(2025, 10, 1))
    concluded = RequestFactory(
        received_on=D(2025, 9, 30), concluded_on=D(2025, 10, 9), result=Result.GRANTED
    )
    out = StringIO()
    call_command("recompute_due_dates", stdout=out)
    assert out.getvalue().strip() == "已重新计算 1 件申请的答复期限，其中 1 件有变化。"
    assert InformationRequest.objects.get(pk=stale.pk).due_date == D(2025, 11, 4)
    assert InformationRequest.objects.get(pk=concluded.pk).due_date is None


def test_recompute_command_all_includes_concluded_requests():
    concluded = RequestFactory(
        received_on=D(2025, 9, 30), concluded_on=D(2025, 10, 9), result=Result.GRANTED
    )
    call_command("recompute_due_dates", "--all", stdout=StringIO())
    assert InformationRequest.objects.get(pk=concluded.pk).due_date == D(2025, 11, 4)


def test_request_recompute_clock_is_silent_when_nothing_changed(actor, body):
    request = new_request(actor, body)
    services.request_recompute_clock(request)
    assert len(entries(request)) == 1


# --- bodies -------------------------------------------------------------------------------


def test_body_save_sets_path_and_depth(body_admin):
    city = services.body_save(
        actor=body_admin, body=Body(code="city", name="市政府", kind="government")
    )
    county = services.body_save(
        actor=body_admin, body=Body(code="cty", name="县政府", kind="government", parent=city)
    )
    assert (city.path, city.depth) == (f"/{city.pk:010d}/", 0)
    assert (county.path, county.depth) == (f"/{city.pk:010d}/{county.pk:010d}/", 1)
    assert Body.objects.get(pk=county.pk).path == county.path


def test_siblings_stay_in_tree_order_when_their_keys_grow_a_digit(body_admin):
    # "/…/100000/" sorted before "/…/99999/" when the keys were written as they are.
    parent = services.body_save(
        actor=body_admin, body=Body(code="parent", name="县政府", kind="government")
    )
    for pk, code in ((100_000, "younger"), (99_999, "older")):
        services.body_save(
            actor=body_admin,
            body=Body(pk=pk, code=code, name=code, kind="department", parent=parent),
        )
    services.body_save(
        actor=body_admin, body=Body(code="grandchild", name="乡", kind="township", parent_id=99_999)
    )
    assert list(Body.objects.subtree_of(parent).values_list("code", flat=True)) == [
        "parent",
        "older",
        "grandchild",
        "younger",
    ]


def test_the_migration_writes_the_paths_of_bodies_made_before(body_admin):
    top = BodyFactory(code="top")
    child = BodyFactory(code="child", parent=top)
    Body.objects.filter(pk=top.pk).update(path=f"/{top.pk}/")
    Body.objects.filter(pk=child.pk).update(path=f"/{top.pk}/{child.pk}/")
    migration = importlib.import_module("disclosure.migrations.0013_body_paths_in_tree_order")
    migration.forwards(apps, None)
    assert Body.objects.get(pk=child.pk).path == child_path(child_path("/", top.pk), child.pk)
    migration.backwards(apps, None)
    assert Body.objects.get(pk=child.pk).path == f"/{top.pk}/{child.pk}/"


def test_a_path_refuses_a_key_it_cannot_order():
    assert child_path("/", 7) == "/0000000007/"
    with pytest.raises(ValueError):
        child_path("/", 10**10)
    with pytest.raises(ValueError):
        child_path("/", 0)


def test_changing_the_parent_moves_the_whole_subtree(body_admin):
    left = BodyFactory(code="left")
    right = BodyFactory(code="right")
    middle = BodyFactory(code="middle", parent=left)
    leaf = BodyFactory(code="leaf", parent=middle)
    middle.parent = right
    services.body_save(actor=body_admin, body=middle)
    assert Body.objects.get(pk=middle.pk).path == child_path(right.path, middle.pk)
    leaf = Body.objects.get(pk=leaf.pk)
    assert (leaf.path, leaf.depth) == (child_path(child_path(right.path, middle.pk), leaf.pk), 2)
    assert list(Body.objects.subtree_of(right).values_list("code", flat=True)) == [
        "right",
        "middle",
        "leaf",
    ]


def test_a_body_cannot_move_under_its_own_subtree(body_admin):
    top = BodyFactory(code="top")
    child = BodyFactory(code="child", parent=top)
    top.parent = child
    with pytest.raises(ValidationError) as refused:
        services.body_save(actor=body_admin, body=top)
    assert refused.value.message_dict == {"parent": ["上级机构不能是本机构或其下级机构。"]}
    assert Body.objects.get(pk=top.pk).parent_id is None
    assert AuditEntry.objects.count() == 0


def test_body_move_records_the_move_and_the_new_path(body_admin):
    old_parent = BodyFactory(code="old")
    new_parent = BodyFactory(code="new")
    body = BodyFactory(code="moving", parent=old_parent)
    move = services.body_move(
        actor=body_admin, body=body, new_parent=new_parent, moved_on=D(2024, 3, 1), note="机构改革"
    )
    assert (move.body, move.old_parent, move.new_parent, move.moved_on, move.note) == (
        body,
        old_parent,
        new_parent,
        D(2024, 3, 1),
        "机构改革",
    )
    assert Body.objects.get(pk=body.pk).path == child_path(new_parent.path, body.pk)
    assert [action for action, _changes in entries(move)] == ["move"]


def test_body_move_to_the_same_parent_is_refused(body_admin):
    parent = BodyFactory()
    body = BodyFactory(parent=parent)
    with pytest.raises(ValidationError) as refused:
        services.body_move(actor=body_admin, body=body, new_parent=parent, moved_on=D(2024, 3, 1))
    assert refused.value.message_dict == {"new_parent": ["新上级机构与现上级机构相同。"]}
    assert BodyMove.objects.count() == 0


def test_body_move_before_the_last_move_is_refused(body_admin):
    first, second = BodyFactory(), BodyFactory()
    body = BodyFactory()
    services.body_move(actor=body_admin, body=body, new_parent=first, moved_on=D(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.body_move(actor=body_admin, body=body, new_parent=second, moved_on=D(2024, 1, 1))
    assert list(refused.value.message_dict) == ["moved_on"]
    assert Body.objects.get(pk=body.pk).parent == first
    assert BodyMove.objects.count() == 1


def test_body_abolish_names_date_and_successor(body_admin):
    successor = BodyFactory(code="successor")
    body = services.body_abolish(
        actor=body_admin,
        body=BodyFactory(code="gone"),
        abolished_on=D(2024, 1, 1),
        successor=successor,
    )
    stored = Body.objects.get(pk=body.pk)
    assert (stored.abolished_on, stored.successor) == (D(2024, 1, 1), successor)
    assert entries(body)[-1] == (
        "abolish",
        {"abolished_on": [None, "2024-01-01"], "successor": [None, successor.pk]},
    )


def test_abolishing_before_establishment_is_refused(body_admin):
    body = BodyFactory(established_on=D(2020, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.body_abolish(actor=body_admin, body=body, abolished_on=D(2019, 1, 1))
    assert refused.value.message_dict == {"abolished_on": ["撤销日期不能早于设立日期。"]}
    assert Body.objects.get(pk=body.pk).abolished_on is None


def test_membership_save_is_audited_and_unique(actor, body):
    user = UserFactory()
    membership = services.membership_save(
        actor=actor, membership=Membership(user=user, body=body, role=Role.VIEW)
    )
    assert entries(membership)[0][0] == "create"
    with pytest.raises(ValidationError):
        services.membership_save(
            actor=actor, membership=Membership(user=user, body=body, role=Role.EDIT)
        )
    assert Membership.objects.get().role == Role.VIEW


# --- appeals, documents, figures, other records --------------------------------------------


def test_appeal_with_result_but_no_conclusion_is_refused(actor):
    case = AppealFactory.build(body=BodyFactory(), result="upheld")
    with pytest.raises(ValidationError) as refused:
        services.appeal_save(actor=actor, case=case)
    assert refused.value.message_dict == {"concluded_on": ["选择结果时必须填写审结日期。"]}
    assert AuditEntry.objects.count() == 0


def test_appeal_void_is_audited(actor):
    case = services.appeal_void(actor=actor, case=AppealFactory(), reason="录错机构")
    assert case.voided_at is not None
    assert entries(case)[-1][0] == "void"


def test_document_save_audits_the_repeal(actor):
    document = DocumentFactory()
    document.repealed_on = D(2024, 5, 1)
    services.document_save(actor=actor, document=document)
    assert entries(document) == [("update", {"repealed_on": [None, "2024-05-01"]})]


def test_a_voided_document_cannot_be_edited(actor):
    document = services.document_void(actor=actor, document=DocumentFactory(), reason="重复")
    document.title = "新标题"
    with pytest.raises(ValidationError):
        services.document_save(actor=actor, document=document)
    assert Document.objects.get(pk=document.pk).title != "新标题"


def test_figure_set_creates_then_updates_with_a_diff(actor, body):
    services.figure_set(actor=actor, body=body, year=2024, item=FigureItem.FEES, value="1.2345")
    figure = services.figure_set(
        actor=actor,
        body=body,
        year=2024,
        item=FigureItem.FEES,
        value=Decimal("2.5"),
        source="财政局",
    )
    assert YearlyFigure.objects.get().value == Decimal("2.5000")
    assert entries(figure)[-1] == (
        "update",
        {"value": ["1.2345", "2.5000"], "source": ["", "财政局"]},
    )


def test_figure_set_with_the_same_value_writes_nothing(actor, body):
    services.figure_set(actor=actor, body=body, year=2024, item=FigureItem.LICENSING, value=3)
    figure = services.figure_set(
        actor=actor, body=body, year=2024, item=FigureItem.LICENSING, value=3
    )
    assert len(entries(figure)) == 1


@pytest.mark.parametrize(
    ("item", "value", "field_message"),
    [
        (FigureItem.LICENSING, "abc", "数值须为数字。"),
        (FigureItem.LICENSING, "2.5", "该项目为件数/条数，须为整数。"),
        (FigureItem.LICENSING, "-1", "数值不能为负数。"),
    ],
)
def test_bad_figures_are_refused(actor, body, item, value, field_message):
    with pytest.raises(ValidationError) as refused:
        services.figure_set(actor=actor, body=body, year=2024, item=item, value=value)
    assert field_message in refused.value.message_dict["value"]
    assert YearlyFigure.objects.count() == 0


def test_record_save_masks_personal_data_in_the_trail(actor):
    applicant = ApplicantFactory.build(
        name="张三丰", id_number="620101199001011237", contact="13800001111"
    )
    services.record_save(actor=actor, instance=applicant)
    changes = entries(applicant)[0][1]
    assert changes["name"] == [None, "张**"]
    assert changes["id_number"] == [None, "620101********1237"]
    # The contact as disclosure.access masks it everywhere (the trail kept "1380***1111").
    assert changes["contact"] == [None, "******"]
    assert AuditEntry.objects.get().object_repr == "张**"


def test_record_delete_refuses_counted_records(actor):
    request = RequestFactory()
    with pytest.raises(ValidationError):
        services.record_delete(actor=actor, instance=request)
    assert InformationRequest.objects.filter(pk=request.pk).exists()


# --- fees -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (55, 400)],
)
def test_per_request_fee_bands(ordinal, fee):
    assert services.per_request_fee(ordinal) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)],
)
def test_per_page_fee_bands(pages, fee):
    assert services.per_page_fee(pages) == Decimal(fee)


def test_applicant_fee_counts_the_months_requests_in_order(body):
    applicant = ApplicantFactory()
    for day in range(1, 13):
        RequestFactory(body=body, applicant=applicant, received_on=D(2025, 3, day))
    RequestFactory(body=body, applicant=applicant, received_on=D(2025, 4, 1))
    RequestFactory(
        body=body, applicant=applicant, received_on=D(2025, 3, 20), voided_at="2025-03-21T00:00Z"
    )
    RequestFactory(body=body, applicant=ApplicantFactory(), received_on=D(2025, 3, 5))
    fee = services.applicant_fee_per_request(applicant, 2025, 3)
    assert (fee.count, fee.total) == (12, Decimal(200))
    assert [line.amount for line in fee.lines] == [Decimal(0)] * 10 + [Decimal(100)] * 2
    assert [line.received_on.day for line in fee.lines] == list(range(1, 13))


def test_a_refused_new_request_can_be_corrected_and_saved_again(actor, body):
    request = InformationRequest(
        body=body,
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        channel=Channel.INTERNET,
        received_on=D(2025, 6, 2),
        content="内容",
    )
    wrong = Consultation(party="甲", sent_on=D(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.request_save(actor=actor, request=request, consultations=[wrong])
    assert (request.pk, request.reference) == (None, "")
    assert InformationRequest.objects.count() == 0
    services.request_save(
        actor=actor,
        request=request,
        consultations=[
            Consultation(party="甲", sent_on=D(2025, 6, 10), answered_on=D(2025, 6, 20))
        ],
    )
    assert (request.reference, request.due_date) == ("2025-0001", D(2025, 7, 10))


def test_setting_a_voided_figure_again_restores_it(actor, body):
    figure = services.figure_set(
        actor=actor, body=body, year=2024, item=FigureItem.PENALTY, value=4
    )
    services.figure_void(actor=actor, figure=figure, reason="录错年度")
    assert YearlyFigure.objects.active().count() == 0
    services.figure_set(actor=actor, body=body, year=2024, item=FigureItem.PENALTY, value=5)
    stored = YearlyFigure.objects.active().get()
    assert (stored.value, stored.void_reason) == (Decimal("5.0000"), "")


def test_abolishing_twice_is_refused(body_admin):
    body = services.body_abolish(actor=body_admin, body=BodyFactory(), abolished_on=D(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.body_abolish(actor=body_admin, body=body, abolished_on=D(2024, 6, 1))
    assert refused.value.message_dict == {"abolished_on": ["该机构已撤销。"]}
    assert Body.objects.get(pk=body.pk).abolished_on == D(2024, 1, 1)


# --- many records at once (imports) ------------------------------------------------------


def audit_rows(obj) -> list[tuple]:
    return [
        (entry.actor_id, entry.action, entry.object_repr, entry.changes, entry.note)
        for entry in reversed(record_history(obj))
    ]


def request_fields(**overrides) -> dict:
    return {
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "channel": Channel.INTERNET,
        "received_on": D(2025, 9, 30),
        "content": "申请公开某项目的审批文件",
        "extension_days": 10,
        "extension_decided_on": D(2025, 10, 20),
        **overrides,
    }


def checked_write(actor, body, reference, consultations=(), **fields):
    """A new request as an import plans it: checked in memory, not yet written."""
    request = InformationRequest(body=body, reference=reference, **request_fields(**fields))
    consultations = list(consultations)
    services.request_check(
        request,
        actor=actor,
        old=None,
        consultations=consultations,
        calendar=WorkingCalendar(use_database=True),
    )
    return services.RequestWrite(request, consultations=[services.Write(c) for c in consultations])


def test_requests_save_bulk_writes_what_request_save_writes(actor, body):
    one_by_one = services.request_create(
        actor=actor,
        body=body,
        reference="2025-0007",
        consultations=[Consultation(party="第三方", sent_on=D(2025, 10, 9))],
        **request_fields(),
    )
    write = checked_write(
        actor,
        body,
        "2025-0008",
        consultations=[Consultation(party="第三方", sent_on=D(2025, 10, 9))],
    )

    services.requests_save_bulk(actor=actor, writes=[write])

    in_bulk = InformationRequest.objects.get(reference="2025-0008")
    compared = [
        field.attname
        for field in InformationRequest._meta.concrete_fields
        if field.name not in {"id", "reference", "created_at", "updated_at"}
    ]
    assert [getattr(in_bulk, name) for name in compared] == [
        getattr(one_by_one, name) for name in compared
    ]
    [(actor_id, action, repr_, changes, note)] = audit_rows(in_bulk)
    [(actor_id_1, action_1, _repr, changes_1, note_1)] = audit_rows(one_by_one)
    assert (actor_id, action, repr_, note) == (actor_id_1, action_1, "2025-0008", note_1)
    assert changes == {**changes_1, "reference": [None, "2025-0008"]}
    consultation = in_bulk.consultations.get()
    assert audit_rows(consultation) == [
        (
            actor.pk,
            "create",
            "第三方 2025-10-09",
            {
                "party": [None, "第三方"],
                "request": [None, in_bulk.pk],
                "sent_on": [None, "2025-10-09"],
            },
            "",
        )
    ]
    assert ReferenceCounter.objects.get(body=body, year=2025).last == 8


def test_requests_save_bulk_updates_with_the_diff_of_what_changed(actor, body):
    stored = new_request(actor, body, reference="A-1")
    request = InformationRequest.objects.get(pk=stored.pk)
    write = services.RequestWrite.loaded(request)
    request.content = "改过的内容"
    services.request_check(
        request,
        actor=actor,
        old=write.old,
        consultations=[],
        calendar=WorkingCalendar(use_database=True),
    )

    services.requests_save_bulk(actor=actor, writes=[write])

    assert entries(stored)[-1] == (
        "update",
        {"content": ["申请公开某项目的审批文件", "改过的内容"]},
    )
    request.refresh_from_db()
    assert (request.content, request.updated_at > stored.updated_at) == ("改过的内容", True)


def test_requests_save_bulk_creates_a_new_applicant_once_for_all_its_requests(actor, body):
    applicant = Applicant(name="张三", id_number="620101199001011237")
    applicant.kind = ApplicantKind.NATURAL_PERSON
    writes = [checked_write(actor, body, f"A-{n}") for n in (1, 2)]
    for write in writes:
        write.request.applicant = applicant

    services.requests_save_bulk(actor=actor, writes=writes)

    saved = Applicant.objects.get()
    assert list(InformationRequest.objects.values_list("applicant", flat=True)) == [saved.pk] * 2
    [(_actor, action, repr_, changes, _note)] = audit_rows(saved)
    assert (action, repr_, changes["name"], changes["id_number"]) == (
        "create",
        "张*",
        [None, "张*"],
        [None, "620101********1237"],
    )


def test_request_check_refuses_in_memory_with_the_models_messages(actor, body):
    request = InformationRequest(
        body=body,
        reference="A-1",
        **request_fields(concluded_on=D(2025, 9, 1), result=Result.GRANTED),
    )
    consultation = Consultation(party="第三方", sent_on=D(2025, 9, 1))

    with pytest.raises(ValidationError) as refused:
        services.request_check(
            request,
            actor=actor,
            old=None,
            consultations=[consultation],
            calendar=WorkingCalendar(use_database=True),
        )

    assert refused.value.message_dict == {"concluded_on": ["办结日期不能早于收到申请日期。"]}
    request.concluded_on = request.result = None
    request.result = ""
    with pytest.raises(ValidationError) as refused:
        services.request_check(
            request,
            actor=actor,
            old=None,
            consultations=[consultation],
            calendar=WorkingCalendar(use_database=True),
        )
    assert refused.value.message_dict == {"sent_on": ["征求意见开始日期不能早于收到申请日期。"]}
    assert InformationRequest.objects.count() == 0


def test_record_check_queries_nothing_for_the_records_it_is_given(
    actor, body, django_assert_num_queries
):
    applicant = ApplicantFactory()
    request = InformationRequest(
        body=body, reference="A-1", applicant=applicant, **request_fields()
    )

    with django_assert_num_queries(0):
        services.record_check(request)


def test_records_save_bulk_writes_what_the_per_record_service_writes(actor, body):
    one_by_one = services.document_save(
        actor=actor,
        document=Document(
            body=body,
            kind="normative_documents",
            title="通知",
            number="1号",
            issued_on=D(2024, 1, 2),
        ),
    )
    in_bulk = Document(
        body=body, kind="normative_documents", title="通知", number="2号", issued_on=D(2024, 1, 2)
    )
    services.record_check(in_bulk)

    services.records_save_bulk(actor=actor, writes=[services.Write(in_bulk)])

    [(actor_id, action, repr_, changes, note)] = audit_rows(in_bulk)
    [(actor_id_1, action_1, _repr, changes_1, note_1)] = audit_rows(one_by_one)
    assert (actor_id, action, note) == (actor_id_1, action_1, note_1)
    assert changes == {**changes_1, "number": [None, "2号"]}


def test_records_save_bulk_writes_nothing_for_an_unchanged_record(actor, body):
    document = DocumentFactory(body=body)
    before = AuditEntry.objects.count()

    services.records_save_bulk(actor=actor, writes=[services.Write.loaded(document)])

    assert AuditEntry.objects.count() == before


def test_records_delete_bulk_refuses_counted_records(actor, body):
    request = new_request(actor, body)

    with pytest.raises(ValidationError):
        services.records_delete_bulk(actor=actor, instances=[request])

    assert InformationRequest.objects.filter(pk=request.pk).exists()


def test_reference_counters_move_past_given_references_in_three_queries(
    actor, body, django_assert_num_queries
):
    other = BodyFactory(code="other")
    ReferenceCounter.objects.create(body=body, year=2024, last=50)

    with django_assert_num_queries(3):
        services._move_counters_past({(body.pk, 2024): 12, (body.pk, 2025): 9, (other.pk, 2025): 3})

    assert sorted(ReferenceCounter.objects.values_list("body__code", "year", "last")) == [
        ("county", 2024, 50),
        ("county", 2025, 9),
        ("other", 2025, 3),
    ]
