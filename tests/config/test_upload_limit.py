"""No request body over UPLOAD_MAX_MB is read (config.middleware.RequestBodyLimitMiddleware):
Django would spool any upload to a temporary file, however large, before a form could
refuse it."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.importing import limits
from disclosure.models import AuditEntry, InformationRequest
from disclosure.validators import ATTACHMENT_MAX_MB
from reports.admin_reading import MAX_UPLOAD_BYTES as REPORT_FILE_BYTES
from reports.batch import MAX_ZIP_BYTES
from tests.disclosure.admin_helpers import county_world
from tests.disclosure.import_helpers import REQUEST_HEADER, xlsx

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
IMPORT = "/admin/disclosure/import/"


@pytest.fixture
def clerk_client(client):
    client.force_login(county_world().clerk)
    return client


def test_a_body_over_the_limit_is_refused_before_any_of_it_is_read(clerk_client):
    # The body holds a few bytes but declares 211 MB: were it read, the test client would
    # fail reading past its end.
    response = clerk_client.post(
        IMPORT,
        data=b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(211 * MB),
    )

    page = response.content.decode()
    assert response.status_code == 413
    assert "<h1>上传的内容过大（413）</h1>" in page
    assert "提交的内容约 211.0 MB，超过了单次上传 210 MB 的上限，未被接收。" in page
    assert '<a href="/">返回首页</a>' in page


def test_the_api_answers_the_limit_in_json(client):
    response = client.post(
        "/api/requests/",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(300 * MB),
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "提交的内容约 300.0 MB，超过了单次上传 210 MB 的上限，未被接收。"
    }


def test_a_file_under_the_limit_reaches_its_form_and_one_over_it_does_not(clerk_client, settings):
    settings.UPLOAD_MAX_MB = 1
    workbook = xlsx({"申请": [REQUEST_HEADER]})
    small = clerk_client.post(IMPORT, {"file": SimpleUploadedFile("台账.xlsx", workbook)})
    before = InformationRequest.objects.count(), AuditEntry.objects.count()
    large = clerk_client.post(
        IMPORT, {"file": SimpleUploadedFile("台账.xlsx", workbook + b"\0" * (2 * MB))}
    )

    assert small.status_code in (200, 302)
    assert large.status_code == 413
    assert "超过了单次上传 1 MB 的上限" in large.content.decode()
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("form", "cap"),
    [
        ("导入台账", limits.MAX_FILE_BYTES),
        ("读取报告", REPORT_FILE_BYTES),
        ("批量评查", MAX_ZIP_BYTES),
        ("申请的附件", ATTACHMENT_MAX_MB * MB),
    ],
)
def test_every_form_takes_its_largest_file_under_the_default_limit(form, cap):
    # The form's other fields and the multipart framing take well under a megabyte.
    assert cap + MB <= django_settings.UPLOAD_MAX_MB * MB, form
