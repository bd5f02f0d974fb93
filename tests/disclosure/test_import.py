from __future__ import annotations

import datetime
import gc
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection

from disclosure import services
from disclosure.importing import Problem, WorkbookRejected, records, records_import
from disclosure.importing import services as import_services
from disclosure.importing.records import IMPORTED_CONSULTATION_PARTY
from disclosure.models import (
    AppealCase,
    Applicant,
    AuditEntry,
    Body,
    Document,
    InformationRequest,
    ReferenceCounter,
    YearlyFigure,
    child_path,
)
from disclosure.selectors import record_history
from disclosure.vocab import (
    AppealKind,
    AppealResult,
    ApplicantKind,
    BodyKind,
    Channel,
    DocumentKind,
    FigureItem,
    Result,
)
from tests.disclosure.import_helpers import (
    APPEAL_HEADER,
    BODY_HEADER,
    DOCUMENT_HEADER,
    FIGURE_HEADER,
    REQUEST_HEADER,
    xlsx,
)
from tests.factories import BodyFactory, RequestFactory

pytestmark = pytest.mark.django_db


def good_workbook() -> bytes:
    return xlsx(
        {
            "机构": [
                BODY_HEADER,
                [
                    "city",
                    "某市人民政府",
                    None,
                    "人民政府",
                    "某市中心路1号",
                    "733000",
                    "0935-1234567",
                    "http://www.city.gov.cn",
                ],
                ["city-edu", "某市教育局", "city", "政府部门", None, None, None, None],
            ],
            "申请": [
                REQUEST_HEADER + ["征求意见开始日期", "征求意见结束日期", "收费金额(元)"],
                [
                    "city",
                    "2023-001",
                    datetime.datetime(2023, 3, 1),
                    "自然人",
                    "张三",
                    "620101199001011237",
                    "互联网",
                    "某项目审批文件",
                    "2023-03-20",
                    "予以公开",
                    None,
                    None,
                    None,
                ],
                [
                    "city-edu",
                    "教2023-7",
                    "2023-04-03",
                    "商业企业",
                    "某某有限公司",
                    "91620100MA0000000C",
                    "邮寄",
                    "招生计划",
                    None,
                    None,
                    "2023-04-10",
                    "2023-04-17",
                    "12.5",
                ],
            ],
            "复议诉讼": [
                APPEAL_HEADER,
                [
                    "city",
                    "武复〔2023〕5号",
                    "行政复议",
                    "2023-06-01",
                    "2023-08-01",
                    "结果维持",
                    "2023-001",
                ],
            ],
            "规范性文件": [
                DOCUMENT_HEADER,
                [
                    "city",
                    "行政规范性文件",
                    "关于某事项的通知（试行）",
                    "市政发〔2023〕1号",
                    "2023-02-01",
                    "2023-03-01",
                    None,
                    "2025-02-01",
                ],
            ],
            "年度数据": [
                FIGURE_HEADER,
                ["city", 2023, "行政许可", 120, "政务服务中心统计"],
                ["city", "2023", "行政事业性收费", "1.2345", None],
            ],
        }
    )


