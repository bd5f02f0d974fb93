from __future__ import annotations

import datetime

import pytest

from disclosure.vocab import ApplicantKind, BodyKind, DocumentKind, Result
from reports.findings import Comparison, Finding, check_document
from reports.models import ComparisonSource, Report, ReportStatus, ReportVersion, Scope
from reports.selectors import findings_for_report
from tests.factories import BodyFactory, DocumentFactory, RequestFactory
from tests.reports.engine_data import document, seed_document, seed_findings

D = datetime.date
NATURAL = ApplicantKind.NATURAL_PERSON
COMPANY = ApplicantKind.COMMERCIAL_ENTERPRISE
# Sections 一, 五 and 六 written: a draft without them has ``section_empty`` errors.
WRITTEN = {"overview": "总体情况。", "problems": "存在的问题。", "other_matters": "其他事项。"}


def balanced() -> dict:
    return document(
        "b",
        2023,
        requests={
            ("new_received", NATURAL): 5,
            ("carried_over", NATURAL): 1,
            ("granted", NATURAL): 4,
            ("carried_forward", NATURAL): 2,
            ("new_received", COMPANY): 1,
            ("partially_granted", COMPANY): 1,
        },
        appeals={("reconsideration", "upheld"): 1, ("litigation_direct", "pending"): 1},
        proactive={
            ("rules", "in_force"): 3,
            ("normative_documents", "issued"): 2,
            ("normative_documents", "in_force"): 12,
        },
    )


def rules(findings: list[Finding]) -> list[tuple]:
    return [(f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual) for f in findings]


def test_the_seed_yields_exactly_its_three_findings():
    findings = check_document(seed_document())
    expected = seed_findings()
    assert rules(findings) == [
        (e["rule"], e["severity"], e["table"], e["row"], e["column"], e["expected"], e["actual"])
        for e in expected
    ]
    for finding, wanted in zip(findings, expected, strict=True):
        assert wanted["quote_contains"] in finding.quote


def test_seed_findings_carry_chinese_messages():
    messages = [f.message for f in check_document(seed_document())]
    assert messages == [
        "文中予以公开及部分公开占比为63.9%，而按表三计算为166÷260＝63.8%（四舍五入）。",
        "文中无法提供占比为30.7%，而按表三计算为80÷260＝30.8%（四舍五入）。",
        "文中现行有效行政规范性文件数为10，而表格中为26。",
    ]


def test_consistent_seed_text_yields_nothing():
    doc = seed_document()
    doc["narrative"]["overview"] = (
        doc["narrative"]["overview"]
        .replace("占63.9%", "占63.8%")
        .replace("占30.7%", "占30.8%")
        .replace("行政规范性文件 10 部", "行政规范性文件 26 部")
    )
    assert check_document(doc) == []


def test_received_may_be_new_or_new_plus_carried_over():
    doc = seed_document()
    doc["narrative"]["overview"] = "全市共收到政府信息公开申请259件。"
    assert check_document(doc) == []
    doc["narrative"]["overview"] = "全市共收到政府信息公开申请258件。"
    assert rules(check_document(doc)) == [
        ("narrative_figure", "warning", "narrative", "overview", None, 259, 258)
    ]


def test_a_balanced_document_has_no_finding():
    assert check_document(balanced()) == []


def test_blank_cell_is_an_error_on_that_cell_and_other_rules_skip_it():
    doc = balanced()
    doc["requests"]["rows"]["granted"]["natural_person"] = None
    doc["proactive"]["fees"]["amount_10k_yuan"] = None
    assert rules(check_document(doc)) == [
        ("blank_cell", "error", "proactive", "fees", "amount_10k_yuan", None, None),
        ("blank_cell", "error", "requests", "granted", "natural_person", None, None),
    ]


def test_balance_error_names_the_column():
    doc = balanced()
    doc["requests"]["rows"]["carried_forward"]["natural_person"] = 1
    doc["requests"]["rows"]["carried_forward"]["total"] = 1
    assert rules(check_document(doc)) == [
        ("balance", "error", "requests", "carried_forward", "natural_person", 2, 1),
        ("balance", "error", "requests", "carried_forward", "total", 2, 1),
    ]


