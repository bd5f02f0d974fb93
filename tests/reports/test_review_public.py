"""Review: what is NOT public (issue 6: "Drafts and unpublished corrections are not reachable
publicly (404)") — every download format, not only the page and the JSON, and an imported
earlier year, which has no published version of the product's own."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from reports.importing import report_import
from reports.models import Report, ReportStatus
from tests.factories import BodyFactory
from tests.reports.public_data import build_site, seed_document

pytestmark = pytest.mark.django_db

FORMATS = ("pdf", "docx", "xlsx", "csv", "json")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site():
    return build_site()


@pytest.mark.parametrize("kind", FORMATS)
def test_a_draft_has_no_public_download_in_any_format(client, site, kind):
    assert client.get(f"/reports/wuwei-jyj/2023.{kind}").status_code == 404
    assert client.get(f"/reports/wuwei-jyj/2023/v1.{kind}").status_code == 404
    assert Report.objects.get(pk=site.draft_2023.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("kind", FORMATS)
def test_an_unpublished_correction_has_no_public_download_in_any_format(client, site, kind):
    assert client.get(f"/reports/wuwei/2023/v3.{kind}").status_code == 404
    # The latest published version stays served while the correction is drafted (this site
    # stores no PDF, so the PDF of v2 is absent too).
    assert client.get(f"/reports/wuwei/2023/v2.{kind}").status_code == (
        404 if kind == "pdf" else 200
    )


def test_the_draft_version_page_is_404(client, site):
    assert client.get("/reports/wuwei-jyj/2023/v1/").status_code == 404


def test_an_imported_year_without_a_version_is_not_public(client, site):
    BodyFactory(code="gulang", name="古浪县人民政府", parent=site.city)
    report = report_import(actor=None, document=seed_document() | {"body": "gulang"})
    assert report.status == ReportStatus.IMPORTED
    assert client.get("/reports/gulang/2023/").status_code == 404
    assert client.get("/reports/gulang/2023.json").status_code == 404
    assert client.get("/reports/gulang/").status_code == 404
    assert "古浪县" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/reports/wuwei/99999999999999999999/",
        "/reports/wuwei/99999999999999999999.json",
        "/reports/wuwei/2023/v99999999999999999999/",
        "/reports/wuwei/2023/v99999999999999999999.csv",
    ],
)
def test_a_year_or_version_past_any_column_is_404(client, site, url):
    assert client.get(url).status_code == 404