def test_good_workbook_imports_exact_records():
    summary = records_import(actor=None, filename="台账.xlsx", content=good_workbook())

    assert [(s.sheet, s.created, s.updated, s.unchanged) for s in summary.sheets] == [
        ("机构", 2, 0, 0),
        ("申请", 2, 0, 0),
        ("复议诉讼", 1, 0, 0),
        ("规范性文件", 1, 0, 0),
        ("年度数据", 2, 0, 0),
    ]
    city = Body.objects.get(code="city")
    assert (
        city.name,
        city.kind,
        city.parent,
        city.address,
        city.postcode,
        city.phone,
        city.website,
    ) == (
        "某市人民政府",
        BodyKind.GOVERNMENT,
        None,
        "某市中心路1号",
        "733000",
        "0935-1234567",
        "http://www.city.gov.cn",
    )
    education = Body.objects.get(code="city-edu")
    assert (education.parent, education.kind, education.path) == (
        city,
        BodyKind.DEPARTMENT,
        child_path(child_path("/", city.pk), education.pk),
    )

    first = InformationRequest.objects.get(body=city, reference="2023-001")
    assert first.received_on == datetime.date(2023, 3, 1)
    assert (first.applicant_kind, first.channel, first.content) == (
        ApplicantKind.NATURAL_PERSON,
        Channel.INTERNET,
        "某项目审批文件",
    )
    assert (first.applicant.name, first.applicant.id_number, first.applicant.kind) == (
        "张三",
        "620101199001011237",
        ApplicantKind.NATURAL_PERSON,
    )
    assert (first.concluded_on, first.result) == (datetime.date(2023, 3, 20), Result.GRANTED)
    assert first.due_date is not None  # the clock was computed by the service

    second = InformationRequest.objects.get(body=education, reference="教2023-7")
    assert second.fee_amount == Decimal("12.50")
    assert (second.concluded_on, second.result) == (None, "")
    assert [(c.party, c.sent_on, c.answered_on) for c in second.consultations.all()] == [
        (IMPORTED_CONSULTATION_PARTY, datetime.date(2023, 4, 10), datetime.date(2023, 4, 17))
    ]

    case = AppealCase.objects.get()
    assert (case.body, case.kind, case.case_number, case.filed_on, case.concluded_on) == (
        city,
        AppealKind.RECONSIDERATION,
        "武复〔2023〕5号",
        datetime.date(2023, 6, 1),
        datetime.date(2023, 8, 1),
    )
    assert (case.result, case.request) == (AppealResult.UPHELD, first)

    document = Document.objects.get()
    assert (document.kind, document.title, document.number) == (
        DocumentKind.NORMATIVE,
        "关于某事项的通知（试行）",
        "市政发〔2023〕1号",
    )
    assert (
        document.issued_on,
        document.effective_on,
        document.repealed_on,
        document.valid_until,
    ) == (
        datetime.date(2023, 2, 1),
        datetime.date(2023, 3, 1),
        None,
        datetime.date(2025, 2, 1),
    )

    figures = {
        (f.item, f.value, f.source) for f in YearlyFigure.objects.filter(body=city, year=2023)
    }
    assert figures == {
        (FigureItem.LICENSING, Decimal("120"), "政务服务中心统计"),
        (FigureItem.FEES, Decimal("1.2345"), ""),
    }


def test_every_created_record_has_an_audit_row():
    records_import(actor=None, filename="台账.xlsx", content=good_workbook())

    audited = set(AuditEntry.objects.values_list("content_type__model", "object_id"))
    expected = (
        {("body", str(pk)) for pk in Body.objects.values_list("pk", flat=True)}
        | {
            ("informationrequest", str(pk))
            for pk in InformationRequest.objects.values_list("pk", flat=True)
        }
        | {("appealcase", str(pk)) for pk in AppealCase.objects.values_list("pk", flat=True)}
        | {("document", str(pk)) for pk in Document.objects.values_list("pk", flat=True)}
        | {("yearlyfigure", str(pk)) for pk in YearlyFigure.objects.values_list("pk", flat=True)}
    )
    assert expected <= audited


