"""Stale edits refused: the API's ETag / If-Match (412) and the admin's hidden version, one
mechanism (``disclosure.concurrency``), naming who changed the record and when; nothing is
overwritten."""

from __future__ import annotations

import pytest
from django.contrib import admin
from rest_framework.test import APIClient

from disclosure import concurrency, services
from disclosure.admin.base import StaleEditMixin
from disclosure.models import (
    AppealCase,
    Applicant,
    Body,
    CalendarDay,
    Document,
    InformationRequest,
    Membership,
    YearlyFigure,
)
from disclosure.vocab import BodyKind, Role
from reports.models import Report
from tests.disclosure.admin_helpers import county_world
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def world():
    return county_world()


@pytest.fixture
def colleague(world):
    user = UserFactory(username="wangwu", first_name="五", last_name="王")
    MembershipFactory(user=user, body=world.county_a, role=Role.EDIT)
    return user


def colleague_changes(request: InformationRequest, colleague) -> None:
    stored = InformationRequest.objects.get(pk=request.pk)
    stored.content = "同事刚补充的申请内容"
    services.request_save(actor=colleague, request=stored)


# --- the API --------------------------------------------------------------------------------


def test_every_single_record_carries_its_version_as_etag(world):
    api = api_as(world.clerk)
    url = f"/api/v1/requests/{world.request_a.pk}/"

    read = api.get(url)
    stored = concurrency.version_of(InformationRequest.objects.get(pk=world.request_a.pk))
    written = api.patch(url, {"content": "新的内容"}, format="json", HTTP_IF_MATCH=read["ETag"])

    assert read["ETag"] == concurrency.etag(stored)
    assert written.status_code == 200
    assert written["ETag"] != read["ETag"]
    assert api.get(url)["ETag"] == written["ETag"]
    body = api.get(f"/api/v1/bodies/{world.county_a.pk}/")
    assert body["ETag"].startswith('"') and len(body["ETag"]) == 22


def test_a_stale_patch_with_if_match_answers_412_and_changes_nothing(world, colleague):
    api = api_as(world.clerk)
    url = f"/api/v1/requests/{world.request_a.pk}/"
    seen = api.get(url)["ETag"]
    colleague_changes(world.request_a, colleague)

    response = api.patch(url, {"content": "我的旧版本"}, format="json", HTTP_IF_MATCH=seen)

    assert response.status_code == 412
    detail = response.json()["detail"]
    assert detail.startswith("该记录在您打开之后已被 王五（wangwu） 于 ")
    assert "您的修改没有保存" in detail
    assert InformationRequest.objects.get(pk=world.request_a.pk).content == "同事刚补充的申请内容"


def test_a_stale_put_is_refused_too(world, colleague):
    api = api_as(world.clerk)
    url = f"/api/v1/requests/{world.request_a.pk}/"
    read = api.get(url)
    colleague_changes(world.request_a, colleague)
    payload = {
        key: value
        for key, value in read.json().items()
        if key in ("body", "received_on", "channel", "applicant_kind", "applicant_id")
    }
    payload["content"] = "整条覆盖"

    response = api.put(url, payload, format="json", HTTP_IF_MATCH=read["ETag"])

    assert response.status_code == 412
    assert InformationRequest.objects.get(pk=world.request_a.pk).content == "同事刚补充的申请内容"


def test_a_write_without_if_match_is_accepted_as_before(world, colleague):
    api = api_as(world.clerk)
    url = f"/api/v1/requests/{world.request_a.pk}/"
    colleague_changes(world.request_a, colleague)

    assert api.patch(url, {"content": "后到的修改"}, format="json").status_code == 200
    assert api.patch(
        url, {"content": "任何版本"}, format="json", HTTP_IF_MATCH="*"
    ).status_code == (200)


def test_voiding_a_changed_record_with_a_stale_version_is_refused(world, colleague):
    api = api_as(world.clerk)
    url = f"/api/v1/requests/{world.request_a.pk}/"
    seen = api.get(url)["ETag"]
    colleague_changes(world.request_a, colleague)

    response = api.post(f"{url}void/", {"reason": "重复登记"}, format="json", HTTP_IF_MATCH=seen)

    assert response.status_code == 412
    assert InformationRequest.objects.get(pk=world.request_a.pk).voided_at is None


