from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from disclosure import services
from disclosure.models import (
    Applicant,
    ApplicantAccess,
    AuditEntry,
    Consultation,
    InformationRequest,
)
from disclosure.vocab import ApplicantKind, Channel, Result
from tests.api.conftest import client_for
from tests.factories import ApplicantFactory, RequestFactory

URL = "/api/v1/requests/"
TODAY = datetime.date(2025, 11, 10)


def payload(**overrides) -> dict:
    data = {
        "body": "county-a",
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "channel": Channel.INTERNET,
        "received_on": "2025-09-30",
        "content": "申请公开2025年城区道路改造项目的招标文件",
    }
    data.update(overrides)
    return data


@pytest.fixture
def sibling_request(tree):
    return RequestFactory(
        body=tree.county_b, reference="2025-0001", received_on=datetime.date(2025, 9, 1)
    )


# --- memberships -------------------------------------------------------------------------


def test_list_shows_the_users_subtree_only(api, tree, sibling_request):
    RequestFactory(body=tree.county_a, reference="A-1")
    RequestFactory(body=tree.department_a, reference="A-EDU-1")
    response = api.get(URL)
    assert response.status_code == 200
    assert sorted(item["reference"] for item in response.json()["results"]) == ["A-1", "A-EDU-1"]
    assert response.json()["count"] == 2


def test_sibling_countys_request_is_not_found(api, sibling_request):
    response = api.get(f"{URL}{sibling_request.pk}/")
    assert response.status_code == 404
    assert "2025-0001" not in response.content.decode()


def test_update_of_a_sibling_countys_request_is_not_found_and_changes_nothing(api, sibling_request):
    response = api.patch(f"{URL}{sibling_request.pk}/", {"content": "改"}, format="json")
    assert response.status_code == 404
    sibling_request.refresh_from_db()
    assert sibling_request.content == "申请公开某项政府信息"


def test_void_of_a_sibling_countys_request_is_not_found_and_changes_nothing(api, sibling_request):
    response = api.post(f"{URL}{sibling_request.pk}/void/", {"reason": "误录"}, format="json")
    assert response.status_code == 404
    sibling_request.refresh_from_db()
    assert sibling_request.voided_at is None


def test_create_in_a_sibling_county_is_refused_like_an_unknown_body(api, tree):
    response = api.post(URL, payload(body="county-b"), format="json")
    assert response.status_code == 400
    assert response.json() == {"body": ["不存在代码为“county-b”的机构。"]}
    unknown = api.post(URL, payload(body="nowhere"), format="json")
    assert unknown.json() == {"body": ["不存在代码为“nowhere”的机构。"]}
    assert InformationRequest.objects.count() == 0


@pytest.mark.parametrize("code", ["county\x00a", "甲县", 7])
def test_malformed_body_code_is_400(api, tree, code):
    response = api.post(URL, payload(body=code), format="json")
    assert response.status_code == 400
    assert response.json() == {"body": ["机构代码只能包含字母、数字、“-”和“_”。"]}
    assert InformationRequest.objects.count() == 0


def test_moving_a_request_to_a_sibling_county_is_refused(api, tree):
    own = RequestFactory(body=tree.county_a)
    response = api.patch(f"{URL}{own.pk}/", {"body": "county-b"}, format="json")
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.body == tree.county_a


def test_viewer_reads_but_cannot_create(viewer, tree):
    RequestFactory(body=tree.county_a, reference="A-1")
    client = client_for(viewer)
    assert client.get(URL).json()["count"] == 1
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您在该机构没有录入权限。"}
    assert InformationRequest.objects.count() == 1


def test_viewer_cannot_update_or_void(viewer, tree):
    own = RequestFactory(body=tree.county_a)
    client = client_for(viewer)
    assert client.patch(f"{URL}{own.pk}/", {"content": "改"}, format="json").status_code == 403
    assert client.post(f"{URL}{own.pk}/void/", {"reason": "误录"}, format="json").status_code == 403
    own.refresh_from_db()
    assert (own.content, own.voided_at) == ("申请公开某项政府信息", None)