def test_importing_the_same_workbook_twice_changes_nothing():
    content = good_workbook()
    records_import(actor=None, filename="台账.xlsx", content=content)
    audit_count = AuditEntry.objects.count()
    stamps = list(InformationRequest.objects.order_by("pk").values_list("pk", "updated_at"))
    applicants = Applicant.objects.count()

    summary = records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(s.sheet, s.created, s.updated, s.unchanged) for s in summary.sheets] == [
        ("机构", 0, 0, 2),
        ("申请", 0, 0, 2),
        ("复议诉讼", 0, 0, 1),
        ("规范性文件", 0, 0, 1),
        ("年度数据", 0, 0, 2),
    ]
    assert AuditEntry.objects.count() == audit_count
    assert list(InformationRequest.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert Applicant.objects.count() == applicants


def test_one_bad_row_among_good_ones_imports_nothing_and_names_that_row():
    content = xlsx(
        {
            "机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]],
            "申请": [
                REQUEST_HEADER,
                ["city", "A-1", "2023-03-01", "自然人", None, None, "互联网", "内容一", None, None],
                ["city", "A-2", "2023-02-30", "自然人", None, None, "互联网", "内容二", None, None],
                ["city", "A-3", "2023-03-02", "自然人", None, None, "互联网", "内容三", None, None],
            ],
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert refused.value.problems == [
        Problem("申请", 3, "收到申请日期", "“2023-02-30”不是有效日期。")
    ]
    assert Body.objects.count() == 0
    assert InformationRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_every_bad_row_is_named_including_the_models_own_rules():
    body = BodyFactory(code="city")
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER,
                [
                    "city",
                    "A-1",
                    "2023-03-01",
                    "自然人",
                    None,
                    None,
                    "互联网",
                    "内容",
                    "2023-03-05",
                    None,
                ],
                ["city", "A-2", "2023-03-01", "居民", None, None, "互联网", "内容", None, None],
                [
                    "nowhere",
                    "A-3",
                    "2023-03-01",
                    "自然人",
                    None,
                    None,
                    "互联网",
                    "内容",
                    None,
                    None,
                ],
                ["city", "A-4", "2023-03-01", "自然人", None, None, "互联网", None, None, None],
            ],
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.sheet, p.line, p.column) for p in refused.value.problems] == [
        ("申请", 2, "办理结果"),
        ("申请", 3, "申请人类型"),
        ("申请", 4, "机构代码"),
        ("申请", 5, "申请内容"),
    ]
    assert refused.value.problems[2].message == "没有机构代码为“nowhere”的机构。"
    assert refused.value.problems[3].message == "必填，不能为空。"
    assert not InformationRequest.objects.filter(body=body).exists()


def test_a_row_naming_a_refused_body_row_says_so():
    content = xlsx(
        {
            "机构": [BODY_HEADER, ["new-dept", "新部门", None, "部委"]],
            "申请": [
                REQUEST_HEADER,
                [
                    "new-dept",
                    "A-1",
                    "2023-03-01",
                    "自然人",
                    None,
                    None,
                    "互联网",
                    "内容",
                    None,
                    None,
                ],
            ],
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.sheet, p.line, p.column, p.message) for p in refused.value.problems] == [
        ("机构", 2, "机构类型", "“部委”不是允许的值，应为：人民政府、政府部门、乡镇(街道)、其他。"),
        ("申请", 2, "机构代码", "机构“new-dept”在“机构”表中的行有错误。"),
    ]


def test_a_changed_row_updates_the_record_and_a_blank_cell_clears():
    body = BodyFactory(code="city")
    request = RequestFactory(
        body=body,
        reference="A-1",
        received_on=datetime.date(2023, 3, 1),
        extension_approver="李四",
    )
    header = REQUEST_HEADER + ["延期批准人"]
    content = xlsx(
        {
            "申请": [
                header,
                [
                    "city",
                    "A-1",
                    "2023-03-01",
                    "自然人",
                    None,
                    None,
                    "互联网",
                    "新的申请内容",
                    None,
                    None,
                    None,
                ],
            ]
        }
    )

    summary = records_import(actor=None, filename="台账.xlsx", content=content)

    request.refresh_from_db()
    assert (summary.sheets[0].updated, request.content, request.extension_approver) == (
        1,
        "新的申请内容",
        "",
    )
    assert AuditEntry.objects.filter(object_id=str(request.pk)).count() == 1


def test_a_column_left_out_leaves_its_field_alone():
    body = BodyFactory(code="city", address="旧地址", name="某市人民政府", kind=BodyKind.GOVERNMENT)
    content = xlsx(
        {"机构": [["机构代码", "机构名称", "机构类型"], ["city", "某市人民政府", "人民政府"]]}
    )

    summary = records_import(actor=None, filename="台账.xlsx", content=content)

    body.refresh_from_db()
    assert (summary.sheets[0].unchanged, body.address) == (1, "旧地址")


