"""The applicant's access log in the admin, and the ID number checks in the applicant form."""

from __future__ import annotations

import pytest

from disclosure.models import Applicant, ApplicantAccess
from disclosure.vocab import ApplicantKind, Role
from tests.disclosure.admin_helpers import county_world
from tests.factories import MembershipFactory, UserFactory, resident_id

pytestmark = pytest.mark.django_db

ACCESS = "/admin/disclosure/applicantaccess/"
APPLICANTS = "/admin/disclosure/applicant/"


@pytest.fixture
def world():
    return county_world()


def publisher_of(body, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, body=body, role=Role.PUBLISH)
    return user


def test_the_bodys_publishers_read_who_opened_which_applicant(client, world):
    client.force_login(world.clerk)
    client.get(f"/admin/disclosure/informationrequest/{world.request_a.pk}/change/")
    assert ApplicantAccess.objects.count() == 1

    client.force_login(publisher_of(world.county_a, "publisher-a"))
    response = client.get(ACCESS)
    [row] = response.context["cl"].result_list
    assert (row.user, row.applicant, row.body) == (
        world.clerk,
        world.applicant_a,
        world.department_a,
    )
    page = response.content.decode()
    assert "张**" in page and "张三丰" not in page

    client.force_login(publisher_of(world.county_b, "publisher-b"))
    assert list(client.get(ACCESS).context["cl"].result_list) == []


def test_a_clerk_does_not_read_the_access_log(client, world):
    client.force_login(world.clerk)
    assert client.get(ACCESS).status_code == 403


def test_the_applicant_form_names_a_wrong_check_digit_under_the_id_number(client, world):
    client.force_login(world.clerk)
    response = client.post(
        f"{APPLICANTS}add/",
        {
            "kind": ApplicantKind.NATURAL_PERSON,
            "name": "王五",
            "id_type": "",
            "id_number": "620101199001011234",
            "contact": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["id_number"] == [
        "居民身份证号码“620101199001011234”的校验码不正确（按 GB 11643 第18位应为 7）。"
    ]
    assert not Applicant.objects.filter(name="王五").exists()


def test_the_applicant_form_takes_the_id_type_from_the_number(client, world):
    client.force_login(world.clerk)
    number = resident_id("62010119900101123")
    response = client.post(
        f"{APPLICANTS}add/",
        {"kind": ApplicantKind.NATURAL_PERSON, "name": "王五", "id_type": "", "id_number": number},
    )
    assert response.status_code == 302
    assert Applicant.objects.get(name="王五").id_type == "resident_id"


def test_a_passport_number_is_free_text(client, world):
    client.force_login(world.clerk)
    response = client.post(
        f"{APPLICANTS}add/",
        {
            "kind": ApplicantKind.NATURAL_PERSON,
            "name": "John Smith",
            "id_type": "passport",
            "id_number": "E12345678",
        },
    )
    assert response.status_code == 302


def test_the_applicant_picker_names_the_clerks_applicants_in_clear(client, world):
    client.force_login(world.clerk)
    response = client.get(
        "/admin/disclosure/applicant/autocomplete/",
        {
            "app_label": "disclosure",
            "model_name": "informationrequest",
            "field_name": "applicant",
            "term": "张三丰",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(world.applicant_a.pk), "text": "张三丰（620101********1237）"}
    ]
    page = client.get(
        f"/admin/disclosure/informationrequest/{world.request_a.pk}/change/"
    ).content.decode()
    assert "/admin/disclosure/applicant/autocomplete/" in page
    assert ">张三丰（620101********1237）</option>" in page


def test_the_applicant_picker_masks_for_a_viewer(client, world):
    viewer = UserFactory(username="viewer-a")
    MembershipFactory(user=viewer, body=world.county_a, role=Role.VIEW)
    client.force_login(viewer)
    response = client.get(
        "/admin/disclosure/applicant/autocomplete/",
        {
            "app_label": "disclosure",
            "model_name": "informationrequest",
            "field_name": "applicant",
            "term": "2025-0001",
        },
    )
    assert [row["text"] for row in response.json()["results"]] == ["张**（620101********1237）"]
