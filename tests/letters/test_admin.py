"""The letters in the admin: on the request's page, drafting with the request's letter
facts, issuing (refused while something is missing, naming it), service, downloads, and the
body's settings, rules and templates kept by its publishers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from disclosure.letters import services
from disclosure.letters.models import (
    Letter,
    LetterSettings,
    LetterTemplate,
    RequestLetterFacts,
    ResultRule,
)
from disclosure.letters.vocab import LetterKind, LetterState
from disclosure.vocab import Result
from tests.letters.world import PREFIX, concluded, make_world, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_the_request_page_lists_its_letters_and_links_to_drafting(client, world):
    request = concluded(world.body, Result.GRANTED)
    letter = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.RECEIPT)
    client.force_login(world.clerk)
    page = client.get(f"/admin/disclosure/informationrequest/{request.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"/admin/letters/letter/draft/{request.pk}/" in text and "起草文书" in text
    assert f"/admin/letters/letter/{letter.pk}/download/pdf/" in text
    assert "受理回执" in text and "草稿" in text


def test_drafting_saves_the_letter_facts_and_opens_the_draft(client, world):
    request = concluded(world.body, Result.REJECTED_PETITION)
    client.force_login(world.clerk)
    form = client.get(f"/admin/letters/letter/draft/{request.pk}/")
    assert form.status_code == 200 and "信访举报投诉渠道" in form.content.decode()
    response = client.post(
        f"/admin/letters/letter/draft/{request.pk}/",
        {"kind": "reply", "format": "pdf", "facts-petition_channel": "武威市凉州区信访局"},
    )
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/letters/letter/{letter.pk}/change/"
    assert RequestLetterFacts.objects.get().petition_channel == "武威市凉州区信访局"
    page = client.get(response["Location"]).content.decode()
    assert "可以通过武威市凉州区信访局反映" in page
    assert "/issue/" not in page  # a clerk does not issue


def test_issuing_in_the_admin_names_what_is_missing_then_issues(client, world):
    LetterSettings.objects.filter(body=world.body).update(court="")
    request = concluded(world.body, Result.UNABLE_NEEDS_CREATION)
    draft = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)
    client.force_login(world.publisher)
    page = client.get(f"/admin/letters/letter/{draft.pk}/issue/").content.decode()
    assert "文书中仍有待填写事项：管辖人民法院。" in page
    assert 'id="letter-issue-form"' not in page
    client.post(f"/admin/letters/letter/{draft.pk}/issue/")
    draft.refresh_from_db()
    assert draft.state == LetterState.DRAFT

    LetterSettings.objects.filter(body=world.body).update(court="武威市凉州区人民法院")
    again = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)
    response = client.post(f"/admin/letters/letter/{again.pk}/issue/")
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.number == f"{PREFIX}〔{timezone.localdate().year}〕1号"
    pdf = client.get(f"/admin/letters/letter/{again.pk}/download/pdf/")
    assert again.number in pdf_text(pdf.content)


def test_service_is_recorded_in_the_admin(client, world):
    request = concluded(world.body, Result.UNABLE_NEEDS_CREATION)
    letter = services.letter_issue(
        actor=world.publisher,
        letter=services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY),
    )
    client.force_login(world.clerk)
    url = f"/admin/letters/letter/{letter.pk}/serve/"
    refused = client.post(
        url,
        {
            "served_on": timezone.localdate().isoformat(),
            "service_method": "post",
            "receiver": "张三丰",
        },
    )
    assert "邮寄送达须填写邮件单号。" in refused.content.decode()
    client.post(
        url,
        {
            "served_on": timezone.localdate().isoformat(),
            "service_method": "post",
            "tracking_number": "EMS99",
            "receiver": "张三丰",
        },
    )
    letter.refresh_from_db()
    assert (letter.state, letter.tracking_number) == (LetterState.SERVED, "EMS99")


def test_letters_of_other_bodies_are_not_found(client, world):
    request = concluded(world.body, Result.GRANTED)
    letter = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.RECEIPT)
    client.force_login(world.outsider)
    assert client.get(f"/admin/letters/letter/{letter.pk}/download/pdf/").status_code == 404
    assert client.get(f"/admin/letters/letter/{letter.pk}/issue/").status_code == 404
    assert client.get(f"/admin/letters/letter/draft/{request.pk}/").status_code == 404


def test_a_publisher_keeps_the_settings_rules_and_templates(client, world):
    client.force_login(world.publisher)
    response = client.post(
        f"/admin/letters/lettersettings/{world.body.pk}/change/",
        {
            "letterhead": "",
            "letter_prefix": "凉教 信告〔",
            "review_authority": "武威市凉州区人民政府",
            "court": "武威市凉州区人民法院",
            "contact": "",
        },
    )
    assert "文书文号前缀只写机关简称和文书类别" in response.content.decode()
    assert LetterSettings.objects.get().letter_prefix == PREFIX

    response = client.post(
        "/admin/letters/resultrule/add/",
        {
            "body": world.body.pk,
            "result": Result.DENIED_STATE_SECRET,
            "basis": "",
            "remedies": "可以在六个月内向{court}起诉，或向{review_authority}申请复议。",
        },
    )
    assert "应当先申请行政复议" in response.content.decode()
    assert not ResultRule.objects.exists()

    national = LetterTemplate.objects.get(body=None, kind=LetterKind.RECEIPT)
    response = client.post(
        "/admin/letters/lettertemplate/add/",
        {
            "body": world.body.pk,
            "kind": LetterKind.RECEIPT,
            "title": national.title,
            "text": national.text + "\n{contact}",
        },
    )
    assert response.status_code == 302
    own = LetterTemplate.objects.get(body=world.body)
    response = client.post(
        f"/admin/letters/lettertemplate/{own.pk}/change/",
        {"title": own.title, "text": own.text.replace("{contact}", "{nonsense}")},
    )
    assert "未知的占位符：{nonsense}" in response.content.decode()
    client.post(
        f"/admin/letters/lettertemplate/{own.pk}/change/",
        {"title": "受理回执", "text": own.text},
    )
    assert list(LetterTemplate.objects.filter(body=world.body).values_list("version", "title")) == [
        (2, "受理回执"),
        (1, national.title),
    ]
    # A clerk sees the templates but may not change the national default.
    client.force_login(world.clerk)
    assert client.get(f"/admin/letters/lettertemplate/{national.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/letters/lettertemplate/{national.pk}/change/",
        {"title": "x", "text": "{basis}"},
    )
    assert response.status_code == 403


def test_the_county_template_a_department_inherits_is_listed_to_it_read_only(client, world):
    county = world.body.parent
    national = LetterTemplate.objects.get(body=None, kind=LetterKind.REPLY)
    county_template = services.template_save(
        actor=None, body=county, kind=LetterKind.REPLY, title="凉州区答复书", text=national.text
    )
    services.template_save(
        actor=None, body=world.other, kind=LetterKind.REPLY, title="他县答复书", text=national.text
    )
    client.force_login(world.publisher)
    listed = client.get("/admin/letters/lettertemplate/?kind=reply").content.decode()
    assert "凉州区答复书" in listed and "他县答复书" not in listed
    page = f"/admin/letters/lettertemplate/{county_template.pk}/change/"
    assert client.get(page).status_code == 200
    response = client.post(page, {"title": "改写", "text": national.text})
    assert response.status_code == 403
    assert LetterTemplate.objects.filter(body=county).count() == 1