def test_full_width_digits_and_spaces_are_accepted():
    BodyFactory(code="city")
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER + ["延期天数", "延期批准日期"],
                [
                    "ｃｉｔｙ ",
                    " A-1 ",
                    "２０２３－０３－０１",
                    " 自然人",
                    None,
                    None,
                    "互联网",
                    "内容",
                    None,
                    None,
                    "１５",
                    "2023-03-20",
                ],
            ],
            "年度数据": [FIGURE_HEADER, ["city", "２０２３", "行政处罚", "１２", None]],
        }
    )

    records_import(actor=None, filename="台账.xlsx", content=content)

    request = InformationRequest.objects.get()
    assert (request.reference, request.received_on, request.extension_days) == (
        "A-1",
        datetime.date(2023, 3, 1),
        15,
    )
    figure = YearlyFigure.objects.get()
    assert (figure.year, figure.item, figure.value) == (2023, FigureItem.PENALTY, Decimal("12"))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("予以公开", Result.GRANTED),
        ("（一）予以公开", Result.GRANTED),
        ("granted", Result.GRANTED),
        ("部分公开", Result.PARTIALLY_GRANTED),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", Result.PARTIALLY_GRANTED),
        ("1.属于国家秘密", Result.DENIED_STATE_SECRET),
        ("属于国家秘密", Result.DENIED_STATE_SECRET),
        ("１．属于国家秘密", Result.DENIED_STATE_SECRET),
        ("不予公开：属于国家秘密", Result.DENIED_STATE_SECRET),
        ('危及"三安全一稳定"', Result.DENIED_THREE_SAFETIES),
        ("1.本机关不掌握相关政府信息", Result.UNABLE_NOT_HELD),
        ("3.其他", Result.OTHER_OTHER),
    ],
)
def test_result_is_read_from_key_or_row_label(written, expected):
    BodyFactory(code="city")
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER,
                [
                    "city",
                    "A-1",
                    "2023-03-01",
                    "自然人",
                    None,
                    None,
                    "互联网",
                    "内容",
                    "2023-03-10",
                    written,
                ],
            ]
        }
    )

    records_import(actor=None, filename="台账.xlsx", content=content)

    assert InformationRequest.objects.get().result == expected


def test_an_unknown_result_is_refused():
    BodyFactory(code="city")
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER,
                [
                    "city",
                    "A-1",
                    "2023-03-01",
                    "自然人",
                    None,
                    None,
                    "互联网",
                    "内容",
                    "2023-03-10",
                    "已答复",
                ],
            ]
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.line, p.column) for p in refused.value.problems] == [(2, "办理结果")]


def test_an_unknown_column_is_refused():
    content = xlsx({"机构": [BODY_HEADER + ["负责人"], ["city", "某市人民政府", None, "人民政府"]]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.sheet, p.line, p.column) for p in refused.value.problems] == [("机构", 1, "负责人")]
    assert Body.objects.count() == 0


def test_an_unknown_sheet_is_refused():
    content = xlsx({"机构表": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.sheet, p.line) for p in refused.value.problems] == [("机构表", None)]


def test_a_missing_required_column_is_refused():
    content = xlsx({"机构": [["机构代码", "机构名称"], ["city", "某市人民政府"]]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.sheet, p.line, p.column, p.message) for p in refused.value.problems] == [
        ("机构", 1, "机构类型", "缺少必填列。")
    ]


def test_a_key_repeated_in_the_file_is_refused():
    content = xlsx(
        {
            "机构": [
                BODY_HEADER,
                ["city", "某市人民政府", None, "人民政府"],
                ["city", "某市政府", None, "人民政府"],
            ]
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.line, p.column, p.message) for p in refused.value.problems] == [
        (3, "机构代码", "与第2行重复（机构代码相同）。")
    ]


def test_a_fractional_count_is_refused_but_fees_take_four_decimals():
    BodyFactory(code="city")
    content = xlsx(
        {
            "年度数据": [
                FIGURE_HEADER,
                ["city", 2023, "行政许可", "1.5", None],
                ["city", 2023, "行政事业性收费", "0.12345", None],
            ]
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.line, p.column) for p in refused.value.problems] == [(2, "数值"), (3, "数值")]


def test_an_import_cannot_move_a_body_to_another_parent():
    city = BodyFactory(code="city")
    BodyFactory(code="county")
    BodyFactory(code="dept", parent=city, name="某部门", kind=BodyKind.DEPARTMENT)
    content = xlsx({"机构": [BODY_HEADER, ["dept", "某部门", "county", "政府部门"]]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.line, p.column) for p in refused.value.problems] == [(2, "上级机构代码")]
    assert Body.objects.get(code="dept").parent == city