def test_anonymous_gets_401_in_chinese(db):
    from rest_framework.test import APIClient

    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_token_authentication_works(token_client, tree):
    RequestFactory(body=tree.county_a)
    assert token_client.get(URL).json()["count"] == 1


def test_delete_is_not_allowed(api, tree):
    own = RequestFactory(body=tree.county_a)
    response = api.delete(f"{URL}{own.pk}/")
    assert response.status_code == 405
    assert InformationRequest.objects.filter(pk=own.pk).exists()


# --- create, the clock, validation ---------------------------------------------------------


@time_machine.travel(datetime.datetime(2025, 10, 20, 9, tzinfo=datetime.UTC), tick=False)
def test_create_allocates_a_reference_and_derives_the_due_date(api, editor):
    response = api.post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"] == "2025-0001"
    assert data["due_date"] == "2025-11-04"
    assert data["status"] == "open"
    assert data["status_display"] == "在办"
    assert data["days_left"] == 15
    assert data["overdue"] is False
    assert data["clock"]["base_due_date"] == "2025-11-04"
    assert {"date": "2025-10-01", "reason": "国庆节"} in data["clock"]["skipped"]
    assert {"date": "2025-10-11", "number": 3, "note": "调休上班"} in data["clock"]["counted"]
    request = InformationRequest.objects.get()
    assert request.created_by == editor
    assert AuditEntry.objects.filter(object_id=str(request.pk)).exists()


def test_validation_errors_are_field_level_and_in_chinese(api, tree):
    response = api.post(URL, payload(concluded_on="2025-10-10"), format="json")
    assert response.status_code == 400
    assert response.json() == {"result": ["已填写办结日期时必须选择办理结果。"]}
    assert InformationRequest.objects.count() == 0