def test_results_total_error_names_the_column():
    doc = balanced()
    doc["requests"]["rows"]["granted"]["commercial_enterprise"] = 1
    doc["requests"]["rows"]["granted"]["total"] = 5
    assert rules(check_document(doc)) == [
        ("results_total", "error", "requests", "results_total", "commercial_enterprise", 2, 1),
        ("results_total", "error", "requests", "results_total", "total", 6, 5),
    ]


def test_row_total_error_names_the_row():
    doc = balanced()
    doc["requests"]["rows"]["denied_third_party"]["total"] = 1
    doc["requests"]["rows"]["denied_third_party"]["total"] = 1
    found = rules(check_document(doc))
    assert ("row_total", "error", "requests", "denied_third_party", "total", 0, 1) in found
    assert found == [
        ("results_total", "error", "requests", "results_total", "total", 6, 5),
        ("row_total", "error", "requests", "denied_third_party", "total", 0, 1),
    ]


def test_appeals_total_error_names_the_group():
    doc = balanced()
    doc["appeals"]["litigation_after_reconsideration"]["total"] = 2
    assert rules(check_document(doc)) == [
        ("appeals_total", "error", "appeals", "litigation_after_reconsideration", "total", 0, 2)
    ]


def test_carry_over_against_last_year():
    previous = document(
        "b", 2022, requests={("new_received", NATURAL): 2, ("carried_forward", NATURAL): 2}
    )
    assert rules(check_document(balanced(), previous)) == [
        ("carry_over", "warning", "requests", "carried_over", "natural_person", 2, 1),
        ("carry_over", "warning", "requests", "carried_over", "total", 2, 1),
        ("in_force_continuity", "warning", "proactive", "rules", "in_force", 0, 3),
        ("in_force_continuity", "warning", "proactive", "normative_documents", "in_force", 2, 12),
    ]


def test_in_force_continuity_holds_when_last_year_adds_up():
    previous = document(
        "b",
        2022,
        requests={("new_received", NATURAL): 1, ("carried_forward", NATURAL): 1},
        proactive={("rules", "in_force"): 3, ("normative_documents", "in_force"): 10},
    )
    assert check_document(balanced(), previous) == []


def test_shares_are_checked_at_their_stated_precision():
    doc = seed_document()
    doc["narrative"]["overview"] = (
        "办结申请中，予以公开及部分公开166件，占63.85%；无法提供80件，占31%。"
    )
    assert check_document(doc) == []
    doc["narrative"]["overview"] = "办结的申请中无法提供80件，占30.76%。"
    assert rules(check_document(doc)) == [
        ("narrative_share", "warning", "narrative", "overview", None, 30.77, 30.76)
    ]


def test_narrative_findings_in_every_section_carry_their_section():
    doc = seed_document()
    doc["narrative"]["problems"] = "本年度行政复议5件。"
    doc["narrative"]["other_matters"] = "行政事业性收费22911万元。"
    found = check_document(doc)[3:]
    assert rules(found) == [
        ("narrative_figure", "warning", "narrative", "problems", None, 10, 5),
        ("narrative_figure", "warning", "narrative", "other_matters", None, 22910, 22911),
    ]
    assert [f.quote for f in found] == ["本年度行政复议5件", "行政事业性收费22911万元"]


def test_a_draft_with_empty_sections_has_one_error_per_section():
    doc = balanced() | {
        "narrative": {
            "opening": "开头。",
            "overview": "",
            "problems": " \n\u3000",
            "other_matters": "无。",
        }
    }
    found = check_document(doc, draft=True)
    assert rules(found) == [
        ("section_empty", "error", "narrative", "overview", None, None, None),
        ("section_empty", "error", "narrative", "problems", None, None, None),
    ]
    assert [f.message for f in found] == [
        "“一、总体情况”尚未填写，发布前须撰写。",
        "“五、存在的主要问题及改进情况”尚未填写，发布前须撰写。",
    ]
    assert all(f.is_error for f in found)


