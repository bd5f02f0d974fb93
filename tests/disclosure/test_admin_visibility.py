"""A clerk of county A sees and changes nothing of sibling county B, through any admin page,
export, lookup or autocomplete."""

from __future__ import annotations

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.models import AuditEntry, InformationRequest
from disclosure.vocab import Role
from tests.disclosure.admin_helpers import body_choice_ids, county_world
from tests.factories import AppealFactory, DocumentFactory, FigureFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/disclosure/informationrequest/"


@pytest.fixture
def world():
    return county_world()


@pytest.fixture
def clerk_client(client, world):
    client.force_login(world.clerk)
    return client


def test_changelist_lists_only_own_county(clerk_client, world):
    response = clerk_client.get(REQUESTS)
    assert response.status_code == 200
    references = [obj.reference for obj in response.context["cl"].result_list]
    assert references == ["2025-0001"]
    assert "乙县" not in response.content.decode().replace("乙县的申请内容", "")


def test_change_view_of_sibling_county_redirects_without_data(clerk_client, world):
    response = clerk_client.get(f"{REQUESTS}{world.request_b.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    followed = clerk_client.get(response["Location"]).content.decode()
    assert "乙县的申请内容" not in followed
    assert "2025-0901" not in followed


def test_post_to_sibling_county_changes_nothing(clerk_client, world):
    response = clerk_client.post(f"{REQUESTS}{world.request_b.pk}/change/", {"content": "篡改"})
    assert response.status_code == 302
    world.request_b.refresh_from_db()
    assert world.request_b.content == "乙县的申请内容"
    assert not AuditEntry.objects.exists()


def test_add_form_offers_only_bodies_where_the_clerk_enters_records(clerk_client, world):
    response = clerk_client.get(f"{REQUESTS}add/")
    assert response.status_code == 200
    assert body_choice_ids(response) == {world.county_a.pk, world.department_a.pk}
    assert body_choice_ids(response, "applicant") == {world.applicant_a.pk}


def test_body_autocomplete_offers_only_own_county(clerk_client, world):
    response = clerk_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "disclosure",
            "model_name": "informationrequest",
            "field_name": "body",
            "term": "县",
        },
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert ids == {world.county_a.pk, world.department_a.pk}


def test_request_autocomplete_offers_only_own_county(clerk_client, world):
    response = clerk_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "disclosure",
            "model_name": "appealcase",
            "field_name": "request",
            "term": "2025",
        },
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["2025-0001"]


def test_applicant_autocomplete_offers_only_own_county(clerk_client, world):
    response = clerk_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "disclosure",
            "model_name": "informationrequest",
            "field_name": "applicant",
            "term": "2025-0901",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def exported_references(response) -> list[str]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [row[1] for row in workbook["申请"].iter_rows(min_row=2, values_only=True)]


def test_export_contains_only_own_county(clerk_client, world):
    response = clerk_client.get(f"{REQUESTS}export.xlsx")
    assert response.status_code == 200
    assert exported_references(response) == ["2025-0001"]


def test_export_action_ignores_a_smuggled_sibling_id(clerk_client, world):
    response = clerk_client.post(
        REQUESTS,
        {
            "action": "export_workbook",
            ACTION_CHECKBOX_NAME: [world.request_a.pk, world.request_b.pk],
        },
    )
    assert exported_references(response) == ["2025-0001"]


def test_history_of_sibling_county_redirects(clerk_client, world):
    response = clerk_client.get(f"{REQUESTS}{world.request_b.pk}/history/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_void_page_of_sibling_county_redirects_and_voids_nothing(clerk_client, world):
    response = clerk_client.post(f"{REQUESTS}{world.request_b.pk}/void/", {"reason": "误录"})
    assert response.status_code == 302
    world.request_b.refresh_from_db()
    assert world.request_b.voided_at is None


def test_body_filter_lists_only_visible_bodies(clerk_client, world):
    response = clerk_client.get(REQUESTS)
    body_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "body"
    )
    assert [value for value, _label in body_filter.lookup_choices] == [
        str(world.county_a.pk),
        str(world.department_a.pk),
    ]


