"""The admin pages of reading a published report (``reports.admin_reading``): upload, the
review page with marked cells, corrections, confirmation, and who may do what."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import ReadingStatus, Report, ReportReading, ReportStatus
from reports.reading.services import reading_confirm, reading_create
from reports.services import report_draft_for
from tests.reports.publishing import make_world
from tests.reports.reading.data import seed_text

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:reports_reportreading_add")


@pytest.fixture
def world():
    return make_world()


def damaged_seed() -> bytes:
    return seed_text().replace("行政强制\t「政强制 1129", "行政强制\t—").encode()


def stored(world, content: bytes | None = None) -> ReportReading:
    return reading_create(
        actor=world.publisher,
        body=world.county,
        year=2023,
        file_name="wuwei-2023.txt",
        content=content or damaged_seed(),
    )


def review_url(reading) -> str:
    return reverse("admin:reports_reportreading_change", args=[reading.pk])


def marks(html: str) -> dict[str, int]:
    found = re.findall(r'class="reading-cell mark-(\w+)"', html)
    return {mark: found.count(mark) for mark in sorted(set(found))}


def test_a_publisher_uploads_a_file_and_lands_on_its_review(client, world):
    client.force_login(world.publisher)
    page = client.get(ADD_URL)
    assert page.status_code == 200
    assert list(page.context["form"].fields["body"].queryset) == [
        world.county,
        world.education,
        world.town,
    ]
    upload = SimpleUploadedFile("wuwei-2023.txt", damaged_seed(), content_type="text/plain")
    response = client.post(ADD_URL, {"body": world.county.pk, "year": 2023, "file": upload})
    reading = ReportReading.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review_url(reading)


def test_the_review_shows_the_source_beside_the_tables_with_the_cells_marked(client, world):
    reading = stored(world)
    client.force_login(world.publisher)
    response = client.get(review_url(reading))
    html = response.content.decode()
    assert marks(html) == {"printed": 197, "repaired": 2, "unresolved": 1}
    assert "省政府信息公开办:" in response.context["reading"].source_text
    assert 'id="reading-source-text"' in html
    assert 'name="cell:proactive:enforcement:decisions" value=""' in html
    assert "文件标题中的机构名称是“武威市”，与所选机构“测试县人民政府”不同" in html
    assert (response.context["errors_count"], response.context["warnings_count"]) == (1, 3)
    assert 'value="confirm"' in html


# Session and user (2), the visible rows (3), the reading (1), its body's roles (4), last
# year's document and this year's report (2), and the admin's own chrome: permissions and
# the sidebar's modules (8), the session's two-factor check (1). Nothing grows with the size
# of the file or of the database.
QUERIES_ON_REVIEW_PAGE = 21


def test_the_review_page_runs_a_bounded_number_of_queries(client, world, django_assert_num_queries):
    reading = stored(world)
    client.force_login(world.publisher)
    with django_assert_num_queries(QUERIES_ON_REVIEW_PAGE):
        assert client.get(review_url(reading)).status_code == 200


def test_an_unreadable_upload_says_why_and_stores_nothing(client, world):
    from PIL import Image

    scan = io.BytesIO()
    Image.new("RGB", (100, 100)).save(scan, "PDF")
    client.force_login(world.publisher)
    upload = SimpleUploadedFile("scan.pdf", scan.getvalue(), content_type="application/pdf")
    response = client.post(ADD_URL, {"body": world.county.pk, "year": 2023, "file": upload})
    assert response.status_code == 200
    assert "没有文字层" in response.context["form"].errors["file"][0]
    assert ReportReading.objects.count() == 0


def test_a_correction_is_saved_and_a_bad_value_names_its_cell(client, world):
    reading = stored(world)
    client.force_login(world.publisher)
    response = client.post(
        review_url(reading),
        {"action": "correct", "cell:proactive:enforcement:decisions": "abc"},
    )
    assert response.status_code == 200
    assert response.context["correction_errors"] == [
        "行政强制·本年处理决定数量：“abc”不是有效的数字。"
    ]
    reading.refresh_from_db()
    assert reading.corrections == []
    response = client.post(
        review_url(reading),
        {"action": "correct", "cell:proactive:enforcement:decisions": "1,129"},
    )
    assert response.status_code == 302
    reading.refresh_from_db()
    assert [(c["old"], c["new"]) for c in reading.corrections] == [(None, 1129)]
    html = client.get(review_url(reading)).content.decode()
    assert marks(html) == {"corrected": 1, "printed": 197, "repaired": 2}


def test_confirming_imports_and_opens_the_report(client, world):
    reading = stored(world)
    client.force_login(world.publisher)
    response = client.post(review_url(reading), {"action": "confirm"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reports_report_change", args=[report.pk])
    assert report.status == ReportStatus.IMPORTED
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已导入为测试县人民政府 2023 年年度报告。"
    ]


def test_replacing_an_import_asks_a_second_time(client, world):
    first = reading_confirm(actor=world.publisher, reading=stored(world, seed_text().encode()))
    reading = stored(world)
    client.force_login(world.publisher)
    response = client.post(review_url(reading), {"action": "confirm"})
    assert response.status_code == 200
    assert response.context["replace"] == first
    assert "将被本次读取的报告替换" in response.content.decode()
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.PENDING
    response = client.post(review_url(reading), {"action": "replace"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.imported_document["proactive"]["enforcement"]["decisions"] is None


def test_a_report_of_the_product_blocks_the_confirmation(client, world):
    report_draft_for(actor=world.publisher, body=world.county, year=2023, scope="all")
    reading = stored(world)
    client.force_login(world.publisher)
    html = client.get(review_url(reading)).content.decode()
    assert "读取的报告不能替换它" in html
    assert 'value="confirm"' not in html
    response = client.post(review_url(reading), {"action": "replace"})
    assert response.status_code == 302
    assert "不能导入" in [str(m) for m in get_messages(response.wsgi_request)][0]
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.PENDING
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_a_viewer_sees_the_review_without_inputs_and_cannot_post(client, world):
    reading = stored(world)
    client.force_login(world.viewer)
    html = client.get(review_url(reading)).content.decode()
    assert '<input type="text"' not in html
    assert 'value="confirm"' not in html
    assert client.post(review_url(reading), {"action": "confirm"}).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.PENDING


def test_another_bodys_publisher_sees_nothing(client, world):
    reading = stored(world)
    client.force_login(world.outsider)
    assert client.get(review_url(reading)).status_code == 404
    assert client.post(review_url(reading), {"action": "confirm"}).status_code == 404
    source = reverse("admin:reports_reportreading_source", args=[reading.pk])
    assert client.get(source).status_code == 404
    listing = client.get(reverse("admin:reports_reportreading_changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_the_original_file_is_downloaded_as_uploaded(client, world):
    reading = stored(world)
    client.force_login(world.viewer)
    response = client.get(reverse("admin:reports_reportreading_source", args=[reading.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == damaged_seed()
    assert "wuwei-2023.txt" in response["Content-Disposition"]
