"""Attachments carry applicants' data: only staff who can see the request may download them."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from disclosure.models import Attachment
from disclosure.vocab import AttachmentKind
from tests.disclosure.admin_helpers import county_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = county_world()
    for request, content in ((world.request_a, b"reply A"), (world.request_b, b"reply B")):
        attachment = Attachment(request=request, kind=AttachmentKind.REPLY)
        attachment.file.save("答复书.pdf", ContentFile(content), save=True)
    return world


def url_of(request) -> str:
    return Attachment.objects.get(request=request).file.url


def test_a_clerk_downloads_an_attachment_of_a_request_they_can_see(client, world):
    client.force_login(world.clerk)
    response = client.get(url_of(world.request_a))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"reply A"
    assert "attachment" in response["Content-Disposition"]


def test_a_sibling_countys_attachment_is_not_found(client, world):
    client.force_login(world.clerk)
    assert client.get(url_of(world.request_b)).status_code == 404


def test_the_public_cannot_download_attachments(client, world):
    response = client.get(url_of(world.request_a))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