def test_an_applicant_with_name_and_id_is_matched_to_the_existing_one():
    BodyFactory(code="city")
    known = Applicant.objects.create(
        kind=ApplicantKind.NATURAL_PERSON, name="张三", id_number="620101199001011237"
    )
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER,
                [
                    "city",
                    "A-1",
                    "2023-03-01",
                    "自然人",
                    "张三",
                    "620101199001011237",
                    "互联网",
                    "一",
                    None,
                    None,
                ],
                [
                    "city",
                    "A-2",
                    "2023-03-02",
                    "自然人",
                    "张三",
                    "620101199001011237",
                    "互联网",
                    "二",
                    None,
                    None,
                ],
            ]
        }
    )

    records_import(actor=None, filename="台账.xlsx", content=content)

    assert set(InformationRequest.objects.values_list("applicant", flat=True)) == {known.pk}
    assert Applicant.objects.count() == 1


def test_dry_run_checks_and_counts_but_saves_nothing():
    summary = records_import(
        actor=None, filename="台账.xlsx", content=good_workbook(), dry_run=True
    )

    assert (summary.dry_run, summary.created) == (True, 8)
    assert Body.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_voided_record_is_passed_over_when_the_row_is_identical_and_refused_otherwise():
    body = BodyFactory(code="city")
    request = RequestFactory(body=body, reference="A-1", content="内容")
    InformationRequest.objects.filter(pk=request.pk).update(
        voided_at=datetime.datetime(2023, 5, 1, tzinfo=datetime.UTC), void_reason="误录"
    )
    row = ["city", "A-1", "2023-03-01", "自然人", None, None, "互联网", "内容", None, None]

    summary = records_import(
        actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, row]})
    )
    assert summary.sheets[0].unchanged == 1

    row[7] = "改过的内容"
    with pytest.raises(WorkbookRejected) as refused:
        records_import(
            actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, row]})
        )
    assert [(p.line, p.column) for p in refused.value.problems] == [(2, "申请编号")]


def test_a_name_without_the_id_column_keeps_the_applicant():
    body = BodyFactory(code="city")
    applicant = Applicant.objects.create(
        kind=ApplicantKind.NATURAL_PERSON, name="张三", id_number="620101199001011237"
    )
    RequestFactory(body=body, reference="A-1", content="内容", applicant=applicant)
    header = [
        "机构代码",
        "申请编号",
        "收到申请日期",
        "申请人类型",
        "申请人",
        "申请方式",
        "申请内容",
    ]
    row = ["city", "A-1", "2023-03-01", "自然人", "张三", "互联网", "内容"]

    summary = records_import(
        actor=None, filename="台账.xlsx", content=xlsx({"申请": [header, row]})
    )

    assert summary.sheets[0].unchanged == 1
    assert Applicant.objects.count() == 1


def test_a_changed_figure_is_set_with_its_source_kept_when_the_column_is_left_out():
    body = BodyFactory(code="city")
    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"年度数据": [FIGURE_HEADER, ["city", 2023, "政府网站", 100, "网站后台"]]}),
    )

    summary = records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx(
            {"年度数据": [["机构代码", "年度", "项目", "数值"], ["city", 2023, "政府网站", 120]]}
        ),
    )

    figure = YearlyFigure.objects.get(body=body)
    assert (summary.sheets[0].updated, figure.value, figure.source) == (
        1,
        Decimal("120"),
        "网站后台",
    )
    assert AuditEntry.objects.filter(object_id=str(figure.pk)).count() == 2


def test_a_parent_must_come_before_its_children_in_the_sheet():
    content = xlsx(
        {
            "机构": [
                BODY_HEADER,
                ["city-edu", "某市教育局", "city", "政府部门"],
                ["city", "某市人民政府", None, "人民政府"],
            ]
        }
    )

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.line, p.column, p.message) for p in refused.value.problems] == [
        (2, "上级机构代码", "机构“city”在“机构”表中位于本行之后：请把上级机构的行放在前面。")
    ]
    assert Body.objects.count() == 0


CONSULTATION_HEADER = REQUEST_HEADER + ["征求意见开始日期", "征求意见结束日期"]


def consultation_row(sent_on, answered_on) -> list:
    return ["city", "A-1", "2023-03-01", "自然人", None, None, "互联网", "内容", None, None] + [
        sent_on,
        answered_on,
    ]


