"""The 工作台 on the admin's first page, its list filter and the 补正 conclusion."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from disclosure.models import AuditEntry, InformationRequest
from disclosure.vocab import AuditAction, Result, Role
from tests.disclosure.casework_helpers import NOW, casework_world
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

INDEX = "/admin/"
REQUESTS = "/admin/disclosure/informationrequest/"


@pytest.fixture
def world():
    return casework_world()


def logged_in(client, user):
    client.force_login(user)
    return client


def counts(page: str) -> dict[str, int]:
    return {
        key: int(count)
        for key, count in re.findall(
            r'id="worklist-(\w+)".*?data-count="(\d+)"', page, flags=re.DOTALL
        )
    }


def test_the_first_page_shows_the_clerks_counts_linking_to_filtered_lists(client, world):
    page = logged_in(client, world.a.clerk).get(INDEX).content.decode()
    assert counts(page) == {
        "overdue": 1,
        "due_soon": 1,
        "correction_lapsed": 1,
        "consultation_unanswered": 0,
        "no_reply_on_file": 0,
        "extension_late": 0,
    }
    assert f'href="{REQUESTS}?worklist=overdue"' in page
    assert "2026-101" in page and "2026-201" not in page


def test_the_list_filter_shows_a_categorys_requests(client, world):
    logged_in(client, world.a.clerk)
    for key, expected in (
        ("overdue", ["2026-101"]),
        ("due_soon", ["2026-102"]),
        ("correction_lapsed", ["2026-103"]),
    ):
        response = client.get(REQUESTS, {"worklist": key})
        assert [obj.reference for obj in response.context["cl"].result_list] == expected


def test_a_viewer_sees_the_counts_but_no_conclude_button(client, world):
    viewer = UserFactory(username="viewer-a")
    MembershipFactory(user=viewer, body=world.a.body, role=Role.VIEW)
    page = logged_in(client, viewer).get(INDEX).content.decode()
    assert counts(page)["correction_lapsed"] == 1
    assert "conclude-no-correction" not in page


def test_one_click_concludes_a_lapsed_correction_with_an_audit_row(client, world):
    page = logged_in(client, world.a.clerk).get(INDEX).content.decode()
    url = f"{REQUESTS}{world.a.lapsed.pk}/conclude-no-correction/"
    assert f'action="{url}"' in page
    response = client.post(url, {"next": INDEX})
    assert response.status_code == 302 and response["Location"] == INDEX
    lapsed = InformationRequest.objects.get(pk=world.a.lapsed.pk)
    assert (lapsed.concluded_on, lapsed.result) == (
        datetime.date(2026, 11, 30),
        Result.OTHER_NO_CORRECTION,
    )
    entry = AuditEntry.objects.filter(object_id=str(lapsed.pk)).latest("pk")
    assert (entry.action, entry.actor) == (AuditAction.CONCLUDE, world.a.clerk)
    assert counts(client.get(INDEX).content.decode())["correction_lapsed"] == 0


def test_concluding_a_request_whose_correction_has_not_lapsed_is_refused(client, world):
    logged_in(client, world.a.clerk)
    url = f"{REQUESTS}{world.a.due_soon.pk}/conclude-no-correction/"
    response = client.post(url, {"next": INDEX}, follow=True)
    assert "不能按“申请人无正当理由逾期不补正”办结" in response.content.decode()
    assert InformationRequest.objects.get(pk=world.a.due_soon.pk).concluded_on is None


def test_a_clerk_of_another_county_cannot_conclude(client, world):
    logged_in(client, world.b.clerk)
    response = client.post(f"{REQUESTS}{world.a.lapsed.pk}/conclude-no-correction/")
    assert response.status_code in (403, 302, 404)
    assert InformationRequest.objects.get(pk=world.a.lapsed.pk).concluded_on is None


def test_the_list_action_concludes_the_lapsed_and_names_the_others(client, world):
    logged_in(client, world.a.clerk)
    response = client.post(
        REQUESTS,
        {
            "action": "conclude_no_correction",
            ACTION_CHECKBOX_NAME: [world.a.lapsed.pk, world.a.on_time.pk],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已按“申请人无正当理由逾期不补正”办结 1 件申请：2026-103" in page
    assert "2026-104" in page
    assert InformationRequest.objects.get(pk=world.a.lapsed.pk).result == Result.OTHER_NO_CORRECTION
    assert InformationRequest.objects.get(pk=world.a.on_time.pk).concluded_on is None
