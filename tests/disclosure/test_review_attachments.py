"""Review: attachments (补正告知书, 答复书 …) are kept as files on the request, entered in the
admin's request form, with an audit row (issue 3: "attachments … as files"; nothing tested
them)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Attachment, AuditEntry, InformationRequest
from disclosure.vocab import ApplicantKind, AttachmentKind, Channel
from tests.disclosure.admin_helpers import county_world

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/disclosure/informationrequest/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form(world, *, attachments: int) -> dict:
    data = {
        "body": str(world.department_a.pk),
        "applicant": str(world.applicant_a.pk),
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "channel": Channel.INTERNET,
        "received_on": "2025-09-30",
        "content": "申请公开2024年财政预算",
    }
    for prefix, total in (("consultations", 0), ("attachments", attachments)):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def test_an_attachment_uploaded_with_a_new_request_is_kept_and_audited(client):
    world = county_world()
    client.force_login(world.clerk)
    data = form(world, attachments=1) | {
        "attachments-0-kind": AttachmentKind.choices[0][0],
        "attachments-0-file": SimpleUploadedFile("答复书.pdf", b"%PDF-1.7 reply"),
    }
    response = client.post(f"{REQUESTS}add/", data)
    assert response.status_code == 302
    created = InformationRequest.objects.get(content="申请公开2024年财政预算")
    [attachment] = Attachment.objects.filter(request=created)
    assert attachment.kind == AttachmentKind.choices[0][0]
    assert attachment.file.name == (f"attachments/{world.department_a.pk}/{created.pk}/答复书.pdf")
    assert attachment.file.read() == b"%PDF-1.7 reply"
    assert (
        AuditEntry.objects.filter(
            content_type__model="attachment", object_id=str(attachment.pk), action="create"
        ).count()
        == 1
    )


def test_a_sibling_countys_request_takes_no_attachment(client):
    world = county_world()
    client.force_login(world.clerk)
    data = form(world, attachments=1) | {
        "body": str(world.county_b.pk),
        "attachments-0-kind": AttachmentKind.choices[0][0],
        "attachments-0-file": SimpleUploadedFile("答复书.pdf", b"%PDF-1.7 reply"),
    }
    response = client.post(f"{REQUESTS}{world.request_b.pk}/change/", data)
    assert response.status_code == 302  # the admin's redirect for an object it hides
    assert Attachment.objects.count() == 0
    assert AuditEntry.objects.filter(content_type__model="attachment").count() == 0
