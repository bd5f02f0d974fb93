"""The letters in the staff API: draft, issue, serve and download, scoped to the user's
bodies (404 outside them), refusals as 400/403 with the services' Chinese messages."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from disclosure.letters.models import Letter, LetterSettings
from disclosure.letters.vocab import LetterState
from disclosure.vocab import Result
from tests.letters.world import PREFIX, add_facts, concluded, docx_text, make_world, pdf_text

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def request_(world):
    request = concluded(world.body, Result.GRANTED)
    add_facts(request, provision_method="随本告知书附送复印件")
    return request


def url(request, *parts) -> str:
    return "/".join([f"/api/v1/requests/{request.pk}/letters", *map(str, parts), ""])


def test_a_clerk_drafts_a_publisher_issues_and_the_clerk_records_service(world, request_):
    clerk, publisher = client_for(world.clerk), client_for(world.publisher)
    drafted = clerk.post(url(request_), {"kind": "reply", "format": "docx"}, format="json")
    assert drafted.status_code == 201
    body = drafted.json()
    assert (body["kind"], body["state"], body["number"], body["blanks"]) == (
        "reply",
        "draft",
        "",
        [],
    )
    assert body["template_version"] == 1 and body["template_body"] is None
    word = clerk.get(body["downloads"]["docx"])
    assert word.status_code == 200
    assert "草稿" in docx_text(word.content)

    refused = clerk.post(url(request_, body["id"], "issue"))
    assert refused.status_code == 403
    issued = publisher.post(url(request_, body["id"], "issue"))
    assert issued.status_code == 200
    number = f"{PREFIX}〔{timezone.localdate().year}〕1号"
    assert (issued.json()["state"], issued.json()["number"]) == ("issued", number)
    pdf = clerk.get(issued.json()["downloads"]["pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    assert number in pdf_text(pdf.content)
    assert "filename*=UTF-8''" in pdf["Content-Disposition"]

    served = clerk.post(
        url(request_, body["id"], "serve"),
        {
            "served_on": timezone.localdate().isoformat(),
            "service_method": "in_person",
            "receiver": "张三丰",
        },
        format="json",
    )
    assert served.status_code == 200
    assert served.json()["state"] == "served"
    listed = clerk.get(url(request_)).json()
    assert [(item["id"], item["state"]) for item in listed] == [(body["id"], "served")]


def test_issuing_without_review_authority_answers_400_naming_it(world, request_):
    LetterSettings.objects.filter(body=world.body).update(review_authority="")
    letter = client_for(world.clerk).post(url(request_), {"kind": "reply"}, format="json").json()
    response = client_for(world.publisher).post(url(request_, letter["id"], "issue"))
    assert response.status_code == 400
    assert "行政复议机关" in response.json()["non_field_errors"][1]
    assert Letter.objects.get().state == LetterState.DRAFT


def test_letters_of_another_bodys_request_are_not_found(world, request_):
    outsider = client_for(world.outsider)
    assert outsider.post(url(request_), {"kind": "reply"}, format="json").status_code == 404
    letter = client_for(world.clerk).post(url(request_), {"kind": "reply"}, format="json").json()
    for response in (
        outsider.get(url(request_)),
        outsider.get(url(request_, letter["id"])),
        outsider.get(url(request_, letter["id"], "download", "pdf")),
        outsider.post(url(request_, letter["id"], "issue")),
    ):
        assert response.status_code == 404
    assert Letter.objects.get().state == LetterState.DRAFT


def test_a_bad_kind_or_an_unconcluded_reply_answers_400(world):
    from tests.letters.world import make_request

    request = make_request(world.body)
    clerk = client_for(world.clerk)
    response = clerk.post(url(request), {"kind": "memo"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = clerk.post(url(request), {"kind": "reply"}, format="json")
    assert response.status_code == 400
    assert response.json()["kind"] == [
        "申请尚未办结（未填写办结日期和办理结果），不能起草答复告知书。"
    ]
    assert not Letter.objects.exists()


def test_service_before_issue_is_refused(world, request_):
    letter = client_for(world.clerk).post(url(request_), {"kind": "reply"}, format="json").json()
    response = client_for(world.clerk).post(
        url(request_, letter["id"], "serve"),
        {"served_on": "2026-03-25", "service_method": "email", "receiver": "张三丰"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["文书签发后才能登记送达。"]}
    assert Letter.objects.get().state == LetterState.DRAFT


def test_the_letter_list_reads_in_a_fixed_number_of_queries(
    world, request_, django_assert_max_num_queries
):
    clerk = client_for(world.clerk)
    for kind in ("receipt", "reply", "reply"):
        clerk.post(url(request_), {"kind": kind, "format": "docx"}, format="json")
    with django_assert_max_num_queries(4):
        response = clerk.get(url(request_))
    assert [item["kind"] for item in response.json()] == ["receipt", "reply", "reply"]


def test_the_letter_facts_are_kept_through_the_api_and_used_by_the_draft(world):
    request = concluded(world.body, Result.REJECTED_DUPLICATE)
    clerk = client_for(world.clerk)
    facts_url = f"/api/v1/requests/{request.pk}/letter-facts/"
    assert clerk.get(facts_url).json()["earlier_reply_number"] == ""
    response = clerk.patch(
        facts_url, {"earlier_reply_number": "凉教信告〔2026〕3号"}, format="json"
    )
    assert response.status_code == 200
    drafted = clerk.post(
        url(request),
        {"kind": "reply", "facts": {"provision_method": "当场提供"}},
        format="json",
    ).json()
    assert drafted["blanks"] == []
    pdf = clerk.get(drafted["downloads"]["pdf"])
    assert "本机关已作出答复（凉教信告〔2026〕3号）" in pdf_text(pdf.content)
    assert client_for(world.outsider).get(facts_url).status_code == 404
    refused = client_for(world.outsider).patch(facts_url, {"petition_channel": "x"}, format="json")
    assert refused.status_code == 404


def test_ids_beyond_the_databases_integers_are_not_found(world, request_):
    huge = 2**80
    clerk = client_for(world.clerk)
    assert clerk.post(f"/api/v1/requests/{huge}/letters/1/issue/").status_code == 404
    assert clerk.get(f"/api/v1/requests/{request_.pk}/letters/{huge}/").status_code == 404