def test_empty_sections_come_after_the_table_errors_and_before_the_warnings():
    doc = balanced() | {"narrative": {"overview": "", "problems": "问题。", "other_matters": ""}}
    doc["appeals"]["litigation_after_reconsideration"]["total"] = 2
    previous = document("b", 2022, requests={("carried_forward", NATURAL): 9})
    assert [f.rule for f in check_document(doc, previous, draft=True)][:3] == [
        "appeals_total",
        "section_empty",
        "section_empty",
    ]
    assert [f.rule for f in check_document(doc, previous, draft=True)][3] == "carry_over"


def test_empty_sections_are_not_findings_of_an_imported_or_read_report():
    doc = balanced() | {"narrative": {"overview": "", "problems": "", "other_matters": ""}}
    assert check_document(doc) == []
    assert check_document(balanced(), draft=True) == []  # tables only: nothing to check


def test_a_comparison_says_where_last_years_figures_come_from():
    last = document("b", 2024, scope=Scope.ALL)
    assert (
        Comparison(last, 2024, Scope.ALL, ComparisonSource.PUBLISHED, 2).description
        == "与2024年度已发布报告（全域，第2版）比较"
    )
    assert (
        Comparison(last, 2024, Scope.ALL, ComparisonSource.IMPORTED).description
        == "与2024年度导入的报告（全域）比较"
    )
    computed = Comparison(last, 2024, Scope.OWN, ComparisonSource.COMPUTED)
    assert computed.description == "与按本报告范围（本机关）计算的2024年度数据比较"
    assert computed.to_dict() == {
        "year": 2024,
        "scope": "own",
        "source": "computed",
        "version": None,
        "description": "与按本报告范围（本机关）计算的2024年度数据比较",
    }


def test_finding_to_dict_has_the_spec_fields():
    [first, *_rest] = check_document(seed_document())
    assert list(first.to_dict()) == [
        "rule",
        "severity",
        "table",
        "row",
        "column",
        "expected",
        "actual",
        "message",
        "quote",
    ]


def _import(body, year, doc, scope=Scope.OWN):
    return Report.objects.create(
        body=body,
        year=year,
        scope=scope,
        status=ReportStatus.IMPORTED,
        imported_document=doc | {"body": body.code, "year": year, "scope": scope},
    )


@pytest.mark.django_db
def test_two_consecutive_imported_years_check_the_carry_over():
    body = BodyFactory(code="b")
    _import(
        body,
        2022,
        document(
            "b",
            2022,
            requests={("new_received", NATURAL): 3, ("carried_forward", NATURAL): 3},
            proactive={("rules", "in_force"): 3, ("normative_documents", "in_force"): 10},
        ),
    )
    report = _import(body, 2023, balanced())
    assert rules(findings_for_report(report)) == [
        ("carry_over", "warning", "requests", "carried_over", "natural_person", 3, 1),
        ("carry_over", "warning", "requests", "carried_over", "total", 3, 1),
    ]


@pytest.mark.django_db
def test_last_year_published_version_is_the_reference():
    body = BodyFactory(code="b")
    last = Report.objects.create(
        body=body, year=2022, scope=Scope.OWN, status=ReportStatus.PUBLISHED
    )
    for number, forward in ((1, 5), (2, 1)):
        ReportVersion.objects.create(
            report=last,
            number=number,
            sha256="0" * 64,
            published_at=datetime.datetime(2023, 1, number, tzinfo=datetime.UTC),
            document=document(
                "b",
                2022,
                requests={
                    ("new_received", NATURAL): forward,
                    ("carried_forward", NATURAL): forward,
                },
                proactive={("rules", "in_force"): 3, ("normative_documents", "in_force"): 10},
            ),
        )
    report = _import(body, 2023, balanced())
    assert findings_for_report(report) == []


