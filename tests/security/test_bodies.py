"""Bodies guarded: a body's master data (name, code, kind, parent, abolition) change only by a
superuser or a 审核发布 holder on its parent; its own publishers keep its contact details; a
录入 clerk changes no body — through the API, the admin, the services and the import."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from disclosure import access, services
from disclosure.importing import WorkbookRejected, records_import
from disclosure.models import AuditEntry, Body, BodyMove
from disclosure.vocab import BodyKind, Role
from tests.disclosure.import_helpers import BODY_HEADER, xlsx
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME_REFUSED = (
    "您无权修改“机构名称”：机构的名称、代码、类型、隶属和撤销等基本信息"
    "只能由系统管理员或上级机构的审核发布人员修改。"
)


@pytest.fixture
def tree():
    city = BodyFactory(code="city", name="示例市人民政府", kind=BodyKind.GOVERNMENT)
    county = BodyFactory(code="county", name="甲县人民政府", kind=BodyKind.GOVERNMENT, parent=city)
    other = BodyFactory(code="other", name="乙县人民政府", kind=BodyKind.GOVERNMENT, parent=city)
    return city, county, other


def member(username: str, body: Body, role: str):
    return MembershipFactory(user=UserFactory(username=username), body=body, role=role).user


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def unchanged(body: Body) -> tuple:
    stored = Body.objects.get(pk=body.pk)
    return stored.name, stored.parent_id, stored.abolished_on, stored.phone


# --- the rule -------------------------------------------------------------------------------


def test_master_data_belong_to_superusers_and_the_publishers_of_the_parent(tree):
    city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)
    own_publisher = member("own", county, Role.PUBLISH)
    city_publisher = member("above", city, Role.PUBLISH)
    superuser = UserFactory(username="root", is_superuser=True)

    assert [
        access.can_change_body_master(user, county)
        for user in (clerk, own_publisher, city_publisher, superuser)
    ] == [False, False, True, True]
    assert [
        access.can_change_body_contact(user, county)
        for user in (clerk, own_publisher, city_publisher, superuser)
    ] == [False, True, True, True]
    # The top of the tree has no parent: its master data are the superusers'.
    assert [access.can_change_body_master(user, city) for user in (city_publisher, superuser)] == [
        False,
        True,
    ]


# --- the API --------------------------------------------------------------------------------


def test_a_clerk_cannot_rename_her_own_county_through_the_api(tree):
    _city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)
    before = unchanged(county)

    response = api_as(clerk).patch(
        f"/api/v1/bodies/{county.pk}/", {"name": "甲县人民政府（改）"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"name": [NAME_REFUSED]}
    assert unchanged(county) == before
    assert not AuditEntry.objects.exists()


def test_a_clerk_cannot_abolish_or_move_her_own_county_through_the_api(tree):
    _city, county, other = tree
    clerk = member("clerk", county, Role.EDIT)
    before = unchanged(county)
    api = api_as(clerk)

    abolish = api.post(
        f"/api/v1/bodies/{county.pk}/abolish/", {"abolished_on": "2025-06-30"}, format="json"
    )
    move = api.post(
        f"/api/v1/bodies/{county.pk}/move/",
        {"new_parent": None, "moved_on": "2025-06-30"},
        format="json",
    )

    assert abolish.status_code == 403
    assert "撤销日期" in abolish.json()["abolished_on"][0]
    assert move.status_code == 403
    assert unchanged(county) == before
    assert not BodyMove.objects.exists()


def test_a_clerk_cannot_change_a_bodys_contact_details_either(tree):
    _city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)

    response = api_as(clerk).patch(
        f"/api/v1/bodies/{county.pk}/", {"phone": "0935-0000000"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "phone": ["您无权修改“联系电话”：机构的联系信息只能由本机构的审核发布人员修改。"]
    }


def test_a_bodys_own_publisher_keeps_its_contact_details_but_not_its_name(tree):
    _city, county, _other = tree
    publisher = member("own", county, Role.PUBLISH)
    api = api_as(publisher)

    phone = api.patch(f"/api/v1/bodies/{county.pk}/", {"phone": "0935-1111111"}, format="json")
    name = api.patch(f"/api/v1/bodies/{county.pk}/", {"name": "改名"}, format="json")

    assert phone.status_code == 200
    assert name.status_code == 403
    county.refresh_from_db()
    assert (county.name, county.phone) == ("甲县人民政府", "0935-1111111")


def test_the_publisher_of_the_parent_renames_and_abolishes_a_county(tree):
    city, county, other = tree
    publisher = member("above", city, Role.PUBLISH)
    api = api_as(publisher)

    renamed = api.patch(f"/api/v1/bodies/{county.pk}/", {"name": "甲区人民政府"}, format="json")
    abolished = api.post(
        f"/api/v1/bodies/{county.pk}/abolish/",
        {"abolished_on": "2025-06-30", "successor": "other"},
        format="json",
    )

    assert (renamed.status_code, abolished.status_code) == (200, 200)
    county.refresh_from_db()
    assert (county.name, str(county.abolished_on), county.successor) == (
        "甲区人民政府",
        "2025-06-30",
        other,
    )


def test_a_clerk_cannot_create_a_body_under_her_county(tree):
    _city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)

    response = api_as(clerk).post(
        "/api/v1/bodies/",
        {"code": "new", "name": "新机构", "kind": BodyKind.DEPARTMENT, "parent": "county"},
        format="json",
    )

    assert response.status_code == 403
    assert not Body.objects.filter(code="new").exists()


# --- the admin ------------------------------------------------------------------------------


def test_a_clerk_sees_her_county_in_the_admin_read_only(client, tree):
    _city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)
    client.force_login(clerk)
    before = unchanged(county)

    page = client.get(f"/admin/disclosure/body/{county.pk}/change/")
    posted = client.post(
        f"/admin/disclosure/body/{county.pk}/change/",
        {"name": "改名", "code": "county", "kind": BodyKind.GOVERNMENT},
    )
    abolish = client.get(f"/admin/disclosure/body/{county.pk}/abolish/")
    move = client.get(f"/admin/disclosure/body/{county.pk}/move/")

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (posted.status_code, abolish.status_code, move.status_code) == (403, 403, 403)
    assert unchanged(county) == before


def test_a_county_publisher_sees_master_fields_read_only_on_her_own_county(client, tree):
    _city, county, _other = tree
    client.force_login(member("own", county, Role.PUBLISH))

    page = client.get(f"/admin/disclosure/body/{county.pk}/change/")
    response = client.post(
        f"/admin/disclosure/body/{county.pk}/change/",
        {
            "name": "改名",
            "code": "changed",
            "kind": BodyKind.OTHER,
            "phone": "0935-2222222",
            "moves-TOTAL_FORMS": "0",
            "moves-INITIAL_FORMS": "0",
        },
    )

    form = page.context["adminform"].form
    assert {"name", "code", "kind"}.isdisjoint(form.fields)
    assert {"address", "postcode", "phone", "website"} <= set(form.fields)
    assert "abolish_url" not in page.context and "move_url" not in page.context
    assert abolish_forbidden(client, county)
    assert response.status_code == 302
    county.refresh_from_db()
    assert (county.name, county.code, county.kind, county.phone) == (
        "甲县人民政府",
        "county",
        BodyKind.GOVERNMENT,
        "0935-2222222",
    )


def abolish_forbidden(client, body: Body) -> bool:
    response = client.post(
        f"/admin/disclosure/body/{body.pk}/abolish/", {"abolished_on": "2025-06-30"}
    )
    return response.status_code == 403


def test_the_city_publisher_changes_the_countys_master_data_in_the_admin(client, tree):
    city, county, _other = tree
    client.force_login(member("above", city, Role.PUBLISH))

    page = client.get(f"/admin/disclosure/body/{county.pk}/change/")

    assert {"name", "code", "kind"} <= set(page.context["adminform"].form.fields)
    assert page.context["abolish_url"] == f"/admin/disclosure/body/{county.pk}/abolish/"


# --- every entry point: the services and the import -------------------------------------------


def test_the_service_refuses_a_clerk_by_field_and_writes_nothing(tree):
    _city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)
    county.name, county.kind = "改名", BodyKind.OTHER

    with pytest.raises(access.BodyChangeRefused) as refused:
        services.body_save(actor=clerk, body=county)

    assert set(refused.value.message_dict) == {"name", "kind"}
    assert Body.objects.get(pk=county.pk).name == "甲县人民政府"


def test_a_command_without_a_user_is_not_limited(tree):
    _city, county, _other = tree
    county.name = "甲区人民政府"
    services.body_save(actor=None, body=county)
    assert Body.objects.get(pk=county.pk).name == "甲区人民政府"


def test_a_clerk_cannot_rename_her_county_by_importing_a_workbook(tree):
    _city, county, _other = tree
    clerk = member("clerk", county, Role.EDIT)
    content = xlsx({"机构": [BODY_HEADER, ["county", "甲区人民政府", "city", "人民政府"]]})

    with pytest.raises(WorkbookRejected) as rejected:
        records_import(actor=clerk, filename="台账.xlsx", content=content)

    problems = [str(problem) for problem in rejected.value.problems]
    assert any("机构名称" in problem and "您无权修改" in problem for problem in problems), problems
    assert Body.objects.get(pk=county.pk).name == "甲县人民政府"