def test_type_errors_are_in_chinese(api, tree):
    response = api.post(URL, payload(received_on="30/09/2025", channel="pigeon"), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["channel"] == ["“pigeon” 不是合法选项。"]
    assert errors["received_on"] == [
        "“30/09/2025”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"
    ]


def test_an_impossible_date_is_not_a_date_rather_than_a_wrong_format(api, tree):
    response = api.post(URL, payload(received_on="2025-02-30"), format="json")
    assert response.status_code == 400
    assert response.json() == {"received_on": ["“2025-02-30”不是有效日期。"]}
    assert InformationRequest.objects.count() == 0


def test_extension_beyond_twenty_days_is_refused(api, tree):
    response = api.post(
        URL, payload(extension_days=21, extension_decided_on="2025-10-20"), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["extension_days"]


def test_update_recomputes_the_due_date_with_an_extension(api, tree):
    created = api.post(URL, payload(), format="json").json()
    response = api.patch(
        f"{URL}{created['id']}/",
        {
            "extension_days": 20,
            "extension_decided_on": "2025-11-03",
            "extension_approver": "王主任",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["due_date"] == "2025-12-02"
    assert response.json()["base_due_date"] == "2025-11-04"


def test_consultations_are_written_with_the_request(api, tree):
    response = api.post(
        URL,
        payload(
            received_on="2025-06-02",
            consultations=[
                {"party": "某公司", "sent_on": "2025-06-10", "answered_on": "2025-06-20"}
            ],
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["due_date"] == "2025-07-10"
    assert Consultation.objects.get().party == "某公司"


def test_a_consultation_is_answered_by_its_id(api, tree):
    created = api.post(
        URL,
        payload(
            received_on="2025-06-02",
            consultations=[{"party": "某公司", "sent_on": "2025-06-10"}],
        ),
        format="json",
    ).json()
    [consultation] = created["consultations"]
    response = api.patch(
        f"{URL}{created['id']}/",
        {"consultations": [{**consultation, "answered_on": "2025-06-20"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["due_date"] == "2025-07-10"
    assert Consultation.objects.get().pk == consultation["id"]
    unknown = api.patch(
        f"{URL}{created['id']}/",
        {"consultations": [{**consultation, "id": consultation["id"] + 100}]},
        format="json",
    )
    assert unknown.status_code == 400
    assert unknown.json() == {
        "consultations": {
            "0": {"id": [f"该申请没有编号为 {consultation['id'] + 100} 的征求意见。"]}
        }
    }


def test_consultation_errors_are_reported_under_consultations(api, tree):
    response = api.post(
        URL,
        payload(
            consultations=[{"party": "某公司", "sent_on": "2025-09-01"}],
            new_applicant={"kind": "natural_person", "name": "王五"},
        ),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"consultations": ["征求意见开始日期不能早于收到申请日期。"]}
    # all or nothing: neither the request nor its new applicant is kept
    assert (InformationRequest.objects.count(), Applicant.objects.count()) == (0, 0)


def test_new_applicant_errors_are_nested(api, tree):
    response = api.post(
        URL,
        payload(new_applicant={"kind": "natural_person", "name": "x" * 201}),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["new_applicant"]
    assert list(response.json()["new_applicant"]) == ["name"]


# --- void ----------------------------------------------------------------------------------


def test_void_needs_a_reason(api, tree):
    own = RequestFactory(body=tree.county_a)
    response = api.post(f"{URL}{own.pk}/void/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["请填写作废原因。"]}
    own.refresh_from_db()
    assert own.voided_at is None


def test_void_marks_the_request_and_keeps_it(api, tree):
    own = RequestFactory(body=tree.county_a)
    response = api.post(f"{URL}{own.pk}/void/", {"reason": "重复登记"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "voided"
    assert response.json()["void_reason"] == "重复登记"
    own.refresh_from_db()
    assert own.voided_at is not None


# --- applicant identity --------------------------------------------------------------------


def test_applicant_identity_is_masked_for_a_viewer(viewer, tree):
    applicant = ApplicantFactory(name="张三", id_number="620101199001011237", contact="13800001111")
    own = RequestFactory(body=tree.county_a, applicant=applicant)
    data = client_for(viewer).get(f"{URL}{own.pk}/").json()["applicant"]
    assert data["name"] == "张*"
    assert data["id_number"] == "620101********1237"
    assert data["contact"] == "******"
    assert not ApplicantAccess.objects.exists()


def test_lists_mask_id_numbers_and_viewers_see_masked_names(viewer, api, tree):
    applicant = ApplicantFactory(name="欧阳娜娜", id_number="620101199001011237")
    RequestFactory(body=tree.county_a, applicant=applicant)
    [row] = client_for(viewer).get(URL).json()["results"]
    assert (row["applicant"]["name"], row["applicant"]["id_number"]) == (
        "欧***",
        "620101********1237",
    )
    [row] = api.get(URL).json()["results"]
    assert (row["applicant"]["name"], row["applicant"]["id_number"]) == (
        "欧阳娜娜",
        "620101********1237",
    )


def test_the_clerk_sees_the_applicant_in_full_and_the_opening_is_logged(editor, api, tree):
    applicant = ApplicantFactory(name="张三", id_number="620101199001011237", contact="13800001111")
    own = RequestFactory(body=tree.county_a, applicant=applicant)
    data = api.get(f"{URL}{own.pk}/").json()["applicant"]
    assert (data["name"], data["id_type"], data["id_number"], data["contact"]) == (
        "张三",
        "",
        "620101199001011237",
        "13800001111",
    )
    access = ApplicantAccess.objects.get()
    assert (access.user, access.applicant, access.request, access.page) == (
        editor,
        applicant,
        own,
        "api_request",
    )


def test_requests_of_one_applicant(api, tree):
    applicant = ApplicantFactory()
    RequestFactory(body=tree.county_a, applicant=applicant, reference="SAME-1")
    RequestFactory(body=tree.department_a, applicant=applicant, reference="SAME-2")
    RequestFactory(body=tree.county_b, applicant=applicant, reference="SIBLING")
    RequestFactory(body=tree.county_a, reference="OTHER")
    assert references(api.get(f"{URL}?applicant={applicant.pk}")) == ["SAME-1", "SAME-2"]


def test_session_writes_need_the_csrf_token(editor, tree):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF")
    assert InformationRequest.objects.count() == 0


def test_search_by_applicant_is_for_those_who_handle_the_request(viewer, api, tree):
    applicant = ApplicantFactory(name="张三", id_number="620101199001011237", contact="13909351234")
    RequestFactory(body=tree.county_a, applicant=applicant, reference="ZS")
    RequestFactory(body=tree.county_a, reference="OTHER")
    unpermitted = client_for(viewer)
    for term in ("张三", "620101199001011237", "0935123"):
        assert references(unpermitted.get(URL, {"search": term})) == []
        assert references(api.get(URL, {"search": term})) == ["ZS"]


def test_the_reference_is_not_written_by_the_client(api, tree):
    response = api.post(URL, payload(reference="MY-OWN"), format="json")
    assert response.status_code == 201
    assert response.json()["reference"] == "2025-0001"


def test_an_applicant_of_a_sibling_county_cannot_be_linked(api, tree):
    applicant = ApplicantFactory(name="李四")
    RequestFactory(body=tree.county_b, applicant=applicant)
    response = api.post(URL, payload(applicant_id=applicant.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["applicant_id"]
    assert InformationRequest.objects.filter(body=tree.county_a).count() == 0


def test_an_applicant_the_user_entered_can_be_linked_before_any_request_names_her(
    api, editor, tree
):
    # As in the admin (disclosure.access.applicants_visible_to): the API refused her before.
    entered = services.record_save(
        actor=editor,
        instance=Applicant(kind=ApplicantKind.NATURAL_PERSON, name="王五", id_number="123"),
    )
    response = api.post(URL, payload(applicant_id=entered.pk), format="json")
    assert response.status_code == 201, response.json()
    assert InformationRequest.objects.get(body=tree.county_a).applicant == entered


def test_an_unlinked_applicant_someone_else_entered_cannot_be_linked(api, superuser, tree):
    entered = services.record_save(
        actor=superuser,
        instance=Applicant(kind=ApplicantKind.NATURAL_PERSON, name="王五", id_number="123"),
    )
    response = api.post(URL, payload(applicant_id=entered.pk), format="json")
    assert response.status_code == 400
    assert response.json() == {"applicant_id": [f"不存在编号为 {entered.pk} 的申请人。"]}
    assert InformationRequest.objects.count() == 0


def test_a_new_applicant_is_registered_with_the_request(api, tree):
    response = api.post(
        URL,
        payload(new_applicant={"kind": "natural_person", "name": "王五", "id_number": "123"}),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["applicant"]["name"] == "王五"
    assert Applicant.objects.get(name="王五").id_type == "other"


def test_a_new_applicants_id_number_with_a_wrong_check_digit_is_refused(api, tree):
    response = api.post(
        URL,
        payload(
            new_applicant={
                "kind": "natural_person",
                "name": "王五",
                "id_number": "620101199001011234",
            }
        ),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "new_applicant": {
            "id_number": [
                "居民身份证号码“620101199001011234”的校验码不正确（按 GB 11643 第18位应为 7）。"
            ]
        }
    }
    assert not Applicant.objects.filter(name="王五").exists()
    assert InformationRequest.objects.count() == 0


# --- filters, search, ordering, pagination -------------------------------------------------


@pytest.fixture
def varied(tree):
    return {
        "open": RequestFactory(
            body=tree.county_a,
            reference="OPEN",
            received_on=datetime.date(2025, 10, 27),
            due_date=datetime.date(2025, 11, 24),
            channel=Channel.POST,
        ),
        "overdue": RequestFactory(
            body=tree.department_a,
            reference="LATE",
            received_on=datetime.date(2025, 9, 1),
            due_date=datetime.date(2025, 9, 29),
            applicant_kind=ApplicantKind.COMMERCIAL_ENTERPRISE,
        ),
        "concluded": RequestFactory(
            body=tree.county_a,
            reference="DONE",
            received_on=datetime.date(2024, 12, 20),
            due_date=datetime.date(2025, 1, 20),
            concluded_on=datetime.date(2025, 1, 10),
            result=Result.GRANTED,
        ),
        "correction": RequestFactory(
            body=tree.county_a,
            reference="CORR",
            received_on=datetime.date(2025, 11, 3),
            due_date=datetime.date(2025, 12, 1),
            correction_notice_on=datetime.date(2025, 11, 5),
        ),
    }


def references(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return sorted(item["reference"] for item in response.json()["results"])


@time_machine.travel(datetime.datetime(2025, 11, 10, 9, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["OPEN"]),
        ("status=overdue", ["LATE"]),
        ("status=concluded", ["DONE"]),
        ("status=awaiting_correction", ["CORR"]),
        ("overdue=true", ["LATE"]),
        ("overdue=false", ["CORR", "DONE", "OPEN"]),
        ("year=2024", ["DONE"]),
        ("year=2025", ["CORR", "LATE", "OPEN"]),
        ("applicant_kind=commercial_enterprise", ["LATE"]),
        ("result=granted", ["DONE"]),
        ("channel=post", ["OPEN"]),
        ("received_from=2025-10-01&received_to=2025-10-31", ["OPEN"]),
        ("body=county-a-edu", ["LATE"]),
        ("body=county-a", ["CORR", "DONE", "LATE", "OPEN"]),
        ("body=county-b", []),
        ("search=CORR", ["CORR"]),
    ],
)
def test_filters(api, varied, query, expected):
    assert references(api.get(f"{URL}?{query}")) == expected


@time_machine.travel(datetime.datetime(2025, 11, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_status_filter_agrees_with_the_status_of_each_request(api, varied):
    for item in api.get(URL).json()["results"]:
        assert item["reference"] in references(api.get(f"{URL}?status={item['status']}"))


def test_bad_filter_values_are_400_in_chinese(api, tree):
    response = api.get(f"{URL}?received_from=yesterday&status=lost&concluded_to=2025-02-30")
    assert response.status_code == 400
    assert set(response.json()) == {"received_from", "status", "concluded_to"}
    assert response.json()["received_from"] == [
        "“yesterday”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"
    ]
    assert response.json()["concluded_to"] == ["“2025-02-30”不是有效日期。"]


def test_ordering_by_due_date(api, varied):
    response = api.get(f"{URL}?ordering=due_date")
    assert [item["reference"] for item in response.json()["results"]] == [
        "DONE",
        "LATE",
        "OPEN",
        "CORR",
    ]


def test_page_size(api, varied):
    data = api.get(f"{URL}?page_size=3").json()
    assert (data["count"], len(data["results"])) == (4, 3)
    assert data["next"].endswith("page=2&page_size=3")


def test_list_query_count_does_not_grow_with_rows(api, tree, django_assert_num_queries):
    applicant = ApplicantFactory()
    for _ in range(5):
        RequestFactory(body=tree.county_a, applicant=applicant)
    # memberships, count, page, consultations, the bodies where the user sees applicants in
    # clear (read once, whatever the number of rows), and the audit row of a page with
    # identities in clear (its savepoint, content type, insert and release)
    ContentType.objects.clear_cache()
    with django_assert_num_queries(10):
        assert api.get(URL).status_code == 200
