from __future__ import annotations

import csv
import datetime
import io
import json
import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from disclosure.models import Applicant, InformationRequest
from disclosure.vocab import ApplicantKind, Result
from reports.exports.pdf import render_pdf
from reports.importing import report_import
from reports.models import Report, ReportStatus
from reports.services import report_draft_for, report_publish, report_save
from tests.factories import BodyFactory, RequestFactory
from tests.reports.public_data import build_site, publish, seed_document
from tests.reports.publishing import CONSISTENT_OVERVIEW, OTHER_MATTERS, PROBLEMS, make_world

pytestmark = pytest.mark.django_db

DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    """One real PDF of the seed (rendered once: the tests only need a stored file)."""
    return render_pdf(seed_document())


@pytest.fixture
def site(pdf_bytes):
    return build_site(pdf=pdf_bytes)


def text_of(response) -> str:
    return response.content.decode()


# --- listing, search, browsing --------------------------------------------------------


def test_home_lists_latest_published_reports_newest_year_first(client, site):
    page = text_of(client.get("/"))
    city_2023 = page.index("武威市人民政府2023年政府信息公开工作年度报告")
    county_2023 = page.index("凉州区人民政府2023年政府信息公开工作年度报告")
    city_2022 = page.index("武威市人民政府2022年政府信息公开工作年度报告")
    assert city_2023 < county_2023 < city_2022
    assert page.count("武威市人民政府2023年政府信息公开工作年度报告") == 1
    assert "/reports/wuwei/2023/" in page


def test_home_leaves_out_reports_without_a_published_version(client, site):
    page = text_of(client.get("/"))
    assert "武威市教育局" not in page
    assert "民勤县人民政府" not in page


def test_search_by_body_name(client, site):
    page = text_of(client.get("/", {"q": "凉州"}))
    assert "凉州区人民政府2023年政府信息公开工作年度报告" in page
    assert "武威市人民政府2023年政府信息公开工作年度报告" not in page


def test_years_are_offered_as_links(client, site):
    page = text_of(client.get("/", {"body": "wuwei"}))
    assert '<a href="?year=2023&amp;body=wuwei">2023</a>' in page
    assert '<a href="?year=2022&amp;body=wuwei">2022</a>' in page


def test_filter_by_year(client, site):
    page = text_of(client.get("/", {"year": "2022"}))
    assert "武威市人民政府2022年政府信息公开工作年度报告" in page
    assert "2023年政府信息公开工作年度报告" not in page


def test_browse_body_tree_shows_the_subtree_and_children_with_reports(client, site):
    page = text_of(client.get("/", {"body": "wuwei"}))
    assert "<h3>下级人民政府</h3>" in page
    assert 'href="?body=liangzhou"' in page
    assert 'href="?body=wuwei-jyj"' not in page
    county_page = text_of(client.get("/", {"body": "liangzhou"}))
    assert "凉州区人民政府2023年政府信息公开工作年度报告" in county_page
    assert "武威市人民政府2023年政府信息公开工作年度报告" not in county_page


def test_browse_a_body_whose_reports_are_all_below_it_has_no_body_page_link(client, site):
    site.city_2023.versions.all().delete()
    site.city_2022.versions.all().delete()
    page = text_of(client.get("/", {"body": "wuwei"}))
    assert "凉州区人民政府2023年政府信息公开工作年度报告" in page
    assert 'href="/reports/wuwei/"' not in page
    assert client.get("/reports/wuwei/").status_code == 404


def test_browse_a_body_without_published_reports_is_404(client, site):
    assert client.get("/", {"body": "wuwei-jyj"}).status_code == 404


def test_bad_year_is_a_400_with_a_message(client, site):
    response = client.get("/", {"year": "abc"})
    assert response.status_code == 400
    assert "查询条件有误" in text_of(response)


def test_home_query_count_is_pinned(client, site, django_assert_num_queries):
    # years, count, page, children
    with django_assert_num_queries(4):
        client.get("/")


# --- report and version pages ---------------------------------------------------------


