"""The oversight list on the demo: 武威市 2023 (issue 20's "Done when")."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from disclosure.models import Body
from disclosure.vocab import Role
from tests.factories import MembershipFactory, UserFactory

URL = "/api/v1/oversight/"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            call_command("load_demo", "--no-recent", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def liangzhou_publisher(demo):
    user = UserFactory()
    MembershipFactory(user=user, body=Body.objects.get(code="liangzhou"), role=Role.PUBLISH)
    return user


@pytest.mark.django_db
def test_wuwei_2023_lists_every_body_existing_at_the_end_of_2023_with_its_status(demo):
    user = UserFactory()
    MembershipFactory(user=user, body=Body.objects.get(code="wuwei"), role=Role.VIEW)
    response = client_for(user).get(URL, {"body": "wuwei", "year": 2023})
    assert response.status_code == 200
    entries = response.json()
    expected = list(
        Body.objects.subtree_of(Body.objects.get(code="wuwei"))
        .existing_on(datetime.date(2023, 12, 31))
        .order_by("path")
        .values_list("code", flat=True)
    )
    assert [entry["body"] for entry in entries] == expected
    by_code = {entry["body"]: entry for entry in entries}
    city = by_code["wuwei"]
    # v1 on 2024-03-…, in the legal window; its three inconsistent figures are warnings.
    assert city["status"] == "published"
    assert city["deadline"] == "2024-03-31"
    assert city["days_late"] == 0
    assert city["errors"] == 0
    assert city["figures"]["new_received"] is not None
    for county in ("liangzhou", "minqin", "gulang", "tianzhu"):
        assert by_code[county]["status"] == "published", county
        assert by_code[county]["deadline"] == "2024-03-31"
    department = by_code["wuwei-jyj"]
    assert department["status"] == "none"
    assert department["deadline"] == "2024-01-31"
    assert department["published_on"] is None
    assert department["figures"] is None
    assert set(city) == {
        "body",
        "body_name",
        "deadline",
        "status",
        "published_on",
        "days_late",
        "errors",
        "warnings",
        "repeated_share",
        "figures",
    }


@pytest.mark.django_db
def test_a_liangzhou_publisher_sees_only_liangzhou_and_is_refused_wuwei(liangzhou_publisher):
    client = client_for(liangzhou_publisher)
    response = client.get(URL, {"body": "liangzhou", "year": 2023})
    assert response.status_code == 200
    codes = [entry["body"] for entry in response.json()]
    assert codes[0] == "liangzhou"
    assert all(code.startswith("liangzhou") for code in codes)
    assert len(codes) == Body.objects.filter(code__startswith="liangzhou").count()

    refused = client.get(URL, {"body": "wuwei", "year": 2023})
    assert refused.status_code == 403
    assert "武威市人民政府" in refused.json()["detail"]
    assert client.get(URL, {"body": "minqin", "year": 2023}).status_code == 403
    assert client.get(URL, {"body": "nowhere", "year": 2023}).status_code == 404