def test_body_filter_with_sibling_body_shows_nothing(clerk_client, world):
    response = clerk_client.get(REQUESTS, {"body": world.county_b.pk})
    assert list(response.context["cl"].result_list) == []


def test_body_list_and_change_view(clerk_client, world):
    response = clerk_client.get("/admin/disclosure/body/")
    names = [body.name for body in response.context["cl"].result_list]
    assert names == ["甲县人民政府", "甲县教育局"]
    assert (
        clerk_client.get(f"/admin/disclosure/body/{world.county_b.pk}/change/").status_code == 302
    )


def test_applicant_list_and_change_view(clerk_client, world):
    response = clerk_client.get("/admin/disclosure/applicant/")
    assert [obj.pk for obj in response.context["cl"].result_list] == [world.applicant_a.pk]
    response = clerk_client.get(f"/admin/disclosure/applicant/{world.applicant_b.pk}/change/")
    assert response.status_code == 302


def test_registers_hide_sibling_county(clerk_client, world):
    own = AppealFactory(body=world.county_a, case_number="甲复1号")
    sibling = AppealFactory(body=world.county_b, case_number="乙复1号")
    response = clerk_client.get("/admin/disclosure/appealcase/")
    assert [case.pk for case in response.context["cl"].result_list] == [own.pk]
    assert clerk_client.get(f"/admin/disclosure/appealcase/{sibling.pk}/change/").status_code == 302
    document = DocumentFactory(body=world.county_b)
    figure = FigureFactory(body=world.county_b)
    assert clerk_client.get(f"/admin/disclosure/document/{document.pk}/change/").status_code == 302
    assert (
        clerk_client.get(f"/admin/disclosure/yearlyfigure/{figure.pk}/change/").status_code == 302
    )


def test_audit_trail_lists_only_visible_records(clerk_client, world, admin_user):
    from disclosure import services

    services.request_save(actor=admin_user, request=world.request_a)
    services.request_save(actor=admin_user, request=world.request_b)
    # request_save on an unchanged request writes nothing: change both.
    world.request_a.content = "甲县的申请内容（更正）"
    services.request_save(actor=admin_user, request=world.request_a)
    world.request_b.content = "乙县的申请内容（更正）"
    services.request_save(actor=admin_user, request=world.request_b)
    response = clerk_client.get("/admin/disclosure/auditentry/")
    shown = {entry.object_id for entry in response.context["cl"].result_list}
    assert shown == {str(world.request_a.pk)}
    sibling_entry = AuditEntry.objects.filter(object_id=str(world.request_b.pk)).first()
    assert (
        clerk_client.get(f"/admin/disclosure/auditentry/{sibling_entry.pk}/change/").status_code
        == 302
    )


def test_view_role_reads_but_cannot_change(client):
    world = county_world(role=Role.VIEW)
    client.force_login(world.clerk)
    response = client.get(f"{REQUESTS}{world.request_a.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(f"{REQUESTS}add/").status_code == 403
    client.post(f"{REQUESTS}{world.request_a.pk}/change/", {"content": "篡改"})
    world.request_a.refresh_from_db()
    assert world.request_a.content == "甲县的申请内容"


def test_staff_user_without_membership_sees_nothing(client, world):
    stranger = UserFactory(username="stranger")
    client.force_login(stranger)
    assert client.get(REQUESTS).status_code == 403
    assert client.get(f"{REQUESTS}{world.request_a.pk}/change/").status_code in (302, 403)


def test_superuser_sees_both_counties(admin_client, world):
    response = admin_client.get(REQUESTS)
    assert {obj.reference for obj in response.context["cl"].result_list} == {
        "2025-0001",
        "2025-0901",
    }
    assert InformationRequest.objects.count() == 2


def test_request_autocomplete_leaves_out_voided_requests(clerk_client, world):
    clerk_client.post(f"{REQUESTS}{world.request_a.pk}/void/", {"reason": "误录"})
    response = clerk_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "disclosure",
            "model_name": "appealcase",
            "field_name": "request",
            "term": "2025",
        },
    )
    assert response.json()["results"] == []
