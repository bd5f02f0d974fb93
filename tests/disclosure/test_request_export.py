"""The request list's export as the import workbook's 申请 sheet: a round trip changes
nothing; full identities for those who handle the requests (audited), a masked file says it
is not for re-import; the import's 证件类型 column and its checks."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.forms.models import model_to_dict
from openpyxl import load_workbook

from disclosure import services
from disclosure.importing import WorkbookRejected, records_import
from disclosure.models import (
    Applicant,
    ApplicantAccess,
    AuditEntry,
    Consultation,
    InformationRequest,
)
from disclosure.vocab import ApplicantKind, AuditAction, Channel, FeeMethod, IdType, Result, Role
from tests.disclosure.admin_helpers import county_world
from tests.disclosure.import_helpers import REQUEST_HEADER, xlsx
from tests.factories import MembershipFactory, UserFactory, resident_id

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/disclosure/informationrequest/"
EXPORT = f"{REQUESTS}export.xlsx"


@pytest.fixture
def world():
    world = county_world()
    # county_world's requests are bare factory rows; these go through the services.
    InformationRequest.objects.all().delete()
    return world


@pytest.fixture
def requests(world):
    clerk = world.clerk
    person = services.record_save(
        actor=clerk,
        instance=Applicant(
            kind=ApplicantKind.NATURAL_PERSON,
            name="张三丰",
            id_number=resident_id("62010219850315001"),
            contact="13909351234",
        ),
    )
    company = services.record_save(
        actor=clerk,
        instance=Applicant(
            kind=ApplicantKind.COMMERCIAL_ENTERPRISE,
            name="某某科技有限公司",
            id_number="91620100MA0000000C",
        ),
    )
    full = services.request_create(
        actor=clerk,
        body=world.department_a,
        applicant=person,
        channel=Channel.POST,
        received_on=datetime.date(2025, 3, 3),
        content='=HYPERLINK("http://example.com","点击")',
        correction_notice_on=datetime.date(2025, 3, 5),
        correction_deadline=datetime.date(2025, 3, 20),
        correction_received_on=datetime.date(2025, 3, 17),
        extension_days=10,
        extension_decided_on=datetime.date(2025, 4, 10),
        extension_approver="李主任",
        extension_reason="需要调阅档案",
        fee_method=FeeMethod.PER_PAGE,
        fee_amount=Decimal("12.50"),
        fee_notice_on=datetime.date(2025, 3, 25),
        fee_due_on=datetime.date(2025, 4, 22),
        fee_paid_on=datetime.date(2025, 3, 28),
        concluded_on=datetime.date(2025, 5, 6),
        result=Result.PARTIALLY_GRANTED,
        consultations=[
            Consultation(party="第三方甲", sent_on=datetime.date(2025, 3, 18)),
            Consultation(
                party="第三方乙",
                sent_on=datetime.date(2025, 3, 19),
                answered_on=datetime.date(2025, 3, 28),
            ),
        ],
    )
    withdrawn = services.request_create(
        actor=clerk,
        body=world.county_a,
        applicant=company,
        channel=Channel.INTERNET,
        received_on=datetime.date(2025, 6, 2),
        content="招标文件",
        withdrawn_on=datetime.date(2025, 6, 9),
    )
    bare = services.request_create(
        actor=clerk,
        body=world.county_a,
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        channel=Channel.IN_PERSON,
        received_on=datetime.date(2025, 7, 1),
        content="-某项目批复",
    )
    return [full, withdrawn, bare]


def snapshot() -> dict:
    return {
        "requests": [model_to_dict(r) for r in InformationRequest.objects.order_by("pk")],
        "consultations": [model_to_dict(c) for c in Consultation.objects.order_by("pk")],
        "applicants": [model_to_dict(a) for a in Applicant.objects.order_by("pk")],
    }


def sheet_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["申请"]
    rows = [list(row) for row in workbook["申请"].iter_rows(values_only=True)]
    width = max(len(row) for row in rows)
    return [row + [None] * (width - len(row)) for row in rows]


def test_an_export_imported_again_changes_nothing(client, world, requests):
    client.force_login(world.clerk)
    before = snapshot()
    audits = AuditEntry.objects.count()
    response = client.get(EXPORT)
    assert response.status_code == 200
    summary = records_import(actor=world.clerk, filename="export.xlsx", content=response.content)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert snapshot() == before
    # Only the export's own audit row was added.
    assert AuditEntry.objects.count() == audits + 1


def test_the_export_uses_the_import_templates_columns_and_values(client, world, requests):
    client.force_login(world.clerk)
    rows = sheet_rows(client.get(EXPORT).content)
    header = rows[0]
    assert header[:8] == [
        "机构代码",
        "申请编号",
        "收到申请日期",
        "申请人类型",
        "申请人",
        "证件号码",
        "证件类型",
        "申请方式",
    ]
    by_key = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    full = by_key[("dept-a", requests[0].reference)]
    assert (full["机构代码"], full["申请人"], full["证件号码"], full["证件类型"]) == (
        "dept-a",
        "张三丰",
        resident_id("62010219850315001"),
        "居民身份证",
    )
    # Two consultations: the first is exported.
    assert (full["征求意见开始日期"], full["征求意见结束日期"]) == (
        datetime.datetime(2025, 3, 18),
        None,
    )
    assert full["申请内容"] == '\'=HYPERLINK("http://example.com","点击")'
    assert full["办理结果"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert full["收费金额(元)"] == 12.5
    assert by_key[("county-a", requests[1].reference)]["证件类型"] == "统一社会信用代码"


def test_a_full_export_is_audited_as_an_export_of_personal_data(client, world, requests):
    client.force_login(world.clerk)
    client.get(EXPORT, {"year": "2025"})
    entry = AuditEntry.objects.get(action=AuditAction.PERSONAL_DATA_EXPORT)
    assert entry.actor == world.clerk
    assert entry.changes == {"rows": 3, "applicants": 2, "format": "xlsx"}
    assert "year=2025" in entry.object_repr
    assert ApplicantAccess.objects.filter(user=world.clerk, page="export").count() == 2


def test_a_viewers_export_is_masked_and_says_it_is_not_for_re_import(client, world, requests):
    viewer = UserFactory(username="viewer-a")
    MembershipFactory(user=viewer, body=world.county_a, role=Role.VIEW)
    client.force_login(viewer)
    content = client.get(EXPORT).content
    rows = sheet_rows(content)
    assert rows[0][0] == "本文件中部分申请人信息已隐去，仅供查阅，不能用于重新导入。"
    assert rows[1][0] == "机构代码"
    names = {row[4] for row in rows[2:]}
    assert names == {"张**", "某某******", None}
    assert not AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT).exists()
    before = snapshot()
    with pytest.raises(WorkbookRejected):
        records_import(actor=world.clerk, filename="masked.xlsx", content=content)
    assert snapshot() == before


def test_the_export_action_exports_the_selected_rows_of_the_users_bodies(client, world, requests):
    client.force_login(world.clerk)
    response = client.post(
        REQUESTS,
        {
            "action": "export_workbook",
            ACTION_CHECKBOX_NAME: [requests[2].pk, world.request_b.pk],
        },
    )
    rows = sheet_rows(response.content)
    assert [(row[0], row[1]) for row in rows[1:]] == [("county-a", requests[2].reference)]


def test_the_export_is_saved_under_a_chinese_name(client, world, requests):
    client.force_login(world.clerk)
    response = client.get(EXPORT)
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith('attachment; filename="information-requests-')


def test_an_import_changing_the_first_consultation_leaves_the_others(world, requests):
    full = requests[0]
    header = REQUEST_HEADER + ["征求意见开始日期", "征求意见结束日期"]
    row = [
        "dept-a",
        "2025-0001",
        "2025-03-03",
        "自然人",
        "张三丰",
        resident_id("62010219850315001"),
        "邮寄",
        "'" + full.content,
        "2025-05-06",
        "部分公开",
        "2025-03-18",
        "2025-03-21",
    ]
    summary = records_import(
        actor=world.clerk, filename="a.xlsx", content=xlsx({"申请": [header, row]})
    )
    assert summary.updated == 1
    consultations = list(Consultation.objects.filter(request=full).order_by("sent_on"))
    assert [(c.party, c.answered_on) for c in consultations] == [
        ("第三方甲", datetime.date(2025, 3, 21)),
        ("第三方乙", datetime.date(2025, 3, 28)),
    ]


# --- 证件类型 and the checked numbers --------------------------------------------------------


def request_row(number: str, id_type: str | None = None, reference: str = "2025-0100") -> list:
    row = [
        "county-a",
        reference,
        "2025-03-03",
        "自然人",
        "王五",
        number,
        "互联网",
        "某项目审批文件",
        None,
        None,
    ]
    return row + ([id_type] if id_type is not None else [])


def test_the_import_refuses_a_resident_id_with_a_wrong_check_digit(world):
    content = xlsx({"申请": [REQUEST_HEADER, request_row("620101199001011234")]})
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=world.clerk, filename="a.xlsx", content=content)
    [problem] = refused.value.problems
    assert (problem.sheet, problem.line, problem.column) == ("申请", 2, "证件号码")
    assert problem.message == (
        "居民身份证号码“620101199001011234”的校验码不正确（按 GB 11643 第18位应为 7）。"
    )
    assert str(problem).startswith("“申请”表 第2行 “证件号码”列：")
    assert not InformationRequest.objects.exists()
    assert not Applicant.objects.filter(name="王五").exists()


def test_the_import_refuses_a_resident_id_without_a_real_birth_date(world):
    number = resident_id("62010119900230123")  # 30 February
    content = xlsx({"申请": [REQUEST_HEADER, request_row(number)]})
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=world.clerk, filename="a.xlsx", content=content)
    [problem] = refused.value.problems
    assert problem.column == "证件号码"
    assert "出生日期“19900230”不是真实日期" in problem.message


def test_the_import_checks_a_declared_credit_code(world):
    header = REQUEST_HEADER + ["证件类型"]
    content = xlsx({"申请": [header, request_row("91620100MA0000000D", "统一社会信用代码")]})
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=world.clerk, filename="a.xlsx", content=content)
    [problem] = refused.value.problems
    assert problem.column == "证件号码"
    assert "GB 32100" in problem.message and "应为 C" in problem.message


def test_the_id_type_comes_from_the_column_or_the_numbers_form(world):
    header = REQUEST_HEADER + ["证件类型"]
    rows = [
        header,
        request_row(resident_id("62010119900101123"), None, "2025-0101") + [None],
        request_row("E12345678", "护照", "2025-0102"),
        request_row("91620100MA0000000C", "", "2025-0103"),
        request_row("H1234567", "", "2025-0104"),
    ]
    records_import(actor=world.clerk, filename="a.xlsx", content=xlsx({"申请": rows}))
    types = dict(Applicant.objects.filter(name="王五").values_list("id_number", "id_type"))
    assert types == {
        resident_id("62010119900101123"): IdType.RESIDENT_ID,
        "E12345678": IdType.PASSPORT,
        "91620100MA0000000C": IdType.CREDIT_CODE,
        "H1234567": IdType.OTHER,
    }


def test_an_unknown_id_type_is_named(world):
    header = REQUEST_HEADER + ["证件类型"]
    content = xlsx({"申请": [header, request_row("E12345678", "驾驶证")]})
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=world.clerk, filename="a.xlsx", content=content)
    [problem] = refused.value.problems
    assert problem.column == "证件类型"
    assert "“驾驶证”不是允许的值" in problem.message
