from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from disclosure import selectors, services
from disclosure.clock import status_on
from disclosure.models import Consultation
from disclosure.vocab import RequestStatus, Result, Role
from tests.factories import (
    ApplicantFactory,
    BodyFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def tree():
    city = BodyFactory(code="city")
    county = BodyFactory(code="county", parent=city)
    sibling = BodyFactory(code="sibling", parent=city)
    department = BodyFactory(code="dept", parent=county)
    return city, county, sibling, department


def test_month_bounds_include_both_ends_and_roll_over_the_year():
    assert selectors.month_bounds(2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert selectors.month_bounds(2025, 12) == (D(2025, 12, 1), D(2025, 12, 31))


# --- lists ---------------------------------------------------------------------------------


def test_request_list_shows_the_members_subtree_only(tree):
    city, county, sibling, department = tree
    own = RequestFactory(body=county, reference="own")
    below = RequestFactory(body=department, reference="below")
    RequestFactory(body=sibling, reference="sibling")
    RequestFactory(body=city, reference="above")
    user = MembershipFactory(body=county, role=Role.VIEW).user
    assert set(selectors.requests_for_list(user)) == {own, below}


def test_request_list_shows_everything_to_a_superuser(tree):
    for body in tree:
        RequestFactory(body=body)
    superuser = UserFactory(is_superuser=True)
    assert selectors.requests_for_list(superuser).count() == 4


def test_request_list_shows_nothing_without_membership(tree):
    RequestFactory(body=tree[1])
    assert list(selectors.requests_for_list(UserFactory())) == []


@pytest.mark.parametrize("rows", [3, 9])
def test_request_list_rows_with_status_take_a_fixed_number_of_queries(
    tree, rows, django_assert_num_queries
):
    county = tree[1]
    for index in range(rows):
        request = RequestFactory(body=county, applicant=ApplicantFactory())
        Consultation.objects.create(request=request, party=f"第三方{index}", sent_on=D(2023, 3, 2))
    user = MembershipFactory(body=county, role=Role.VIEW).user
    # memberships' paths, the requests with body and applicant, their consultations
    with django_assert_num_queries(3):
        shown = [
            (r.reference, r.body.name, str(r.applicant), status_on(r, D(2023, 3, 3)))
            for r in selectors.requests_for_list(user)
        ]
    assert len(shown) == rows
    assert {status for *_rest, status in shown} == {RequestStatus.CONSULTING}


def test_overdue_requests_are_listed_by_due_date(tree):
    county = tree[1]
    later = RequestFactory(body=county, due_date=D(2025, 3, 10))
    earlier = RequestFactory(body=county, due_date=D(2025, 3, 5))
    RequestFactory(body=county, due_date=D(2025, 3, 20))
    RequestFactory(
        body=county, due_date=D(2025, 3, 1), concluded_on=D(2025, 3, 2), result=Result.GRANTED
    )
    RequestFactory(body=county, due_date=D(2025, 3, 1), voided_at=timezone.now())
    superuser = UserFactory(is_superuser=True)
    assert list(selectors.overdue_requests(superuser, D(2025, 3, 15))) == [earlier, later]


def test_open_requests_covering_a_date():
    before = RequestFactory(received_on=D(2025, 9, 1), due_date=D(2025, 9, 29))
    around = RequestFactory(received_on=D(2025, 9, 30), due_date=D(2025, 11, 4))
    awaiting = RequestFactory(received_on=D(2025, 9, 30), due_date=None)
    after = RequestFactory(received_on=D(2025, 11, 1), due_date=D(2025, 12, 1))
    concluded = RequestFactory(
        received_on=D(2025, 9, 30),
        due_date=D(2025, 11, 4),
        concluded_on=D(2025, 10, 9),
        result=Result.GRANTED,
    )
    covering = set(selectors.open_requests_covering(D(2025, 10, 31)))
    assert covering == {around, awaiting}
    assert not covering & {before, after, concluded}


# --- applicants ------------------------------------------------------------------------------


def test_applicant_requests_in_month_are_that_months_receipts_in_order():
    applicant = ApplicantFactory()
    last = RequestFactory(applicant=applicant, received_on=D(2025, 3, 31))
    first = RequestFactory(applicant=applicant, received_on=D(2025, 3, 1))
    RequestFactory(applicant=applicant, received_on=D(2025, 2, 28))
    RequestFactory(applicant=applicant, received_on=D(2025, 4, 1))
    RequestFactory(applicant=applicant, received_on=D(2025, 3, 5), voided_at=timezone.now())
    RequestFactory(received_on=D(2025, 3, 5))
    assert list(selectors.applicant_requests_in_month(applicant, 2025, 3)) == [first, last]


def test_repeated_requests_group_the_same_content_despite_punctuation():
    applicant = ApplicantFactory()
    first = RequestFactory(
        applicant=applicant, received_on=D(2025, 3, 1), content="请公开2024年财政预算。"
    )
    again = RequestFactory(
        applicant=applicant, received_on=D(2025, 3, 9), content="请公开 2024年财政预算"
    )
    RequestFactory(applicant=applicant, received_on=D(2025, 3, 4), content="请公开征地批复")
    RequestFactory(content="请公开2024年财政预算。")
    groups = selectors.repeated_requests(applicant)
    assert [(group.content, group.requests) for group in groups] == [
        ("请公开2024年财政预算。", (first, again))
    ]


# --- the trail ------------------------------------------------------------------


def test_record_history_is_newest_first_and_only_that_record():
    actor = UserFactory()
    body = BodyFactory()
    other_model_same_pk = RequestFactory(id=body.pk + 1000)
    body = BodyFactory(id=body.pk + 1000)
    services.audit_record(actor=actor, obj=body, action="create")
    services.audit_record(actor=actor, obj=body, action="update")
    services.audit_record(actor=actor, obj=other_model_same_pk, action="create")
    history = selectors.record_history(body)
    assert [entry.action for entry in history] == ["update", "create"]
    assert history[0].actor == actor
