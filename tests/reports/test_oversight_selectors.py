"""``oversight_lines``: every body existing at the end of the year, each report's state,
findings read from stored documents, and a number of queries that does not grow with the
number of bodies."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from disclosure.vocab import BodyKind
from reports.models import StoredCheck
from reports.selectors import oversight_body, oversight_lines, year_document
from tests.factories import BodyFactory
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


# Six for the subtree, the reports of both years, their versions (two), the drafts and the
# stored checks; the rest is the one draft's check (its tables and last year's comparison).
QUERIES_WITH_ONE_DRAFT = 6 + 17


def test_a_stored_check_is_read_back_as_computed(county):
    computed = oversight_lines(county.county, 2023, today=TODAY)
    StoredCheck.objects.update(findings=[])
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