def test_a_consultation_ending_before_it_starts_names_the_end_column():
    BodyFactory(code="city")
    content = xlsx({"申请": [CONSULTATION_HEADER, consultation_row("2023-03-10", "2023-03-05")]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert [(p.line, p.column) for p in refused.value.problems] == [(2, "征求意见结束日期")]


def test_the_consultation_dates_update_and_a_blank_clears_it():
    BodyFactory(code="city")
    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"申请": [CONSULTATION_HEADER, consultation_row("2023-03-03", None)]}),
    )
    request = InformationRequest.objects.get()
    open_due = request.due_date

    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"申请": [CONSULTATION_HEADER, consultation_row("2023-03-03", "2023-03-08")]}),
    )
    assert [(c.sent_on, c.answered_on) for c in request.consultations.all()] == [
        (datetime.date(2023, 3, 3), datetime.date(2023, 3, 8))
    ]

    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"申请": [CONSULTATION_HEADER, consultation_row(None, None)]}),
    )
    request.refresh_from_db()
    assert request.consultations.count() == 0
    assert request.due_date < open_due


# --- batches, look-ups and the trail -----------------------------------------------------


def request_row(reference: str, **cells) -> list:
    row = dict(
        zip(
            REQUEST_HEADER,
            ["city", reference, "2023-03-01", "自然人", None, None, "互联网", "内容", None, None],
            strict=True,
        )
    )
    row.update(cells)
    return [row[column] for column in REQUEST_HEADER]


def test_an_imported_request_has_the_audit_row_request_save_writes():
    body = BodyFactory(code="city")
    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"申请": [REQUEST_HEADER, request_row("A-1")]}),
    )
    services.request_create(
        actor=None,
        body=body,
        reference="A-2",
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        channel=Channel.INTERNET,
        received_on=datetime.date(2023, 3, 1),
        content="内容",
    )

    imported, saved = (
        AuditEntry.objects.get(object_id=str(InformationRequest.objects.get(reference=ref).pk))
        for ref in ("A-1", "A-2")
    )
    assert (imported.action, imported.object_repr) == ("create", "A-1")
    assert imported.changes == {**saved.changes, "reference": [None, "A-1"]}


@pytest.mark.parametrize("batch_rows", [1, 500])
def test_a_new_applicant_named_twice_is_created_once(batch_rows, monkeypatch):
    monkeypatch.setattr(import_services, "BATCH_ROWS", batch_rows)
    BodyFactory(code="city")
    rows = [request_row(f"A-{n}", 申请人="张三", 证件号码="620101199001011237") for n in (1, 2)]

    records_import(
        actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, *rows]})
    )

    applicant = Applicant.objects.get()
    assert set(InformationRequest.objects.values_list("applicant", flat=True)) == {applicant.pk}
    assert [entry.action for entry in record_history(applicant)] == ["create"]


@pytest.mark.parametrize("batch_rows", [1, 500])
def test_a_new_applicant_named_with_another_kind_is_refused(batch_rows, monkeypatch):
    monkeypatch.setattr(import_services, "BATCH_ROWS", batch_rows)
    BodyFactory(code="city")
    rows = [
        request_row("A-1", 申请人="某公司", 证件号码="91620100MA0000000C", 申请人类型="商业企业"),
        request_row("A-2", 申请人="某公司", 证件号码="91620100MA0000000C", 申请人类型="其他"),
    ]

    with pytest.raises(WorkbookRejected) as refused:
        records_import(
            actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, *rows]})
        )

    assert refused.value.problems == [
        Problem("申请", 3, "申请人类型", "申请人类型须与申请人档案一致。")
    ]
    assert (Applicant.objects.count(), InformationRequest.objects.count()) == (0, 0)


def test_a_new_requests_consultation_before_its_receipt_is_refused():
    BodyFactory(code="city")
    header = REQUEST_HEADER + ["征求意见开始日期"]
    content = xlsx({"申请": [header, request_row("A-1") + ["2023-02-20"]]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert refused.value.problems == [
        Problem("申请", 2, "征求意见开始日期", "征求意见开始日期不能早于收到申请日期。")
    ]


def test_the_reference_counter_follows_the_imported_references():
    body = BodyFactory(code="city")
    rows = [request_row(reference) for reference in ("2023-0009", "2023-0004", "2024-0002")]

    records_import(
        actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, *rows]})
    )

    assert sorted(ReferenceCounter.objects.values_list("body", "year", "last")) == [
        (body.pk, 2023, 9),
        (body.pk, 2024, 2),
    ]


