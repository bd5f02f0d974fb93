"""The synthetic province at a tiny scale: consistent rows, as the services would write them.
No timings here: ``benchmarks/run.py`` measures, these tests check what it builds and counts."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.db.models import F, Q

from benchmarks import synthetic
from disclosure.models import (
    AppealCase,
    Body,
    Consultation,
    Document,
    InformationRequest,
    ReferenceCounter,
    YearlyFigure,
    child_path,
)
from disclosure.models.requests import REQUEST_DATES
from disclosure.validators import RECORD_DATE
from disclosure.vocab import BodyKind
from reports import format as fmt
from reports.selectors import compute_tables

TODAY = datetime.date(2024, 6, 30)
TINY = synthetic.SCALES["tiny"]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the builder writes with PostgreSQL's COPY"
)


def test_scales_have_about_three_thousand_bodies_and_a_tenth():
    assert synthetic.SCALES["province"].bodies == 3149
    assert synthetic.SCALES["small"].bodies == 333
    assert synthetic.SCALES["small"].requests * 10 == synthetic.SCALES["province"].requests


def test_tree_has_four_levels_with_materialised_paths():
    bodies = synthetic.province_bodies(TINY)

    assert len(bodies) == TINY.bodies == 29
    by_level = Counter((body.level, body.depth, body.kind) for body in bodies)
    assert by_level == {
        ("province", 0, BodyKind.GOVERNMENT): 1,
        ("province_department", 1, BodyKind.DEPARTMENT): 2,
        ("city", 1, BodyKind.GOVERNMENT): 2,
        ("city_department", 2, BodyKind.DEPARTMENT): 4,
        ("county", 2, BodyKind.GOVERNMENT): 4,
        ("county_department", 3, BodyKind.DEPARTMENT): 8,
        ("township", 3, BodyKind.TOWNSHIP): 8,
    }
    township = next(body for body in bodies if body.code == "c02-k01-t02")
    assert township.path == "/".join(
        [
            "",
            *(
                f"{id:010d}"
                for id in (1, township.parent.parent.id, township.parent.id, township.id)
            ),
            "",
        ]
    )


def test_database_url_names_the_dedicated_database():
    url = synthetic.bench_database_url("postgres://postgres@127.0.0.1:5432/disclosure", "x_bench")

    assert url == "postgres://postgres@127.0.0.1:5432/x_bench"


@pytest.mark.parametrize("url", ["", None, "sqlite:///var/db.sqlite3"])
def test_database_url_refuses_sqlite(url):
    with pytest.raises(synthetic.NotPostgreSQL, match="PostgreSQL"):
        synthetic.bench_database_url(url)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
def test_build_refuses_sqlite_and_writes_nothing():
    with pytest.raises(synthetic.NotPostgreSQL, match="COPY"):
        synthetic.build(TINY, today=TODAY)

    assert Body.objects.count() == 0


@pytest.fixture
def tiny_province(db):
    return synthetic.build(TINY, today=TODAY)


@on_postgresql
def test_build_writes_the_counts_of_the_scale(tiny_province):
    assert tiny_province.bodies == Body.objects.count() == 29
    assert tiny_province.requests == InformationRequest.objects.count() == 600
    assert tiny_province.appeals == AppealCase.objects.count() == 30
    assert tiny_province.documents == Document.objects.count() == 80
    assert tiny_province.figures == YearlyFigure.objects.count() > 0


@on_postgresql
def test_build_paths_are_those_the_services_write(tiny_province):
    for body in Body.objects.select_related("parent"):
        parent_path = body.parent.path if body.parent else "/"
        assert body.path == child_path(parent_path, body.pk)
        assert body.depth == body.path.count("/") - 2


@on_postgresql
def test_build_requests_are_received_over_three_years_with_a_stored_clock(tiny_province):
    requests = InformationRequest.objects.all()

    first = TODAY - datetime.timedelta(days=3 * 365 - 1)
    assert not requests.filter(received_on__lt=first).exists()
    assert not requests.filter(received_on__gt=TODAY).exists()
    # No due date exactly while a 补正 is awaited (disclosure.clock.clock_runs).
    awaiting = Q(correction_notice_on__isnull=False, correction_received_on__isnull=True)
    assert not requests.filter(due_date__isnull=True).exclude(awaiting).exists()
    assert not requests.filter(awaiting, due_date__isnull=False).exists()
    assert not requests.filter(due_date__lt=F("received_on")).exists()
    assert not requests.filter(concluded_on__gt=TODAY).exists()
    assert requests.filter(correction_notice_on__isnull=False).exists()
    assert requests.filter(extension_days__isnull=False, due_date__gt=F("base_due_date")).exists()
    assert requests.filter(withdrawn_on__isnull=False).exists()
    assert requests.filter(concluded_on__isnull=True).exists()


@on_postgresql
def test_build_records_no_event_after_the_day_of_the_build(tiny_province):
    for name, date_range in REQUEST_DATES.items():
        if date_range is RECORD_DATE:
            assert not InformationRequest.objects.filter(**{f"{name}__gt": TODAY}).exists(), name
    assert not Consultation.objects.filter(sent_on__gt=TODAY).exists()
    assert not Consultation.objects.filter(answered_on__gt=TODAY).exists()
    assert not AppealCase.objects.filter(filed_on__gt=TODAY).exists()
    assert not AppealCase.objects.filter(concluded_on__gt=TODAY).exists()
    assert not Document.objects.filter(issued_on__gt=TODAY).exists()


@on_postgresql
def test_build_references_follow_their_counters(tiny_province):
    per_body_year = Counter(
        (body_id, received.year)
        for body_id, received in InformationRequest.objects.values_list("body_id", "received_on")
    )
    counters = {(c.body_id, c.year): c.last for c in ReferenceCounter.objects.all()}

    assert counters == dict(per_body_year)


@on_postgresql
def test_build_applicants_and_appeals_match_their_requests(tiny_province):
    assert (
        not InformationRequest.objects.exclude(applicant__isnull=True)
        .exclude(applicant__kind=F("applicant_kind"))
        .exists()
    )
    assert not AppealCase.objects.exclude(request__body=F("body")).exists()
    assert not AppealCase.objects.filter(filed_on__lt=F("request__concluded_on")).exists()


@on_postgresql
def test_province_roll_up_balances(tiny_province):
    province = Body.objects.get(code="p")

    rows = compute_tables(province, synthetic.report_year(TODAY), "all")["requests"]["rows"]

    for column in fmt.REQUEST_COLUMN_KEYS:
        received = rows["carried_over"][column] + rows["new_received"][column]
        handled = rows[fmt.RESULTS_TOTAL_KEY][column] + rows["carried_forward"][column]
        assert received == handled
    assert rows["new_received"][fmt.TOTAL_COLUMN_KEY] > 0
