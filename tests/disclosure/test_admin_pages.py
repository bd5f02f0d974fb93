"""The other admin pages: the body tree and its reorganisation, applicants, registers, the
calendar, memberships, the audit trail and the deadline calculator."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import TestCase

from disclosure.jobs.models import Job
from disclosure.models import (
    Applicant,
    AuditEntry,
    Body,
    BodyMove,
    CalendarDay,
    Document,
    InformationRequest,
    Membership,
    YearlyFigure,
    child_path,
)
from disclosure.vocab import BodyKind, FigureItem, Role
from tests.disclosure.admin_helpers import county_world
from tests.factories import BodyFactory, FigureFactory, RequestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return county_world()


@pytest.fixture
def clerk_client(client, world):
    client.force_login(world.clerk)
    return client


@pytest.fixture
def publisher_client(client, world):
    """The county A clerk, holding 审核发布 there: the master data of the bodies below
    county A are theirs to change (``access.can_change_body_master``)."""
    Membership.objects.filter(user=world.clerk).update(role=Role.PUBLISH)
    client.force_login(world.clerk)
    return client


# --- bodies ------------------------------------------------------------------------------


def test_body_list_indents_the_tree(admin_client, world):
    page = admin_client.get("/admin/disclosure/body/").content.decode()
    assert 'style="padding-left:0.0em">示例市人民政府' in page
    assert 'style="padding-left:3.0em">└ 甲县教育局' in page


def test_publisher_adds_a_body_under_own_county_through_the_service(publisher_client, world):
    response = publisher_client.post(
        "/admin/disclosure/body/add/",
        {
            "name": "甲县财政局",
            "code": "fin-a",
            "kind": BodyKind.DEPARTMENT,
            "parent": world.county_a.pk,
            "BodyMoveInline-TOTAL_FORMS": "0",
            "moves-TOTAL_FORMS": "0",
            "moves-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    body = Body.objects.get(code="fin-a")
    assert body.path == child_path(world.county_a.path, body.pk)
    assert body.depth == 2
    assert AuditEntry.objects.get(object_id=str(body.pk)).actor == world.clerk


def test_publisher_cannot_add_a_root_body(publisher_client, world):
    response = publisher_client.post(
        "/admin/disclosure/body/add/",
        {"name": "自立门户", "code": "root2", "kind": BodyKind.OTHER, "moves-TOTAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert not Body.objects.filter(code="root2").exists()


def test_body_move_page_moves_the_subtree_and_records_the_move(admin_client, world):
    response = admin_client.post(
        f"/admin/disclosure/body/{world.department_a.pk}/move/",
        {"new_parent": world.county_b.pk, "moved_on": "2025-07-01", "note": "机构改革"},
    )
    assert response.status_code == 302
    world.department_a.refresh_from_db()
    assert world.department_a.parent == world.county_b
    assert world.department_a.path == child_path(world.county_b.path, world.department_a.pk)
    move = BodyMove.objects.get(body=world.department_a)
    assert (move.old_parent, move.new_parent, move.moved_on) == (
        world.county_a,
        world.county_b,
        datetime.date(2025, 7, 1),
    )


def test_publisher_cannot_move_a_body_to_a_sibling_county(publisher_client, world):
    response = publisher_client.post(
        f"/admin/disclosure/body/{world.department_a.pk}/move/",
        {"new_parent": world.county_b.pk, "moved_on": "2025-07-01"},
    )
    assert response.status_code == 200
    assert "new_parent" in response.context["form"].errors
    assert not BodyMove.objects.exists()


def test_body_abolish_page_sets_the_date_and_successor(publisher_client, world):
    successor = BodyFactory(code="succ", name="甲县教育和体育局", parent=world.county_a)
    response = publisher_client.post(
        f"/admin/disclosure/body/{world.department_a.pk}/abolish/",
        {"abolished_on": "2025-08-31", "successor": successor.pk},
    )
    assert response.status_code == 302
    world.department_a.refresh_from_db()
    assert world.department_a.abolished_on == datetime.date(2025, 8, 31)
    assert world.department_a.successor == successor
    assert AuditEntry.objects.get(object_id=str(world.department_a.pk)).action == "abolish"


def test_bodies_are_never_deleted(admin_client, world):
    response = admin_client.get(f"/admin/disclosure/body/{world.county_a.pk}/delete/")
    assert response.status_code == 403


def test_parent_is_read_only_on_an_existing_body(admin_client, world):
    response = admin_client.get(f"/admin/disclosure/body/{world.department_a.pk}/change/")
    assert "parent" not in response.context["adminform"].form.fields
    assert response.context["move_url"] == f"/admin/disclosure/body/{world.department_a.pk}/move/"


# --- applicants --------------------------------------------------------------------------


def test_applicant_entered_by_the_clerk_is_visible_to_the_clerk(clerk_client, world):
    response = clerk_client.post(
        "/admin/disclosure/applicant/add/",
        {"kind": "natural_person", "name": "王五", "id_number": "620101199303031110"},
    )
    assert response.status_code == 302
    applicant = Applicant.objects.get(name="王五")
    entry = AuditEntry.objects.get(object_id=str(applicant.pk), action="create")
    assert entry.changes["name"] == [None, "王*"]
    listed = clerk_client.get("/admin/disclosure/applicant/").context["cl"].result_list
    assert applicant in list(listed)
    other = UserFactory(username="clerk-b")
    Membership.objects.create(user=other, body=world.county_b, role=Role.EDIT)
    clerk_client.force_login(other)
    listed = clerk_client.get("/admin/disclosure/applicant/").context["cl"].result_list
    assert applicant not in list(listed)


def test_applicant_page_masks_identity_and_contact_for_a_viewer(client, world):
    viewer = UserFactory(username="viewer-a")
    Membership.objects.create(user=viewer, body=world.county_a, role=Role.VIEW)
    client.force_login(viewer)
    Applicant.objects.filter(pk=world.applicant_a.pk).update(contact="13800001111")
    page = client.get(f"/admin/disclosure/applicant/{world.applicant_a.pk}/change/")
    shown = re.findall(r'<div class="readonly">([^<]*)</div>', page.content.decode())
    # The contact shows no part of itself (it read "1380***1111" here, "******" in the API).
    assert shown[:4] == ["自然人", "张**", "620101********1237", "******"]


def test_applicant_search_is_by_exact_reference_for_everyone(client, world):
    client.force_login(world.clerk)
    found = client.get("/admin/disclosure/applicant/", {"q": "2025-0001"}).context["cl"]
    assert list(found.result_list) == [world.applicant_a]
    # A part of a reference finds nothing (with the identity permission it listed them).
    partial = client.get("/admin/disclosure/applicant/", {"q": "2025"}).context["cl"]
    assert list(partial.result_list) == []
    by_name = client.get("/admin/disclosure/applicant/", {"q": "张三丰"}).context["cl"]
    assert list(by_name.result_list) == [world.applicant_a]


def test_applicant_page_shows_the_monthly_per_request_fee(admin_client, world):
    page = admin_client.get(
        f"/admin/disclosure/informationrequest/{world.request_a.pk}/change/"
    ).content.decode()
    assert "该申请人2025年3月共申请 1 件；本申请为第 1 件，如按件收费，标准为 0 元。" in page


# --- registers ---------------------------------------------------------------------------


def test_document_add_goes_through_the_service(clerk_client, world):
    response = clerk_client.post(
        "/admin/disclosure/document/add/",
        {
            "body": world.county_a.pk,
            "kind": "normative_documents",
            "title": "甲县某管理办法",
            "number": "甲政发〔2025〕1号",
            "issued_on": "2025-02-01",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(number="甲政发〔2025〕1号")
    assert AuditEntry.objects.get(object_id=str(document.pk)).action == "create"


def test_figure_change_goes_through_figure_set(clerk_client, world):
    figure = FigureFactory(body=world.county_a, year=2025, item=FigureItem.LICENSING, value=3)
    response = clerk_client.post(
        f"/admin/disclosure/yearlyfigure/{figure.pk}/change/",
        {"value": "12", "source": "政务服务中心台账"},
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == Decimal("12.0000")
    assert YearlyFigure.objects.count() == 1
    entry = AuditEntry.objects.get(object_id=str(figure.pk))
    assert entry.actor == world.clerk
    assert entry.changes["source"] == ["", "政务服务中心台账"]


# --- calendar ----------------------------------------------------------------------------


def test_calendar_edit_moves_an_open_request_due_date(admin_client, world):
    request = RequestFactory(
        body=world.county_a,
        reference="2027-0001",
        received_on=datetime.date(2027, 1, 4),
        due_date=None,
    )
    from disclosure import services

    services.request_recompute_clock(request)
    request.refresh_from_db()
    before = request.due_date
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            "/admin/disclosure/calendarday/add/",
            {"date": "2027-01-15", "kind": "holiday", "name": "测试假日"},
            follow=True,
        )
    job = Job.objects.get()
    assert [str(message) for message in response.context["messages"]][0] == (
        "在办申请的答复期限将按新的节假日安排重新计算："
        f'<a href="/admin/jobs/job/{job.pk}/change/">后台任务 #{job.pk}</a>。'
    )
    request.refresh_from_db()
    assert request.due_date == before + datetime.timedelta(days=1 if before.weekday() < 4 else 3)
    assert CalendarDay.objects.get().name == "测试假日"


def test_clerk_reads_the_calendar_but_cannot_change_it(clerk_client, world):
    assert clerk_client.get("/admin/disclosure/calendarday/").status_code == 200
    assert clerk_client.get("/admin/disclosure/calendarday/add/").status_code == 403


@pytest.mark.time_machine(datetime.datetime(2026, 11, 30, 2, 0, tzinfo=datetime.UTC), tick=False)
def test_calendar_list_shows_each_years_national_schedule_beside_the_overrides(clerk_client, world):
    CalendarDay.objects.create(date=datetime.date(2026, 10, 9), kind="holiday", name="临时调整")
    response = clerk_client.get("/admin/disclosure/calendarday/")
    years = response.context["calendar_years"]
    assert [(entry.year, entry.schedule.known) for entry in years] == [
        (2027, False),
        (2026, True),
        (2025, True),
    ]
    this_year = years[1]
    assert [period.name for period in this_year.schedule.holidays] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ]
    assert [(override.day.name, override.official) for override in this_year.overrides] == [
        ("临时调整", "工作日")
    ]
    page = response.content.decode()
    assert "尚无国家安排：按周一至周五计算，答复期限将提示本年节假日安排尚未录入。" in page
    assert "共 33 天：元旦 1月1日—1月3日；春节 2月15日—2月23日；" in page
    assert "10月10日（星期六，国庆节）" in page
    assert "（临时调整），国家安排为工作日" in page


# --- memberships -------------------------------------------------------------------------


def test_clerk_sees_memberships_of_own_bodies_only(clerk_client, world):
    other = UserFactory(username="clerk-b")
    Membership.objects.create(user=other, body=world.county_b, role=Role.EDIT)
    listed = clerk_client.get("/admin/disclosure/membership/").context["cl"].result_list
    assert [membership.user.username for membership in listed] == ["clerk-a"]
    assert clerk_client.get("/admin/disclosure/membership/add/").status_code == 403


def test_superuser_grants_a_membership_through_the_service(admin_client, world):
    newcomer = UserFactory(username="newcomer")
    response = admin_client.post(
        "/admin/disclosure/membership/add/",
        {"user": newcomer.pk, "body": world.county_b.pk, "role": Role.VIEW},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert AuditEntry.objects.get(object_id=str(membership.pk)).action == "create"


# --- deadline calculator -----------------------------------------------------------------


CALCULATOR = "/admin/disclosure/informationrequest/deadline-calculator/"


def pauses(prefix: str, rows=()) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "0"}
    for index, (start, end) in enumerate(rows):
        data[f"{prefix}-{index}-start"] = start
        data[f"{prefix}-{index}-end"] = end
    return data


def test_calculator_page_is_linked_from_the_admin_index(clerk_client):
    assert CALCULATOR in clerk_client.get("/admin/").content.decode()


def test_calculator_computes_case_a(clerk_client):
    response = clerk_client.get(
        CALCULATOR,
        {"received_on": "2025-09-30", **pauses("consultation"), **pauses("fee")},
    )
    clock = response.context["clock"]
    assert clock["due_date"] == datetime.date(2025, 11, 4)
    page = response.content.decode()
    assert "答复期限：2025-11-04" in page
    assert "国庆节" in page
    assert "调休上班" in page


def test_calculator_computes_case_d_with_a_consultation(clerk_client):
    response = clerk_client.get(
        CALCULATOR,
        {
            "received_on": "2025-06-02",
            **pauses("consultation", [("2025-06-10", "2025-06-20")]),
            **pauses("fee"),
        },
    )
    clock = response.context["clock"]
    assert clock["due_date"] == datetime.date(2025, 7, 10)
    assert clock["paused_days"] == 8


def test_calculator_computes_case_e_with_an_extension(clerk_client):
    response = clerk_client.get(
        CALCULATOR,
        {
            "received_on": "2025-09-30",
            "extension_days": "20",
            "extension_decided_on": "2025-11-03",
            **pauses("consultation"),
            **pauses("fee"),
        },
    )
    clock = response.context["clock"]
    assert clock["extended_due_date"] == datetime.date(2025, 12, 2)
    assert "延期后答复期限：2025-12-02" in response.content.decode()


def test_calculator_takes_the_apis_range_and_says_which_dates_are_not_dates(clerk_client):
    # Year 9999 overflowed the calendar (a 500); the API's calculator already refused it.
    response = clerk_client.get(
        CALCULATOR,
        {
            "received_on": "9999-12-31",
            "correction_notice_on": "2026-02-30",
            **pauses("consultation"),
            **pauses("fee"),
        },
    )
    assert response.status_code == 200
    assert response.context["clock"] is None
    assert response.context["form"].errors == {
        "received_on": ["日期须在 2008-05-01 至 2099-12-31 之间。"],
        "correction_notice_on": ["“2026-02-30”不是有效日期。"],
    }


def test_calculator_refuses_a_malformed_date(clerk_client):
    response = clerk_client.get(
        CALCULATOR, {"received_on": "2025-13-40", **pauses("consultation"), **pauses("fee")}
    )
    assert response.context["clock"] is None
    assert "received_on" in response.context["form"].errors


def test_calculator_empty_form_shows_no_result(clerk_client):
    response = clerk_client.get(CALCULATOR)
    assert response.status_code == 200
    assert response.context["clock"] is None
    assert InformationRequest.objects.count() == 2


def test_applicant_page_lists_own_repeated_requests_only(admin_client, client, world):
    for reference, body in (("2025-0002", world.county_a), ("2025-0902", world.county_b)):
        RequestFactory(
            body=body,
            reference=reference,
            applicant=world.applicant_a,
            content="甲县的申请内容。",
            received_on=datetime.date(2025, 3, 10),
        )
    client.force_login(world.clerk)
    response = client.get(f"/admin/disclosure/applicant/{world.applicant_a.pk}/change/")
    page = response.content.decode()
    assert "内容相同的申请 2 件：2025-0001、2025-0002" in page
    assert "2025-0902" not in page
    inline = response.context["inline_admin_formsets"][0]
    assert [form.original.reference for form in inline] == ["2025-0002", "2025-0001"]


# the admin index's table headers (read out by screen readers) are Chinese; Django
# 5.2's own zh_Hans catalogue has no translation for them.


def test_the_admin_index_headers_are_chinese(client):
    world = county_world()
    client.force_login(world.clerk)
    page = client.get("/admin/").content.decode()
    assert ["Model name" in page, "Add link" in page, "Change or view list link" in page] == [
        False,
        False,
        False,
    ]
    assert '<th scope="col">模型名称</th>' in page
    assert '<th scope="col">修改或查看列表链接</th>' in page