def test_a_batch_the_database_refuses_refuses_the_file(monkeypatch):
    BodyFactory(code="city")

    def refuse(**_kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(records.services, "requests_save_bulk", refuse)
    content = xlsx({"申请": [REQUEST_HEADER, request_row("A-1"), request_row("A-2")]})

    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)

    assert refused.value.problems == [
        Problem(
            "申请",
            None,
            "",
            "第2至3行保存时被数据库拒绝（可能有人同时修改了这些记录），没有保存任何内容：请重新导入。",
        )
    ]


def import_queries(rows: int, django_assert_num_queries, queries: int) -> None:
    content = xlsx(
        {"申请": [REQUEST_HEADER, *(request_row(f"2023-{n:04d}") for n in range(1, rows + 1))]}
    )
    with django_assert_num_queries(queries):
        records_import(actor=None, filename="台账.xlsx", content=content)
    assert InformationRequest.objects.count() == rows


@pytest.mark.parametrize(("rows", "queries"), [(2, 10), (4, 16), (6, 22)])
def test_an_import_costs_a_fixed_number_of_queries_per_batch(
    rows, queries, monkeypatch, django_assert_num_queries
):
    """Per batch (1,000 rows in production, 2 here): the requests looked up with their
    consultations, the reference counters moved (3), the requests and their audit rows
    inserted (on PostgreSQL by COPY, the requests' keys drawn first: one more). Per file:
    the savepoint, the bodies and the calendar looked up."""
    monkeypatch.setattr(import_services, "BATCH_ROWS", 2)
    BodyFactory(code="city")
    ContentType.objects.get_for_model(InformationRequest)  # cached for the process
    batches = rows // 2

    import_queries(
        rows,
        django_assert_num_queries,
        queries + (batches if connection.vendor == "postgresql" else 0),
    )


def test_importing_the_same_rows_again_costs_two_queries_per_batch(
    monkeypatch, django_assert_num_queries
):
    """The requests and their consultations looked up; nothing written."""
    monkeypatch.setattr(import_services, "BATCH_ROWS", 2)
    BodyFactory(code="city")
    content = xlsx({"申请": [REQUEST_HEADER, *(request_row(f"A-{n}") for n in range(1, 7))]})
    records_import(actor=None, filename="台账.xlsx", content=content)

    with django_assert_num_queries(9):
        summary = records_import(actor=None, filename="台账.xlsx", content=content)

    assert summary.sheets[0].unchanged == 6


def test_the_summary_lists_the_records_created_and_changed_in_row_order():
    BodyFactory(code="city")
    rows = [request_row("A-2"), request_row("A-1")]
    first = records_import(
        actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, *rows]})
    )
    a2, a1 = (InformationRequest.objects.get(reference=ref).pk for ref in ("A-2", "A-1"))

    rows[1] = request_row("A-1", 申请内容="改过的内容")
    again = records_import(
        actor=None, filename="台账.xlsx", content=xlsx({"申请": [REQUEST_HEADER, *rows]})
    )

    assert (first.sheets[0].created_ids, first.sheets[0].updated_ids) == ([a2, a1], [])
    assert (again.sheets[0].created_ids, again.sheets[0].updated_ids) == ([], [a1])
    assert (again.sheets[0].unchanged, again.sheets[0].updated) == (1, 1)


def test_the_cycle_collector_is_set_back_after_an_import_and_after_a_refusal():
    before = (gc.get_threshold(), gc.get_freeze_count())
    BodyFactory(code="city")
    content = xlsx({"申请": [REQUEST_HEADER, request_row("A-1")]})
    records_import(actor=None, filename="台账.xlsx", content=content)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before

    with pytest.raises(WorkbookRejected):
        records_import(
            actor=None,
            filename="台账.xlsx",
            content=xlsx({"申请": [REQUEST_HEADER, request_row("A-2", 申请内容=None)]}),
        )
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
