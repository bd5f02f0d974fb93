"""GET /api/v1/worklist/: the 工作台 as data, staff only, scoped by memberships."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.disclosure.casework_helpers import NOW, casework_world
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

URL = "/api/v1/worklist/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_a_clerk_finds_exactly_her_countys_requests(django_assert_max_num_queries):
    world = casework_world()
    with django_assert_max_num_queries(16):
        response = client_for(world.a.clerk).get(URL)
    assert response.status_code == 200
    data = response.json()
    assert data["date"] == "2026-11-30"
    categories = data["categories"]
    assert {key: value["count"] for key, value in categories.items()} == {
        "overdue": 1,
        "due_soon": 1,
        "correction_lapsed": 1,
        "consultation_unanswered": 0,
        "no_reply_on_file": 0,
        "extension_late": 0,
    }
    assert categories["overdue"]["requests"] == [
        {
            "id": world.a.overdue.pk,
            "reference": "2026-101",
            "body": "county-a-edu",
            "received_on": "2026-10-09",
            "due_date": "2026-11-06",
        }
    ]
    assert categories["correction_lapsed"]["requests"][0]["reference"] == "2026-103"
    assert categories["correction_lapsed"]["requests"][0]["due_date"] is None
    assert categories["due_soon"]["label"] == "即将到期"


def test_a_clerk_of_the_sibling_county_finds_none_of_them():
    world = casework_world()
    categories = client_for(world.b.clerk).get(URL).json()["categories"]
    found = {r["reference"] for c in categories.values() for r in c["requests"]}
    assert found == {"2026-201", "2026-202", "2026-203"}


def test_anonymous_access_is_refused():
    casework_world()
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert "overdue" not in response.content.decode()


def test_a_user_who_is_not_staff_is_refused():
    world = casework_world()
    world.a.clerk.is_staff = False
    world.a.clerk.save()
    assert client_for(world.a.clerk).get(URL).status_code == 403


def test_a_category_lists_at_most_50_requests():
    from tests.factories import RequestFactory

    world = casework_world()
    for number in range(55):
        RequestFactory(
            body=world.a.body,
            reference=f"2026-9{number:02d}",
            received_on=NOW.date().replace(month=10, day=1),
            due_date=NOW.date().replace(month=10, day=30),
        )
    overdue = client_for(world.a.clerk).get(URL).json()["categories"]["overdue"]
    assert overdue["count"] == 56
    assert len(overdue["requests"]) == 50


def test_a_superuser_sees_every_county():
    casework_world()
    root = UserFactory(username="root", is_superuser=True)
    assert client_for(root).get(URL).json()["categories"]["overdue"]["count"] == 2