def test_a_stale_body_edit_is_refused_naming_the_other_publisher(world):
    first = UserFactory(username="first")
    second = UserFactory(username="second")
    for user in (first, second):
        MembershipFactory(user=user, body=world.county_a, role=Role.PUBLISH)
    url = f"/api/v1/bodies/{world.county_a.pk}/"
    seen = api_as(first).get(url)["ETag"]
    assert api_as(second).patch(url, {"phone": "0935-1"}, format="json").status_code == 200

    response = api_as(first).patch(url, {"phone": "0935-2"}, format="json", HTTP_IF_MATCH=seen)

    assert response.status_code == 412
    assert "second" in response.json()["detail"]
    assert Body.objects.get(pk=world.county_a.pk).phone == "0935-1"


def test_a_move_with_the_current_version_succeeds_and_answers_the_new_version(world):
    publisher = UserFactory(username="city-publisher")
    MembershipFactory(user=publisher, body=world.city, role=Role.PUBLISH)
    api = api_as(publisher)
    url = f"/api/v1/bodies/{world.department_a.pk}/"
    seen = api.get(url)["ETag"]

    moved = api.post(
        f"{url}move/",
        {"new_parent": "county-b", "moved_on": "2025-07-01"},
        format="json",
        HTTP_IF_MATCH=seen,
    )

    assert moved.status_code == 200, moved.json()
    assert moved.json()["parent"] == "county-b"
    assert moved["ETag"] != seen
    assert moved["ETag"] == api.get(url)["ETag"]


# --- the admin --------------------------------------------------------------------------------


def body_form(body: Body, **changes) -> dict:
    data = {
        "name": body.name,
        "code": body.code,
        "kind": body.kind,
        "address": body.address,
        "postcode": body.postcode,
        "phone": body.phone,
        "website": body.website,
        "moves-TOTAL_FORMS": "0",
        "moves-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_the_admin_refuses_a_stale_save_naming_who_and_when(client, world):
    city_publisher = UserFactory(username="city-publisher")
    MembershipFactory(user=city_publisher, body=world.city, role=Role.PUBLISH)
    colleague = UserFactory(username="zhaoliu", first_name="六", last_name="赵")
    MembershipFactory(user=colleague, body=world.city, role=Role.PUBLISH)
    client.force_login(city_publisher)
    url = f"/admin/disclosure/body/{world.county_a.pk}/change/"
    opened = client.get(url)
    seen = opened.context["seen_version"]
    assert f'name="_seen_version" value="{seen}"' in opened.content.decode()

    stored = Body.objects.get(pk=world.county_a.pk)
    stored.phone = "0935-6666666"
    services.body_save(actor=colleague, body=stored)
    response = client.post(
        url, body_form(world.county_a, website="https://old.example.cn", _seen_version=seen)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1 and errors[0].startswith("该记录在您打开之后已被 赵六（zhaoliu） 于 ")
    assert f'value="{seen}"' in response.content.decode()  # still the version first opened
    assert 'value="https://old.example.cn"' in response.content.decode()  # nothing typed lost
    county = Body.objects.get(pk=world.county_a.pk)
    assert (county.phone, county.website) == ("0935-6666666", "")


def test_the_admin_saves_when_the_version_is_current(client, world):
    city_publisher = UserFactory(username="city-publisher")
    MembershipFactory(user=city_publisher, body=world.city, role=Role.PUBLISH)
    client.force_login(city_publisher)
    url = f"/admin/disclosure/body/{world.county_a.pk}/change/"
    seen = client.get(url).context["seen_version"]

    response = client.post(url, body_form(world.county_a, name="甲区人民政府", _seen_version=seen))

    assert response.status_code == 302
    assert Body.objects.get(pk=world.county_a.pk).name == "甲区人民政府"
    assert Body.objects.get(pk=world.county_a.pk).kind == BodyKind.GOVERNMENT


def test_every_editable_record_of_the_admin_checks_the_version():
    editable = [
        Applicant,
        AppealCase,
        Body,
        CalendarDay,
        Document,
        InformationRequest,
        Membership,
        Report,
        YearlyFigure,
    ]
    assert [
        model.__name__
        for model in editable
        if not isinstance(admin.site._registry[model], StaleEditMixin)
    ] == []


def test_if_match_lists_and_weak_tags_are_read():
    assert concurrency.versions_in(None) is None
    assert concurrency.versions_in("*") == []
    assert concurrency.versions_in('"abc", W/"def"') == ["abc", "def"]
