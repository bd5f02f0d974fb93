from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from disclosure import services
from disclosure.history import ChangeLine, change_lines
from disclosure.models import AuditEntry, Body, InformationRequest
from disclosure.vocab import AuditAction, BodyKind, Result
from tests.factories import ApplicantFactory, BodyFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NEW = {"channel": "email", "applicant_kind": "natural_person"}


def lines_of(obj) -> list[list[ChangeLine]]:
    """The readable lines of ``obj``'s audit rows, oldest first."""
    entries = list(
        AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .select_related("content_type")
        .order_by("pk")
    )
    lines = change_lines(entries)
    return [lines[entry.pk] for entry in entries]


@pytest.fixture
def county():
    return BodyFactory(code="county", name="测试县人民政府", kind=BodyKind.GOVERNMENT)


def test_a_conclusion_reads_as_field_labels_and_choice_labels(county):
    actor = UserFactory()
    request = services.request_create(
        actor=actor,
        body=county,
        received_on=D(2023, 3, 1),
        content="申请公开预算",
        channel="email",
        applicant_kind="natural_person",
    )
    services.request_conclude(
        actor=actor, request=request, concluded_on=D(2023, 3, 10), result=Result.GRANTED
    )
    created, concluded = lines_of(request)
    assert ChangeLine("受理机构", "", "测试县人民政府") in created
    assert ChangeLine("申请方式", "", "电子邮件") in created
    assert AuditEntry.objects.filter(object_id=str(request.pk)).latest("pk").action == "conclude"
    assert ChangeLine("办结日期", "—", "2023-03-10") in concluded
    assert ChangeLine("办理结果", "—", "予以公开") in concluded
    assert all("result" not in line.label and "granted" not in line.after for line in concluded)


def test_a_related_record_is_named_and_a_vanished_one_said_so(county):
    actor = UserFactory(is_superuser=True)  # a body's master data: a superuser's
    department = services.body_save(
        actor=actor,
        body=Body(code="edu", name="测试县教育局", kind=BodyKind.DEPARTMENT, parent=county),
    )
    [created] = lines_of(department)
    assert ChangeLine("上级机构", "", "测试县人民政府") in created
    assert ChangeLine("机构类型", "", "政府部门") in created
    entry = services.audit_record(
        actor=actor,
        obj=department,
        action=AuditAction.UPDATE,
        changes={"parent": [county.pk, 9999]},
    )
    entry = AuditEntry.objects.select_related("content_type").get(pk=entry.pk)
    assert change_lines([entry])[entry.pk] == [
        ChangeLine("上级机构", "测试县人民政府", "编号9999（已不存在）")
    ]


def test_yes_no_times_and_unknown_keys_read_plainly(county):
    entry = services.audit_record(
        actor=None,
        obj=InformationRequest(pk=1, body=county),
        action=AuditAction.RECOMPUTE,
        changes={
            "extension_late": [False, True],
            "voided_at": [None, "2023-03-01T02:00:00+00:00"],
            "legacy_key": "旧格式的值",
        },
    )
    entry = AuditEntry.objects.select_related("content_type").get(pk=entry.pk)
    assert change_lines([entry])[entry.pk] == [
        ChangeLine("延期决定晚于期限", "否", "是"),
        ChangeLine("作废时间", "—", "2023-03-01 10:00"),
        ChangeLine("legacy_key", "—", "旧格式的值"),
    ]


def test_an_applicant_named_by_a_request_stays_masked(county):
    applicant = ApplicantFactory(name="王小明")
    request = services.request_create(
        actor=None,
        body=county,
        received_on=D(2023, 3, 1),
        content="申请",
        applicant=applicant,
        channel="email",
    )
    [created] = lines_of(request)
    [line] = [line for line in created if line.label == "申请人"]
    assert "小明" not in line.after
    assert line.after == str(applicant)


def test_labels_follow_the_active_language(county):
    services.body_save(actor=None, body=Body(code="b", name="某局", kind=BodyKind.DEPARTMENT))
    body = Body.objects.get(code="b")
    body.name = "某市某局"
    services.body_save(actor=None, body=body)
    request = services.request_create(
        actor=None, body=county, received_on=D(2023, 3, 1), content="x", **NEW
    )
    services.request_conclude(
        actor=None, request=request, concluded_on=D(2023, 3, 2), result=Result.GRANTED
    )
    with translation.override("en"):
        assert ChangeLine("Body name", "某局", "某市某局") in lines_of(body)[-1]
        assert any(line.after == "Disclosed" for line in lines_of(request)[-1])


def test_a_page_of_rows_names_its_related_records_in_one_query_per_kind(
    county, django_assert_num_queries
):
    for number in range(5):
        services.body_save(
            actor=None,
            body=Body(
                code=f"d{number}", name=f"部门{number}", kind=BodyKind.DEPARTMENT, parent=county
            ),
        )
    entries = list(AuditEntry.objects.select_related("content_type"))
    with django_assert_num_queries(1):
        lines = change_lines(entries)
    assert sum(ChangeLine("上级机构", "", "测试县人民政府") in rows for rows in lines.values()) == 5