@pytest.mark.django_db
def test_without_a_report_last_year_the_computed_tables_are_the_reference():
    body = BodyFactory(code="b", kind=BodyKind.DEPARTMENT)
    RequestFactory(body=body, received_on=D(2022, 12, 1))
    RequestFactory(body=body, received_on=D(2022, 12, 2))
    DocumentFactory(body=body, kind=DocumentKind.RULE, issued_on=D(2020, 1, 1))
    report = _import(body, 2023, balanced())
    assert rules(findings_for_report(report)) == [
        ("carry_over", "warning", "requests", "carried_over", "natural_person", 2, 1),
        ("carry_over", "warning", "requests", "carried_over", "total", 2, 1),
        ("in_force_continuity", "warning", "proactive", "rules", "in_force", 1, 3),
        ("in_force_continuity", "warning", "proactive", "normative_documents", "in_force", 2, 12),
    ]


@pytest.mark.django_db
def test_a_body_first_year_has_no_cross_year_check():
    body = BodyFactory(code="b")
    assert findings_for_report(_import(body, 2023, balanced())) == []


@pytest.mark.django_db
def test_a_computed_draft_passes_the_error_rules():
    body = BodyFactory(code="b", kind=BodyKind.DEPARTMENT)
    RequestFactory(
        body=body, received_on=D(2022, 12, 31), concluded_on=D(2023, 1, 1), result=Result.GRANTED
    )
    RequestFactory(body=body, received_on=D(2023, 12, 31))
    report = Report.objects.create(body=body, year=2023, scope=Scope.OWN, **WRITTEN)
    assert findings_for_report(report) == []


@pytest.mark.django_db
def test_checking_a_roll_up_draft_takes_a_bounded_number_of_queries(django_assert_num_queries):
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    for n in range(10):
        dept = BodyFactory(code=f"d{n}", kind=BodyKind.DEPARTMENT, parent=city)
        RequestFactory(body=dept, received_on=D(2022, 12, 1))
        RequestFactory(
            body=dept, received_on=D(2023, 2, 1), concluded_on=D(2023, 2, 3), result=Result.GRANTED
        )
    report = Report.objects.select_related("body").get(
        pk=Report.objects.create(body=city, year=2023, scope=Scope.ALL, **WRITTEN).pk
    )
    # This year's tables (7), last year's report (1: none) and last year's tables with
    # their sources (8).
    with django_assert_num_queries(16):
        assert findings_for_report(report) == []


def _break_blank(doc):
    doc["appeals"]["reconsideration"]["pending"] = None


def _break_balance(doc):
    doc["requests"]["rows"]["new_received"]["commercial_enterprise"] = 2
    doc["requests"]["rows"]["new_received"]["total"] = 7


def _break_results_total(doc):
    doc["requests"]["rows"]["results_total"]["natural_person"] = 5
    doc["requests"]["rows"]["results_total"]["total"] = 6
    doc["requests"]["rows"]["carried_forward"]["natural_person"] = 1
    doc["requests"]["rows"]["carried_forward"]["total"] = 1


def _break_row_total(doc):
    doc["requests"]["rows"]["carried_over"]["total"] = 3


def _break_appeals_total(doc):
    doc["appeals"]["reconsideration"]["total"] = 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (
            _break_blank,
            [("blank_cell", "error", "appeals", "reconsideration", "pending", None, None)],
        ),
        (
            _break_balance,
            [
                ("balance", "error", "requests", "carried_forward", "commercial_enterprise", 1, 0),
                ("balance", "error", "requests", "carried_forward", "total", 3, 2),
            ],
        ),
        (
            _break_results_total,
            [
                ("results_total", "error", "requests", "results_total", "natural_person", 4, 5),
                ("results_total", "error", "requests", "results_total", "total", 5, 6),
            ],
        ),
        (
            _break_row_total,
            [
                ("balance", "error", "requests", "carried_forward", "total", 4, 2),
                ("row_total", "error", "requests", "carried_over", "total", 1, 3),
            ],
        ),
        (
            _break_appeals_total,
            [
                ("appeals_total", "error", "appeals", "reconsideration", "total", 1, 0),
            ],
        ),
    ],
)
def test_an_imported_report_breaking_a_rule_yields_exactly_that_finding(breaker, expected):
    from reports.importing import report_import

    doc = balanced() | {"body_name": "某局"}
    breaker(doc)
    report = report_import(actor=None, document=doc)
    assert rules(findings_for_report(report)) == expected
