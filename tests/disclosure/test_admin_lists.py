"""Lists that stay fast with a million rows: bounded queries, no full count, SQL filters."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.clock import status_conditions, status_on
from disclosure.models import InformationRequest
from disclosure.paginator import EstimatedCountPaginator
from disclosure.vocab import FigureItem, RequestStatus, Result
from tests.disclosure.admin_helpers import ConsultationFactory, county_world
from tests.factories import AppealFactory, FigureFactory, RequestFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/disclosure/informationrequest/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2025, 6, 16)


@pytest.fixture
def world():
    return county_world()


def add_requests(body, count: int, start: int = 100) -> None:
    for number in range(start, start + count):
        request = RequestFactory(
            body=body,
            reference=f"2025-{number:04d}",
            received_on=datetime.date(2025, 5, 1) + datetime.timedelta(days=number % 28),
            due_date=datetime.date(2025, 6, 3) + datetime.timedelta(days=number % 28),
        )
        ConsultationFactory(request=request, sent_on=datetime.date(2025, 5, 30))


def queries_of(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_request_list_queries_do_not_grow_with_rows(client, world):
    client.force_login(world.clerk)
    add_requests(world.department_a, 3)
    few = queries_of(client, REQUESTS)
    add_requests(world.department_a, 40, start=200)
    many = queries_of(client, REQUESTS)
    assert many == few


def test_request_list_query_count_is_pinned(client, world, django_assert_max_num_queries):
    client.force_login(world.clerk)
    add_requests(world.department_a, 60)
    # 21, and the working-day calendar of the due-soon badge (worklist.work_day).
    with django_assert_max_num_queries(22):
        response = client.get(REQUESTS)
    assert len(response.context["cl"].result_list) == 50


def test_request_list_with_filters_and_search_is_pinned(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.clerk)
    add_requests(world.department_a, 60)
    # 22, the working-day calendar of the due-soon badge, and the memberships of the search
    # by the applicant's identity (access.identity_search).
    with django_assert_max_num_queries(24):
        response = client.get(
            REQUESTS,
            {"status": "consulting", "year": "2025", "body": world.county_a.pk, "q": "申请"},
        )
    assert response.status_code == 200


def test_request_list_never_counts_the_whole_table(client, world):
    client.force_login(world.clerk)
    add_requests(world.department_a, 5)
    with CaptureQueriesContext(connection) as captured:
        client.get(REQUESTS)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    # One count, of at most cap + 1 rows (a LIMIT inside the subquery).
    assert len(counts) == 1
    assert "LIMIT" in counts[0].upper()


def test_superuser_list_counts_with_capped_query(admin_client, world):
    add_requests(world.department_a, 5)
    response = admin_client.get(REQUESTS)
    paginator = response.context["cl"].paginator
    assert isinstance(paginator, EstimatedCountPaginator)
    assert paginator.count == 7
    assert paginator.count_is_capped is False


def test_register_lists_queries_do_not_grow_with_rows(client, world):
    client.force_login(world.clerk)
    AppealFactory(body=world.county_a)
    few = queries_of(client, "/admin/disclosure/appealcase/")
    for _ in range(20):
        AppealFactory(body=world.department_a, request=world.request_a)
    assert queries_of(client, "/admin/disclosure/appealcase/") == few


def test_body_list_queries_do_not_grow_with_rows(client, world):
    from tests.factories import BodyFactory

    client.force_login(world.clerk)
    few = queries_of(client, "/admin/disclosure/body/")
    for number in range(20):
        BodyFactory(code=f"extra{number}", parent=world.department_a)
    assert queries_of(client, "/admin/disclosure/body/") == few


# --- the paginator -----------------------------------------------------------------------


class SmallCap(EstimatedCountPaginator):
    cap = 3


def test_paginator_caps_the_count_of_a_filtered_list(world):
    add_requests(world.department_a, 5)
    paginator = SmallCap(InformationRequest.objects.filter(body=world.department_a), 2)
    assert paginator.count == 4  # cap + 1: "more than 3"
    assert paginator.count_is_capped is True
    assert paginator.num_pages == 2


def test_paginator_counts_exactly_below_the_cap(world):
    paginator = EstimatedCountPaginator(InformationRequest.objects.all(), 50)
    assert paginator.count == 2
    assert paginator.count_is_capped is False
    assert paginator.count_is_estimate is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class estimate")
def test_paginator_uses_the_planner_estimate_for_an_unfiltered_list(world):
    add_requests(world.department_a, 5)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {InformationRequest._meta.db_table}")
    paginator = SmallCap(InformationRequest.objects.all(), 2)
    assert paginator.count == 7
    assert paginator.count_is_estimate is True


# --- status as SQL -----------------------------------------------------------------------


def status_examples(body) -> dict[str, InformationRequest]:
    day = datetime.date
    examples = {
        RequestStatus.OPEN: RequestFactory(body=body, due_date=day(2025, 7, 1)),
        RequestStatus.CONCLUDED: RequestFactory(
            body=body, concluded_on=day(2025, 6, 1), result=Result.GRANTED
        ),
        RequestStatus.OVERDUE: RequestFactory(body=body, due_date=day(2025, 6, 13)),
        RequestStatus.AWAITING_CORRECTION: RequestFactory(
            body=body, correction_notice_on=day(2025, 6, 10), due_date=None
        ),
        RequestStatus.AWAITING_PAYMENT: RequestFactory(
            body=body,
            fee_method="per_request",
            fee_notice_on=day(2025, 6, 10),
            fee_due_on=day(2025, 7, 8),
            due_date=day(2025, 7, 20),
        ),
        RequestStatus.CONSULTING: RequestFactory(body=body, due_date=day(2025, 7, 20)),
        RequestStatus.EXTENDED: RequestFactory(
            body=body,
            extension_days=10,
            extension_decided_on=day(2025, 6, 2),
            due_date=day(2025, 6, 30),
        ),
        RequestStatus.VOIDED: RequestFactory(
            body=body,
            voided_at=datetime.datetime(2025, 6, 2, tzinfo=SHANGHAI),
            void_reason="误录",
        ),
    }
    ConsultationFactory(
        request=examples[RequestStatus.CONSULTING], sent_on=day(2025, 6, 9), answered_on=None
    )
    return examples


def test_status_filter_matches_status_on_for_every_status(world):
    examples = status_examples(world.county_a)
    rows = InformationRequest.objects.filter(pk__in=[r.pk for r in examples.values()])
    for status, condition in status_conditions(TODAY).items():
        matched = list(rows.filter(condition).values_list("pk", flat=True))
        assert matched == [examples[status].pk], status
        assert status_on(examples[status], TODAY) == status


@time_machine.travel(datetime.datetime(2025, 6, 16, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_status_filter_in_the_list(client, world):
    client.force_login(world.clerk)
    examples = status_examples(world.county_a)
    response = client.get(REQUESTS, {"status": "consulting"})
    assert [obj.pk for obj in response.context["cl"].result_list] == [
        examples[RequestStatus.CONSULTING].pk
    ]
    page = response.content.decode()
    assert "征求意见中" in page


def test_year_filter_lists_years_from_first_to_last(client, world):
    client.force_login(world.clerk)
    RequestFactory(body=world.county_a, received_on=datetime.date(2022, 12, 31))
    response = client.get(REQUESTS)
    year_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "year"
    )
    assert [value for value, _label in year_filter.lookup_choices] == [
        "2025",
        "2024",
        "2023",
        "2022",
    ]


def test_date_drilldown_lists_years_without_distinct(client, world):
    client.force_login(world.clerk)
    RequestFactory(body=world.county_a, received_on=datetime.date(2023, 1, 5))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(REQUESTS).content.decode()
    assert not any("DISTINCT" in q["sql"].upper() for q in captured.captured_queries)
    assert "?received_on__year=2024" in page
    page = client.get(REQUESTS, {"received_on__year": "2025"}).content.decode()
    assert "received_on__month=12" in page


# a list filter given a value no record can have answers an empty list, never a
# 500 (issue 8's "never a 500 for bad input" holds for the staff admin too).


def listed(client, url: str, params: dict) -> list:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_year_filter_takes_the_year_of_receipt(client, world):
    client.force_login(world.clerk)
    assert listed(client, REQUESTS, {"year": "2025"}) == [world.request_a]


@pytest.mark.parametrize("year", ["99999", "0", "-5", "abc"])
def test_a_year_no_date_can_hold_lists_nothing(client, world, year):
    client.force_login(world.clerk)
    assert listed(client, REQUESTS, {"year": year}) == []


def test_an_appeal_year_no_date_can_hold_lists_nothing(client, world):
    AppealFactory(body=world.county_a, filed_on=datetime.date(2025, 5, 6))
    client.force_login(world.clerk)
    assert listed(client, "/admin/disclosure/appealcase/", {"year": "99999"}) == []


@pytest.mark.parametrize("url", [REQUESTS, "/admin/disclosure/membership/"])
def test_a_body_filter_of_non_ascii_digits_lists_nothing(client, world, url):
    client.force_login(world.clerk)
    assert listed(client, url, {"body": "²"}) == []


def test_the_body_tree_filter_of_non_ascii_digits_lists_nothing(client, world):
    client.force_login(world.clerk)
    assert listed(client, "/admin/disclosure/body/", {"subtree": "²"}) == []


def test_a_figure_year_of_non_ascii_digits_lists_nothing(client, world):
    figure = FigureFactory(body=world.county_a, year=2025, item=FigureItem.PENALTY)
    client.force_login(world.clerk)
    assert listed(client, "/admin/disclosure/yearlyfigure/", {"year": "2025"}) == [figure]
    assert listed(client, "/admin/disclosure/yearlyfigure/", {"year": "²"}) == []
