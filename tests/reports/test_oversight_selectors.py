"""``oversight_lines``: every body existing at the end of the year, each report's state,
findings read from stored documents, and a number of queries that does not grow with the
number of bodies."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from disclosure.vocab import BodyKind, Result
from reports.models import Report, ReportVersion, Scope, StoredCheck
from reports.selectors import (
    findings_for_report,
    oversight_body,
    oversight_lines,
    with_details,
    year_document,
)
from tests.factories import BodyFactory, RequestFactory
from tests.reports.oversight_data import DEMO, TODAY, make_county, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


def by_code(county):
    return {line.code: line for line in oversight_lines(county.county, 2023, today=TODAY)}


def test_lists_every_body_existing_on_31_december_in_tree_order(county):
    lines = oversight_lines(county.county, 2023, today=TODAY)
    assert [line.code for line in lines] == ["county", "edu", "health", "civil", "finance", "town"]
    assert [line.depth for line in lines] == [0, 1, 1, 1, 1, 1]


def test_deadlines_by_kind(county):
    lines = by_code(county)
    assert lines["county"].deadline == datetime.date(2024, 3, 31)
    assert lines["edu"].deadline == datetime.date(2024, 1, 31)
    assert lines["town"].deadline is None


def test_a_township_with_its_own_deadline(county):
    county.town.report_deadline_month, county.town.report_deadline_day = 2, 28
    county.town.save()
    line = by_code(county)["town"]
    assert line.deadline == datetime.date(2024, 2, 28)
    assert line.days_late == 63


def test_published_in_time_and_late(county):
    lines = by_code(county)
    education, health = lines["edu"], lines["health"]
    assert (education.status, education.published_on, education.days_late) == (
        "published",
        datetime.date(2024, 1, 20),
        0,
    )
    # Late from the first publication, whatever the later corrections; the latest version
    # is the one checked and compared.
    assert (health.status, health.version, health.published_on, health.days_late) == (
        "published",
        2,
        datetime.date(2024, 2, 5),
        5,
    )


def test_nothing_yet_is_overdue_by_today(county):
    civil = by_code(county)["civil"]
    assert (civil.status, civil.days_late, civil.figures, civil.findings) == (
        "none",
        91,
        None,
        (),
    )


def test_an_imported_original_is_checked_as_stored(county):
    finance = by_code(county)["finance"]
    assert finance.status == "imported"
    assert finance.published_on is None and finance.days_late is None
    assert finance.figures.new_received is None
    assert finance.errors == 1
    assert finance.findings[0].rule == "blank_cell"


def test_a_draft_is_checked_as_its_report_page_checks_it(county):
    draft = by_code(county)["county"]
    assert draft.status == "draft"
    assert draft.days_late == 31
    # Sections 五 and 六 are empty: a draft cannot be published so.
    assert [f.rule for f in draft.findings if f.is_error] == ["section_empty", "section_empty"]
    # Its 全域 tables: no records, only 财政局's imported 本机关 original.
    assert draft.figures.results_total == DEMO["requests"]["rows"]["results_total"]["total"]


def test_repeated_share_against_the_same_bodys_previous_year(county):
    lines = by_code(county)
    assert lines["edu"].repeated_share == Decimal("100.0")
    assert lines["edu"].repetition.passages
    assert lines["health"].repeated_share is None  # no 2022 report


def test_query_count_does_not_grow_with_the_number_of_bodies(county, django_assert_num_queries):
    # The first view checks the published and imported documents and stores the checks.
    with django_assert_num_queries(QUERIES_WITH_ONE_DRAFT + 2):
        first = oversight_lines(county.county, 2023, today=TODAY)
    assert StoredCheck.objects.count() == 3
    with django_assert_num_queries(QUERIES_WITH_ONE_DRAFT):
        assert oversight_lines(county.county, 2023, today=TODAY) == first
    for index in range(20):
        body = BodyFactory(code=f"more{index}", parent=county.county, kind=BodyKind.DEPARTMENT)
        if index % 2:
            publish(body, 2023, datetime.date(2024, 1, 5))
    oversight_lines(county.county, 2023, today=TODAY)
    with django_assert_num_queries(QUERIES_WITH_ONE_DRAFT):
        lines = oversight_lines(county.county, 2023, today=TODAY)
    assert len(lines) == 26
    assert StoredCheck.objects.count() == 3 + 10


# Four for the subtree, the reports of both years with their versions' facts, the drafts and
# the stored checks; the rest is the one draft's check (its tables and last year's comparison).
QUERIES_WITH_ONE_DRAFT = 4 + 17


def test_a_stored_check_is_read_back_as_computed(county):
    computed = oversight_lines(county.county, 2023, today=TODAY)
    StoredCheck.objects.update(findings=[], errors=0)
    stored = oversight_lines(county.county, 2023, today=TODAY)
    # 财政局's imported original has a blank cell: as stored now, it has nothing.
    assert (computed[4].code, computed[4].errors, stored[4].errors) == ("finance", 1, 0)


def test_oversight_body_refuses_beyond_the_memberships(county):
    assert oversight_body(county.publisher, "edu") == county.education
    with pytest.raises(PermissionDenied):
        oversight_body(county.outsider, "county")
    with pytest.raises(Http404):
        oversight_body(county.publisher, "nowhere")


def test_year_document_says_what_it_is(county):
    assert year_document(county.health, 2023)[1] == "published"
    assert year_document(county.health, 2023)[0]["version"] == 2
    assert year_document(county.finance, 2023)[1] == "imported"
    assert year_document(county.county, 2023)[1] == "draft"
    assert year_document(county.civil, 2023)[1] == "computed"
    assert year_document(county.civil, 2020) == (None, "")


def department_drafts(county) -> list:
    """Drafts of three departments: 民政局 with records in 2022 and 2023 (compared with
    last year's computed tables), 教育局 published in 2022 (compared with it), a new
    department with nothing (no comparison); 民政局's narrative states a wrong figure."""
    civil_2022 = RequestFactory(body=county.civil, received_on=datetime.date(2022, 12, 20))
    RequestFactory(
        body=county.civil,
        received_on=datetime.date(2023, 3, 1),
        concluded_on=datetime.date(2023, 3, 15),
        result=Result.GRANTED,
    )
    assert civil_2022.concluded_on is None  # carried into 2023
    other = BodyFactory(code="other", name="测试县其他局", parent=county.county)
    Report.objects.filter(body=county.education, year=2023).delete()
    return [
        Report.objects.create(
            body=county.civil, year=2023, scope=Scope.OWN, overview="本年共收到申请9件。"
        ),
        Report.objects.create(body=county.education, year=2023, scope=Scope.OWN),
        Report.objects.create(body=other, year=2023, scope=Scope.OWN, problems="暂无{oops}。"),
    ]


def test_department_drafts_are_checked_together_as_their_report_pages_check_them(county):
    ReportVersion.objects.filter(report__body=county.education, report__year=2023).delete()
    drafts = department_drafts(county)
    lines = by_code(county)
    for report in drafts:
        line = lines[report.body.code]
        assert line.status == "draft"
        if report.body.code == "other":
            # An unknown placeholder: one error, then the tables' checks.
            assert line.findings[0].rule == "placeholder"
            assert line.findings[1:] == tuple(findings_for_report_without_narrative(report))
        else:
            assert line.findings == tuple(findings_for_report(report)), report.body.code
    civil = lines["civil"]
    assert {f.rule for f in civil.findings} >= {"section_empty", "narrative_figure"}
    assert lines["civil"].figures.new_received == 1


def findings_for_report_without_narrative(report):
    from reports.selectors import report_check, report_document

    document = report_document(report, include_narrative=False)
    return report_check(report, document).findings


def test_department_drafts_cost_the_same_queries_whatever_their_number(
    county, django_assert_num_queries
):
    ReportVersion.objects.filter(report__body=county.education, report__year=2023).delete()
    department_drafts(county)
    oversight_lines(county.county, 2023, today=TODAY)
    # The county's roll-up draft alone (17), the department drafts together (10).
    with django_assert_num_queries(4 + 17 + 10):
        oversight_lines(county.county, 2023, today=TODAY)
    for index in range(5):
        body = BodyFactory(code=f"dept{index}", parent=county.county)
        Report.objects.create(body=body, year=2023, scope=Scope.OWN)
    with django_assert_num_queries(4 + 17 + 10):
        lines = oversight_lines(county.county, 2023, today=TODAY)
    assert sum(1 for line in lines if line.status == "draft") == 1 + 3 + 5


def test_without_details_the_counts_are_read_and_the_details_for_the_lines_shown(
    county, django_assert_num_queries
):
    full = oversight_lines(county.county, 2023, today=TODAY)
    brief = oversight_lines(county.county, 2023, today=TODAY, details=False)
    assert [(line.errors, line.warnings, line.repeated_share) for line in brief] == [
        (line.errors, line.warnings, line.repeated_share) for line in full
    ]
    education = brief[1]
    assert education.code == "edu"
    assert (education.findings, education.repetition.passages) == ((), ())
    with django_assert_num_queries(1):
        assert with_details(brief) == full