def test_report_url_shows_the_latest_version(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    assert "<h1>武威市人民政府2023年政府信息公开工作年度报告</h1>" in page
    assert "第 2 版" in page
    assert "占63.8%" in page
    assert "更正总体情况中予以公开及部分公开的占比。" in page
    assert "本页为历史版本" not in page


def test_version_url_shows_that_version_with_a_pointer_to_the_latest(client, site):
    page = text_of(client.get("/reports/wuwei/2023/v1/"))
    assert "占63.9%" in page
    assert "本页为历史版本" in page
    assert 'href="/reports/wuwei/2023/v2/"' in page


def test_draft_report_is_404(client, site):
    assert client.get("/reports/wuwei-jyj/2023/").status_code == 404
    assert client.get("/reports/wuwei-jyj/2023.json").status_code == 404
    assert client.get("/reports/wuwei-jyj/").status_code == 404


def test_unpublished_correction_is_404(client, site):
    assert client.get("/reports/wuwei/2023/v3/").status_code == 404
    assert client.get("/reports/wuwei/2023/v3.json").status_code == 404
    assert client.get("/reports/wuwei/2023/v3.pdf").status_code == 404


def test_unknown_year_and_body_are_404(client, site):
    assert client.get("/reports/wuwei/2024/").status_code == 404
    assert client.get("/reports/nobody/2023/").status_code == 404


def test_report_page_has_title_opening_and_the_six_sections_in_order(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    headings = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    positions = [
        page.index(f'<h2 id="heading-{key}">{heading}</h2>')
        for key, heading in zip(
            ["overview", "proactive", "requests", "appeals", "problems", "other_matters"],
            headings,
            strict=True,
        )
    ]
    assert positions == sorted(positions)
    assert (
        page.index("本报告所列数据的统计期限为 2023 年 1 月 1 日至 2023 年 12 月 31 日")
        < positions[0]
    )


def test_report_page_prints_the_tables_figures(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    for figure in ("421808", "351867", "1129", "22910", "259", "255", "164", "260"):
        assert re.search(rf">\s*{figure}\s*<", page), figure
    assert "<th" in page and 'scope="col"' in page


def test_report_page_draws_charts_as_inline_svg_without_script(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert 'role="img" aria-label="办理结果分组（件）"' in page
    assert "<script" not in page
    assert "https://" not in page.replace("https://www.gswuwei.gov.cn", "")


def test_report_page_lists_version_history_with_change_notes(client, site):
    page = text_of(client.get("/reports/wuwei/2023/v2/"))
    history = page[page.index('id="versions"') :]
    assert history.index("第 2 版") < history.index('href="/reports/wuwei/2023/v1/"')
    assert "更正总体情况中予以公开及部分公开的占比。" in history
    assert "首次发布" in history


def test_government_report_lists_subordinate_bodies_reports(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    subordinates = page[page.index('id="subordinates"') :]
    assert 'href="/reports/liangzhou/2023/">凉州区人民政府</a>' in subordinates
    assert "武威市教育局" not in subordinates


def test_report_page_offers_every_download_of_the_version(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    for fmt in DOWNLOAD_TYPES:
        assert f'href="/reports/wuwei/2023/v2.{fmt}"' in page
    assert 'href="/reports/wuwei/2023.json"' in page
    assert 'href="/reports/wuwei/2023.csv"' in page


# --- body page ------------------------------------------------------------------------


def test_body_page_lists_reports_and_key_figures_over_the_years(client, site):
    response = client.get("/reports/wuwei/")
    page = text_of(response)
    assert response.status_code == 200
    assert page.index('href="/reports/wuwei/2023/"') < page.index('href="/reports/wuwei/2022/"')
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d+)</th>((?:\s*<td>[^<]*</td>)+)", page)
    cells = {year: re.findall(r"<td>([^<]*)</td>", tds) for year, tds in rows}
    assert cells == {
        "2022": ["120", "118", "59.3%", "2", "10", "3"],
        "2023": ["259", "260", "63.8%", "1", "10", "3"],
    }
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page


def test_body_page_query_count_is_pinned(client, site, django_assert_num_queries):
    # body, ancestors, reports, key figures, children
    with django_assert_num_queries(5):
        client.get("/reports/liangzhou/")


def test_cached_body_page_costs_one_query(client, site, django_assert_num_queries):
    client.get("/reports/wuwei/")
    with django_assert_num_queries(1):
        response = client.get("/reports/wuwei/")
    assert "历年主要数据" in text_of(response)


# --- downloads and open data ----------------------------------------------------------


@pytest.mark.parametrize("fmt", list(DOWNLOAD_TYPES))
def test_download_has_its_content_type_and_filename(client, site, fmt):
    response = client.get(f"/reports/wuwei/2023/v2.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == DOWNLOAD_TYPES[fmt]
    disposition = "attachment" if fmt in {"docx", "xlsx"} else "inline"
    saved_as = quote(f"武威市人民政府2023年政府信息公开工作年度报告（第2版）.{fmt}", safe="")
    assert response["Content-Disposition"] == (
        f"{disposition}; filename=\"wuwei-2023-v2.{fmt}\"; filename*=UTF-8''{saved_as}"
    )
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_pdf_download_is_the_stored_file(client, site):
    response = client.get("/reports/wuwei/2023/v1.pdf")
    site.v1.pdf.open("rb")
    assert b"".join(response.streaming_content) == site.v1.pdf.read()


def test_open_data_json_equals_the_latest_version_document(client, site):
    response = client.get("/reports/wuwei/2023.json")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert json.loads(response.content) == site.v2.document


def test_open_data_json_per_version_equals_that_document(client, site):
    response = client.get("/reports/wuwei/2023/v1.json")
    assert json.loads(response.content) == site.v1.document


def test_open_data_csv_is_the_long_form_of_the_version(client, site):
    response = client.get("/reports/wuwei/2023.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["table", "row", "row_label", "column", "column_label", "value"]
    cells = {(row["table"], row["row"], row["column"]): row["value"] for row in rows}
    assert cells[("requests", "results_total", "total")] == "260"
    assert cells[("proactive", "licensing", "decisions")] == "421808"
    assert cells[("appeals", "reconsideration", "corrected")] == "7"


def test_unchanged_download_answers_304(client, site):
    etag = client.get("/reports/wuwei/2023/v2.json")["ETag"]
    response = client.get("/reports/wuwei/2023/v2.json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


# --- cache ----------------------------------------------------------------------------


def test_cached_report_page_costs_one_query(client, site, django_assert_num_queries):
    client.get("/reports/wuwei/2023/")
    with django_assert_num_queries(1):
        response = client.get("/reports/wuwei/2023/")
    assert response.status_code == 200
    assert "第 2 版" in text_of(response)


def test_cached_download_costs_one_query(client, site, django_assert_num_queries):
    first = client.get("/reports/wuwei/2023/v2.xlsx")
    with django_assert_num_queries(1):
        second = client.get("/reports/wuwei/2023/v2.xlsx")
    assert second.content == first.content


def test_publishing_in_the_subtree_refreshes_the_cached_page(client, site):
    client.get("/reports/wuwei/2023/")
    minqin_2023 = site.hidden.reports.create(year=2023, scope="all", status="published")
    publish(minqin_2023, seed_document(), number=1)
    page = text_of(client.get("/reports/wuwei/2023/"))
    assert 'href="/reports/minqin/2023/">民勤县人民政府</a>' in page


# --- accessibility and languages ------------------------------------------------------


def test_page_is_marked_chinese_with_a_skip_link(client, site):
    page = text_of(client.get("/reports/wuwei/2023/"))
    assert '<html lang="zh-CN">' in page
    assert '<a class="skip" href="#main">跳到正文</a>' in page
    assert '<main id="main"' in page


def test_larger_text_mode_sets_a_cookie_and_a_class(client, site):
    response = client.get("/display/text-size/", {"size": "large", "next": "/reports/wuwei/"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/wuwei/"
    assert response.cookies["text_size"].value == "large"
    page = text_of(client.get("/reports/wuwei/2023/"))
    assert '<html lang="zh-CN" class="large-text">' in page


def test_larger_text_mode_does_not_redirect_off_site(client):
    response = client.get("/display/text-size/", {"size": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_english_is_available_through_the_language_switch(client, site):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/reports/wuwei/2023/"})
    assert response.status_code == 302
    page = text_of(client.get("/reports/wuwei/2023/"))
    assert '<html lang="en">' in page
    assert "Skip to content" in page
    assert "Version history" in page


# --- privacy --------------------------------------------------------------------------


APPLICANTS = [
    ("隐私测试人甲", "620102199001015672"),
    ("隐私测试人乙", "620102198512128762"),
    ("保密商贸有限公司", "91620100MA7XYZ1234"),
]


def docx_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_no_applicant_identity_reaches_any_public_page_or_file(client, site):
    for name, id_number in APPLICANTS:
        applicant = Applicant.objects.create(
            kind=ApplicantKind.NATURAL_PERSON, name=name, id_number=id_number, contact=name
        )
        RequestFactory(
            body=site.city,
            applicant=applicant,
            content=f"{name}申请公开本人{id_number}相关信息",
            concluded_on="2023-04-03",
            result=Result.GRANTED,
        )
    texts: dict[str, str] = {}
    pages = ["/", "/?q=武威", "/?body=wuwei", "/reports/wuwei/", "/reports/liangzhou/"]
    for year, numbers in (("2023", (1, 2)), ("2022", (1,))):
        pages.append(f"/reports/wuwei/{year}/")
        pages.extend(f"/reports/wuwei/{year}/v{number}/" for number in numbers)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = text_of(response)
    for url in ["/reports/wuwei/2023.json", "/reports/wuwei/2023.csv"]:
        texts[url] = client.get(url).content.decode("utf-8-sig")
    for number in (1, 2):
        base = f"/reports/wuwei/2023/v{number}"
        texts[f"{base}.json"] = client.get(f"{base}.json").content.decode()
        texts[f"{base}.csv"] = client.get(f"{base}.csv").content.decode("utf-8-sig")
        texts[f"{base}.docx"] = docx_text(client.get(f"{base}.docx").content)
        texts[f"{base}.xlsx"] = xlsx_text(client.get(f"{base}.xlsx").content)
        texts[f"{base}.pdf"] = pdf_text(b"".join(client.get(f"{base}.pdf").streaming_content))
    # The extracted texts are real: the report's own words are there.
    assert [url for url, text in texts.items() if "政府信息公开" not in text] == []
    for url, text in texts.items():
        for name, id_number in APPLICANTS:
            assert name not in text, url
            assert id_number not in text, url


def test_blank_cells_kept_from_an_imported_original_show_as_blank_and_marked(client, site):
    document = seed_document()
    document["requests"]["rows"]["new_received"]["total"] = None
    document["requests"]["rows"]["unable_not_held"]["natural_person"] = None
    wuwei_2021 = site.city.reports.create(year=2021, scope="all", status="published")
    publish(wuwei_2021, document, number=1)
    page = text_of(client.get("/reports/wuwei/2021/"))
    assert page.count('class="blank-mark"') == 2
    figures = page[page.index('id="key-figures-caption"') :]
    first_row = re.search(r'<th scope="row">2021</th>((?:\s*<td>[^<]*</td>)+)', figures).group(1)
    assert re.findall(r"<td>([^<]*)</td>", first_row) == ["—", "260", "63.8%", "1", "10", "3"]


def test_version_without_a_stored_pdf_offers_none(client, site):
    wuwei_2021 = site.city.reports.create(year=2021, scope="all", status="published")
    publish(wuwei_2021, seed_document(), number=1)
    page = text_of(client.get("/reports/wuwei/2021/"))
    assert 'href="/reports/wuwei/2021/v1.pdf"' not in page
    assert 'href="/reports/wuwei/2021/v1.docx"' in page
    assert client.get("/reports/wuwei/2021/v1.pdf").status_code == 404


def test_narrative_is_escaped_and_keeps_its_paragraphs_and_lists(client, site):
    document = seed_document()
    document["narrative"]["problems"] = "第一段<script>x</script>\n\n- 一是甲\n- 二是乙\n\n末段"
    wuwei_2021 = site.city.reports.create(year=2021, scope="all", status="published")
    publish(wuwei_2021, document, number=1)
    page = text_of(client.get("/reports/wuwei/2021/"))
    section = page[page.index('id="section-problems"') : page.index('id="section-other_matters"')]
    assert "<p>第一段&lt;script&gt;x&lt;/script&gt;</p>" in section
    assert "<ul><li>一是甲</li><li>二是乙</li></ul>" in section
    assert "<p>末段</p>" in section


def test_public_pages_and_files_never_query_records_or_applicants(client, site):
    urls = ["/", "/?q=武威", "/?body=wuwei", "/reports/wuwei/", "/reports/wuwei/2023/"]
    urls += ["/reports/wuwei/2023/v1/", "/reports/wuwei/2023.json", "/reports/wuwei/2023.csv"]
    urls += [f"/reports/wuwei/2023/v2.{kind}" for kind in DOWNLOAD_TYPES]
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200, url
    tables = {Applicant._meta.db_table, InformationRequest._meta.db_table}
    assert [q["sql"] for q in queries if any(table in q["sql"] for table in tables)] == []


# what is NOT public (issue 6: "Drafts and unpublished corrections are not reachable
# publicly (404)") — every download format, not only the page and the JSON, and an imported
# earlier year, which has no published version of the product's own.

FORMATS = ("pdf", "docx", "xlsx", "csv", "json")


@pytest.fixture
def plain_site():
    return build_site()


@pytest.mark.parametrize("kind", FORMATS)
def test_a_draft_has_no_public_download_in_any_format(client, plain_site, kind):
    assert client.get(f"/reports/wuwei-jyj/2023.{kind}").status_code == 404
    assert client.get(f"/reports/wuwei-jyj/2023/v1.{kind}").status_code == 404
    assert Report.objects.get(pk=plain_site.draft_2023.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("kind", FORMATS)
def test_an_unpublished_correction_has_no_public_download_in_any_format(client, plain_site, kind):
    assert client.get(f"/reports/wuwei/2023/v3.{kind}").status_code == 404
    # The latest published version stays served while the correction is drafted (this site
    # stores no PDF, so the PDF of v2 is absent too).
    assert client.get(f"/reports/wuwei/2023/v2.{kind}").status_code == (
        404 if kind == "pdf" else 200
    )


def test_the_draft_version_page_is_404(client, plain_site):
    assert client.get("/reports/wuwei-jyj/2023/v1/").status_code == 404


def test_an_imported_year_without_a_version_is_not_public(client, plain_site):
    BodyFactory(code="gulang", name="古浪县人民政府", parent=plain_site.city)
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
def test_a_year_or_version_past_any_column_is_404(client, plain_site, url):
    assert client.get(url).status_code == 404


# no applicant identity reaches the public site when a report is published FROM the
# records that hold it. (The public-site test seeds applicants after its versions were written
# as fixed documents, so nothing there could carry them whatever the product did.)

PRIVATE_APPLICANTS = (("欧阳明远", "620102198805054322"), ("司马青云", "91620100MA7ABCDE9H"))


def test_a_report_published_from_records_carries_no_applicant_identity(client):
    world = make_world()
    for name, id_number in PRIVATE_APPLICANTS:
        applicant = Applicant.objects.create(
            kind=ApplicantKind.NATURAL_PERSON, name=name, id_number=id_number, contact=name
        )
        RequestFactory(
            body=world.education,
            applicant=applicant,
            applicant_kind=ApplicantKind.NATURAL_PERSON,
            content=f"{name}申请公开本人{id_number}相关信息",
            received_on=datetime.date(2023, 6, 1),
            concluded_on=datetime.date(2023, 6, 20),
            result=Result.GRANTED,
        )
    report = report_draft_for(actor=world.editor, body=world.education, year=2023)
    report.overview = CONSISTENT_OVERVIEW.replace("3件", "5件").replace(
        "予以公开1件，占50.0%", "予以公开3件，占75.0%"
    )
    report.problems, report.other_matters = PROBLEMS, OTHER_MATTERS
    report = report_save(actor=world.editor, report=report)
    version = report_publish(
        actor=world.publisher,
        report=report,
        acknowledgements={},
    )
    assert version.document["requests"]["rows"]["new_received"]["total"] == 5

    texts = {}
    for url in ["/", "/?q=教育局", "/reports/edu/", "/reports/edu/2023/", "/reports/edu/2023/v1/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    texts["json"] = client.get("/reports/edu/2023.json").content.decode()
    texts["csv"] = client.get("/reports/edu/2023.csv").content.decode("utf-8-sig")
    word = WordDocument(io.BytesIO(client.get("/reports/edu/2023.docx").content))
    texts["docx"] = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    book = load_workbook(io.BytesIO(client.get("/reports/edu/2023.xlsx").content))
    texts["xlsx"] = "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    pdf = b"".join(client.get("/reports/edu/2023.pdf").streaming_content)
    texts["pdf"] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    texts["api"] = client.get("/api/v1/public/reports/edu/2023/").content.decode()

    # The texts are real: the body's name is in each of them (the CSV has cells only).
    assert [key for key, text in texts.items() if "测试县教育局" not in text] == ["csv"]
    assert "requests,new_received,一、本年新收政府信息公开申请数量,total,总计,5" in texts["csv"]
    leaks = [
        (key, secret)
        for key, text in texts.items()
        for applicant in PRIVATE_APPLICANTS
        for secret in applicant
        if secret in text
    ]
    assert leaks == []
