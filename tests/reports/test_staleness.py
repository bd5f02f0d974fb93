from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from disclosure import hooks
from disclosure.hooks import PublishedReport
from disclosure.models import BodyMove
from disclosure.vocab import BodyKind, FigureItem, Result
from reports.models import Report, ReportStatus, ReportVersion, Scope
from reports.staleness import (
    published_reports_counting,
    published_versions_counting,
    records_changed_since,
)
from tests.factories import (
    AppealFactory,
    BodyFactory,
    DocumentFactory,
    FigureFactory,
    RequestFactory,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PUBLISHED_AT = datetime.datetime(2024, 1, 20, 10, 0, tzinfo=SHANGHAI)
BEFORE = datetime.datetime(2024, 1, 10, 9, 0, tzinfo=SHANGHAI)
AFTER = datetime.datetime(2024, 2, 1, 9, 0, tzinfo=SHANGHAI)


def publish_row(body, scope: str, *, year: int = 2023, number: int = 1) -> ReportVersion:
    """A published version row as publishing leaves it (only what staleness reads)."""
    report, _created = Report.objects.get_or_create(
        body=body, year=year, defaults={"scope": scope, "status": ReportStatus.PUBLISHED}
    )
    return ReportVersion.objects.create(
        report=report,
        number=number,
        document={"body": body.code, "year": year, "scope": scope},
        sha256="0" * 64,
        published_at=PUBLISHED_AT,
    )


@pytest.fixture
def tree(db):
    """county (government) → education (department) → school (other); county → town."""
    county = BodyFactory(code="county", name="测试县人民政府", kind=BodyKind.GOVERNMENT)
    education = BodyFactory(code="edu", name="测试县教育局", parent=county)
    school = BodyFactory(
        code="school", name="测试县第一中学", kind=BodyKind.OTHER, parent=education
    )
    town = BodyFactory(code="town", name="测试镇人民政府", kind=BodyKind.TOWNSHIP, parent=county)
    return county, education, school, town


def test_own_report_counts_only_its_body(tree):
    county, education, school, _town = tree
    version = publish_row(education, Scope.OWN)
    assert published_versions_counting(education, 2023) == [version]
    assert published_versions_counting(school, 2023) == []


def test_all_report_of_a_government_counts_its_whole_subtree(tree):
    county, education, school, town = tree
    county_version = publish_row(county, Scope.ALL)
    education_version = publish_row(education, Scope.OWN)
    assert published_versions_counting(school, 2023) == [county_version]
    assert published_versions_counting(town, 2023) == [county_version]
    assert published_versions_counting(education, 2023) == [county_version, education_version]


def test_level_report_leaves_out_the_township(tree):
    county, education, school, town = tree
    version = publish_row(county, Scope.LEVEL)
    assert published_versions_counting(school, 2023) == [version]
    assert published_versions_counting(town, 2023) == []


def test_only_the_latest_version_of_a_report_is_returned(tree):
    county, *_rest = tree
    publish_row(county, Scope.ALL, number=1)
    latest = publish_row(county, Scope.ALL, number=2)
    assert published_versions_counting(county, 2023) == [latest]


def test_the_published_scope_counts_not_the_drafts_later_scope(tree):
    county, education, *_rest = tree
    version = publish_row(county, Scope.ALL)
    Report.objects.filter(pk=version.report_id).update(scope=Scope.OWN)
    assert published_versions_counting(education, 2023) == [version]


def test_other_years_reports_do_not_count(tree):
    county, education, *_rest = tree
    publish_row(county, Scope.ALL, year=2022)
    assert published_versions_counting(education, 2023) == []


def test_a_body_moved_after_the_year_counts_under_its_parent_of_that_year(tree):
    county, education, school, town = tree
    # The school moved from the education bureau to the town on 1 March 2024.
    BodyMove.objects.create(
        body=school, old_parent=education, new_parent=town, moved_on=datetime.date(2024, 3, 1)
    )
    school.parent = town
    school.save()
    education_version = publish_row(education, Scope.ALL)
    assert published_versions_counting(school, 2023) == [education_version]


def test_published_versions_counting_runs_three_queries(tree, django_assert_num_queries):
    county, education, school, _town = tree
    publish_row(county, Scope.ALL)
    publish_row(education, Scope.ALL)
    with django_assert_num_queries(3):
        assert len(published_versions_counting(school, 2023)) == 2


# --- the records' hook ----------------------------------------------------------------------


def test_the_reports_app_answers_the_records_hook(tree):
    assert hooks.published_reports_counting.providers == [published_reports_counting]


def test_published_reports_counting_names_each_version_over_the_years(tree):
    county, education, school, _town = tree
    publish_row(county, Scope.ALL, year=2022)
    publish_row(education, Scope.OWN, year=2023)
    publish_row(county, Scope.ALL, year=2023, number=1)
    publish_row(county, Scope.ALL, year=2023, number=2)
    assert hooks.published_reports_counting.ask(education, [2022, 2023, 2024]) == [
        PublishedReport(
            body_code="county",
            year=2022,
            version=1,
            title="测试县人民政府 2022 年政府信息公开工作年度报告 第1版",
        ),
        PublishedReport(
            body_code="county",
            year=2023,
            version=2,
            title="测试县人民政府 2023 年政府信息公开工作年度报告 第2版",
        ),
        PublishedReport(
            body_code="edu",
            year=2023,
            version=1,
            title="测试县教育局 2023 年政府信息公开工作年度报告 第1版",
        ),
    ]
    assert hooks.published_reports_counting.ask(school, [2024]) == []


def test_published_reports_counting_reads_only_the_years_with_a_version(
    tree, django_assert_num_queries
):
    county, _education, school, _town = tree
    publish_row(county, Scope.ALL, year=2023)
    with django_assert_num_queries(1 + 3):  # the published years, then 2023 alone
        assert len(published_reports_counting(school, [2021, 2022, 2023, 2024])) == 1


# --- records_changed_since ----------------------------------------------------------------


def test_nothing_saved_after_publication_is_not_stale(tree):
    county, education, *_rest = tree
    with time_machine.travel(BEFORE):
        RequestFactory(body=education, received_on=datetime.date(2023, 5, 1))
    version = publish_row(county, Scope.ALL)
    assert records_changed_since(version) is False


def test_a_request_of_the_year_saved_after_publication_is_stale(tree):
    county, education, *_rest = tree
    with time_machine.travel(BEFORE):
        request = RequestFactory(body=education, received_on=datetime.date(2023, 5, 1))
    version = publish_row(county, Scope.ALL)
    with time_machine.travel(AFTER):
        request.concluded_on = datetime.date(2023, 5, 20)
        request.result = Result.GRANTED
        request.save()
    assert records_changed_since(version) is True


def test_a_request_carried_into_the_year_counts(tree):
    county, education, *_rest = tree
    version = publish_row(county, Scope.ALL)
    with time_machine.travel(AFTER):
        RequestFactory(body=education, received_on=datetime.date(2022, 12, 28))
    assert records_changed_since(version) is True


def test_a_request_concluded_before_the_year_does_not_count(tree):
    county, education, *_rest = tree
    version = publish_row(county, Scope.ALL)
    with time_machine.travel(AFTER):
        RequestFactory(
            body=education,
            received_on=datetime.date(2022, 11, 1),
            concluded_on=datetime.date(2022, 11, 20),
            result=Result.GRANTED,
        )
        RequestFactory(body=education, received_on=datetime.date(2024, 1, 5))
    assert records_changed_since(version) is False


def test_a_record_outside_the_scope_does_not_count(tree):
    county, education, school, town = tree
    version = publish_row(county, Scope.LEVEL)
    with time_machine.travel(AFTER):
        RequestFactory(body=town, received_on=datetime.date(2023, 5, 1))
    assert records_changed_since(version) is False


@pytest.mark.parametrize(
    "make",
    [
        lambda body: AppealFactory(body=body, filed_on=datetime.date(2023, 6, 1)),
        lambda body: DocumentFactory(body=body, issued_on=datetime.date(2019, 6, 1)),
        lambda body: FigureFactory(body=body, year=2023, item=FigureItem.PENALTY, value=3),
    ],
    ids=["appeal", "document", "figure"],
)
def test_appeals_documents_and_figures_saved_after_publication_are_stale(tree, make):
    county, education, *_rest = tree
    version = publish_row(county, Scope.ALL)
    with time_machine.travel(AFTER):
        make(education)
    assert records_changed_since(version) is True


def test_a_figure_of_another_year_does_not_count(tree):
    county, education, *_rest = tree
    version = publish_row(county, Scope.ALL)
    with time_machine.travel(AFTER):
        FigureFactory(body=education, year=2024, item=FigureItem.PENALTY, value=3)
    assert records_changed_since(version) is False


def test_records_changed_since_is_bounded(tree, django_assert_num_queries):
    county, education, school, _town = tree
    version = ReportVersion.objects.select_related("report__body").get(
        pk=publish_row(county, Scope.ALL).pk
    )
    with time_machine.travel(AFTER):
        FigureFactory(body=school, year=2023, item=FigureItem.PENALTY, value=3)
    # The year's tree (two queries), then EXISTS until one finds a change (here the fourth).
    with django_assert_num_queries(6):
        assert records_changed_since(version) is True


def test_records_changed_since_runs_at_most_seven_queries(tree, django_assert_num_queries):
    county, *_rest = tree
    version = ReportVersion.objects.select_related("report__body").get(
        pk=publish_row(county, Scope.ALL).pk
    )
    with django_assert_num_queries(7):
        assert records_changed_since(version) is False


def test_an_import_of_a_body_in_scope_after_publication_is_stale(tree):
    county, _education, _school, town = tree
    version = publish_row(county, Scope.ALL)
    with time_machine.travel(AFTER):
        Report.objects.create(
            body=town,
            year=2023,
            scope=Scope.OWN,
            status=ReportStatus.IMPORTED,
            imported_document={"body": "town", "year": 2023, "scope": "own"},
        )
    assert records_changed_since(version) is True
