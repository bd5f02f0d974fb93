from __future__ import annotations

import datetime
import html
import json
import re
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from disclosure.models import AuditEntry, InformationRequest
from disclosure.vocab import FigureItem, Result
from reports.document import canonical_sha256, document_content
from reports.models import Report, ReportStatus, ReportVersion, Scope
from reports.services import report_save
from reports.system_checks import PdfUnavailable
from tests.disclosure.admin_helpers import change_rows
from tests.factories import BodyFactory, FigureFactory, RequestFactory
from tests.reports.publishing import (
    CONSISTENT_OVERVIEW,
    OTHER_MATTERS,
    PROBLEMS,
    WRONG_OVERVIEW,
    import_unbalanced,
    make_world,
)


@pytest.fixture
def world(db):
    return make_world()


def change_url(report: Report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


def publish_url(report: Report) -> str:
    return reverse("admin:reports_report_publish", args=[report.pk])


def form_data(report: Report, **changes) -> dict:
    """The change form as the browser posts it (every field of the page)."""
    data = {
        "scope": report.scope,
        "opening": report.opening,
        "overview": report.overview,
        "problems": report.problems,
        "other_matters": report.other_matters,
        "cover_number": report.cover_number,
        "cover_addressee": report.cover_addressee,
        "cover_text": report.cover_text,
        "cover_date": report.cover_date.isoformat() if report.cover_date else "",
        "_continue": "保存并继续编辑",
    }
    data.update(changes)
    return data


def ack_fields(page: str) -> list[str]:
    return re.findall(r'name="(ack:[^"]+)"', page)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_draft(client, world, body=None, scope=Scope.OWN) -> Report:
    """A 2023 draft added on the add page, with sections 一, 五 and 六 written."""
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": (body or world.education).pk, "year": 2023, "scope": scope},
    )
    assert response.status_code == 302, response.content.decode()
    report = Report.objects.get(body=body or world.education, year=2023)
    report.overview, report.problems, report.other_matters = (
        CONSISTENT_OVERVIEW,
        PROBLEMS,
        OTHER_MATTERS,
    )
    return report_save(actor=world.editor, report=report)


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of the confirmation form, as the browser posts them back."""
    form = page[page.index('id="publish-confirm-form"') :]
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }


def publish(client, report: Report, data: dict):
    """Publishing as an official does it: the report page's POST shows the confirmation
    page, whose form is posted back to confirm."""
    response = client.post(publish_url(report), data)
    assert response.status_code == 200, messages_of(response)
    assert response.templates[0].name == "admin/reports/report/publish_confirmation.html"
    return client.post(publish_url(report), hidden_fields(response.content.decode()))


# --- the whole way: draft → findings → published → correction ------------------------------


def test_an_official_takes_a_draft_to_published_and_publishes_a_correction(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    assert (report.scope, report.status) == (Scope.OWN, ReportStatus.DRAFT)

    response = client.post(change_url(report), form_data(report, overview=WRONG_OVERVIEW))
    assert response.status_code == 302

    page = client.get(change_url(report)).content.decode()
    assert "2024-01-31" in page
    assert page.count('class="finding-warning"') == 2
    fields = ack_fields(page)
    assert len(fields) == 2

    response = publish(client, report, {field: "已核实，以表格为准。" for field in fields})
    assert response.status_code == 302
    assert messages_of(response)[-1].startswith("已发布第1版")
    first = report.versions.get()
    assert first.document["narrative"]["overview"] == WRONG_OVERVIEW
    assert len(first.acknowledgements) == 2

    report.refresh_from_db()
    assert "与最新版本一致" in client.get(change_url(report)).content.decode()
    response = client.post(change_url(report), form_data(report, overview=CONSISTENT_OVERVIEW))
    assert response.status_code == 302
    page = client.get(change_url(report)).content.decode()
    assert "当前草稿（表格或正文）与最新版本不同，尚未发布" in page
    assert "发布更正（第2版）" in page
    assert ack_fields(page) == []

    response = publish(client, report, {"change_note": "更正总体情况中的数字"})
    assert messages_of(response)[-1].startswith("已发布第2版")
    second = report.versions.get(number=2)
    assert (second.change_note, second.document["narrative"]["overview"]) == (
        "更正总体情况中的数字",
        CONSISTENT_OVERVIEW,
    )
    first.refresh_from_db()
    assert first.document["narrative"]["overview"] == WRONG_OVERVIEW
    page = client.get(change_url(report)).content.decode()
    assert reverse("admin:reports_reportversion_change", args=[first.pk]) in page
    assert reverse("admin:reports_reportversion_change", args=[second.pk]) in page


def test_a_missing_acknowledgement_is_refused_and_the_typed_text_kept(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    client.post(change_url(report), form_data(report, overview=WRONG_OVERVIEW))
    fields = ack_fields(client.get(change_url(report)).content.decode())

    response = client.post(publish_url(report), {fields[0]: "第一条说明", fields[1]: ""})
    assert response.status_code == 302
    assert [m for m in messages_of(response) if m.startswith("警告须书面说明")] != []
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.versions.exists()
    assert not AuditEntry.objects.filter(action="report_publish").exists()
    assert "第一条说明</textarea>" in client.get(change_url(report)).content.decode()


def test_an_error_disables_publishing_and_a_post_is_refused(client, world):
    import_unbalanced(world.town)
    client.force_login(world.publisher)
    report = add_draft(client, world, body=world.county, scope=Scope.ALL)
    page = client.get(change_url(report)).content.decode()
    assert page.count('class="finding-error"') >= 2
    assert "存在错误，修正后才能发布。" in page
    assert re.search(r'<input type="submit" name="publish"[^>]* disabled>', page)

    response = client.post(publish_url(report), {})
    assert any(m.startswith("存在错误，不能发布") for m in messages_of(response))
    assert not report.versions.exists()


def test_staff_without_the_publish_role_see_no_button_and_are_refused(client, world):
    client.force_login(world.editor)
    report = add_draft(client, world)
    page = client.get(change_url(report)).content.decode()
    assert publish_url(report) not in page
    assert 'name="publish"' not in page

    response = client.post(publish_url(report), {})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.versions.exists()


def test_publishing_needs_a_post(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    assert client.get(publish_url(report)).status_code == 405


def test_a_correction_without_a_change_note_is_refused(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    publish(client, report, {})
    report.refresh_from_db()
    client.post(change_url(report), form_data(report, problems="补充"))
    response = client.post(publish_url(report), {"change_note": ""})
    assert "发布更正版本（第2版）须填写更正说明。" in messages_of(response)
    assert list(report.versions.values_list("number", flat=True)) == [1]


# --- what the page shows --------------------------------------------------------------------


def test_the_page_shows_the_computed_tables(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    page = client.get(change_url(report)).content.decode()
    assert 'id="table-requests"' in page
    assert 'id="table-proactive"' in page
    assert 'id="table-appeals"' in page


def test_the_page_offers_the_draft_in_each_format_below_its_title_not_in_the_tools(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    page = client.get(change_url(report)).content.decode()

    tools = page[page.index('<ul class="object-tools">') :]
    tools = tools[: tools.index("</ul>")]
    assert "download" not in tools
    downloads = page[page.index('<nav class="report-downloads"') :]
    downloads = downloads[: downloads.index("</nav>")]
    links = re.findall(r'<a class="button" href="([^"]+)">([^<]+)</a>', downloads)
    assert links == [
        (reverse("admin:reports_report_download", args=[report.pk, key]), label)
        for key, label in (
            ("pdf", "PDF"),
            ("docx", "Word"),
            ("xlsx", "Excel"),
            ("csv", "CSV"),
            ("json", "JSON"),
        )
    ]
    assert page.index("report-downloads") < page.index("report-summary")


def test_the_page_says_which_bodies_came_from_imports_and_which_had_nothing(client, world):
    import_unbalanced(world.town)
    client.force_login(world.publisher)
    report = add_draft(client, world, body=world.county, scope=Scope.ALL)
    page = client.get(change_url(report)).content.decode()
    assert "采用导入的历史报告数据：测试镇人民政府" in page
    assert "无任何数据：测试县人民政府" in page


def test_the_page_shows_an_overdue_deadline(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    with time_machine.travel(datetime.datetime(2024, 2, 3, 9, 0)):
        page = client.get(change_url(report)).content.decode()
    assert "2024-01-31（已逾期 3 天）" in page


def test_the_page_flags_records_changed_since_publication(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    publish(client, report, {})
    assert "发布后无记录修改" in client.get(change_url(report)).content.decode()
    request = InformationRequest.objects.get(body=world.education, concluded_on__isnull=True)
    request.concluded_on = datetime.date(2023, 12, 29)
    request.result = Result.GRANTED
    request.save()
    assert "发布后有记录被修改" in client.get(change_url(report)).content.decode()
    version = report.versions.get()
    assert version.document["requests"]["rows"]["carried_forward"]["total"] == 1
    assert canonical_sha256(version.document) == version.sha256


def test_the_narrative_fields_explain_the_placeholders(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    page = client.get(change_url(report)).content.decode()
    assert "<code>{share:项+项}</code>" in page
    assert "<code>{{</code>" in page
    assert "<tr><td><code>partially_granted</code></td><td>（二）部分公开" in page


def test_an_unknown_placeholder_is_a_form_error(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    response = client.post(change_url(report), form_data(report, overview="共{requests.nope}件"))
    assert response.status_code == 200
    assert "未知的占位符：{requests.nope}" in response.content.decode()
    report.refresh_from_db()
    assert report.overview == CONSISTENT_OVERVIEW


def test_the_change_page_runs_a_bounded_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.publisher)
    report = add_draft(client, world, body=world.county, scope=Scope.ALL)
    publish(client, report, {})
    url = change_url(report)
    client.get(url)
    with django_assert_num_queries(QUERIES_ON_CHANGE_PAGE):
        client.get(url)
    # More records and more bodies: no more queries (four fewer, in fact: the staleness
    # check stops at the first EXISTS that finds a changed request).
    for day in range(1, 29):
        RequestFactory(body=world.town, received_on=datetime.date(2023, 2, day))
    for number in range(3):
        department = BodyFactory(code=f"dept{number}", parent=world.county)
        RequestFactory(body=department, received_on=datetime.date(2023, 4, 1))
    with django_assert_num_queries(QUERIES_ON_CHANGE_PAGE - 4):
        client.get(url)


# Session and user (2); whether the user has a two-factor device (1); the visible bodies and
# the report (3, through the shared admin visibility); this year's document, last year's for the cross-year
# checks and the sources, each a tree (2), imports (1), which bodies have records (1) and one
# aggregate per table (4); the names of the listed sources (1); versions (1); staleness
# (tree 2, at most 5 EXISTS); memberships and roles for the page's permissions (the sidebar's
# 读取的报告文件 asks whether the user publishes anywhere: 2); the session's two-factor check (1).
QUERIES_ON_CHANGE_PAGE = 54


# --- who sees and edits what ---------------------------------------------------------------


def test_the_list_shows_only_reports_of_the_users_bodies(client, world):
    import_unbalanced(world.town)
    client.force_login(world.outsider)
    page = client.get(reverse("admin:reports_report_changelist")).content.decode()
    assert "测试镇人民政府" not in page
    client.force_login(world.viewer)
    page = client.get(reverse("admin:reports_report_changelist")).content.decode()
    assert "测试镇人民政府2023年政府信息公开工作年度报告" in page


def test_a_draft_can_only_be_made_for_a_body_the_user_edits(client, world):
    client.force_login(world.outsider)
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": world.education.pk, "year": 2023, "scope": Scope.OWN},
    )
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_a_second_draft_for_the_same_year_is_refused_in_words(client, world):
    client.force_login(world.publisher)
    add_draft(client, world)
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": world.education.pk, "year": 2023, "scope": Scope.ALL},
    )
    assert response.status_code == 200
    assert "测试县教育局 2023 年度报告已存在（草稿）" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_viewer_cannot_change_a_report(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    client.force_login(world.viewer)
    response = client.post(change_url(report), form_data(report, overview="改写"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.overview == CONSISTENT_OVERVIEW


def test_an_imported_report_is_read_only(client, world):
    imported = import_unbalanced(world.town)
    client.force_login(world.publisher)
    page = client.get(change_url(imported)).content.decode()
    assert 'name="overview"' not in page
    assert 'name="publish"' not in page
    response = client.post(publish_url(imported), {})
    assert "导入的历史报告" in messages_of(response)[-1]


# --- downloads and versions -----------------------------------------------------------------


def test_the_draft_downloads_as_pdf_and_json(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    pdf = client.get(reverse("admin:reports_report_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    data = client.get(reverse("admin:reports_report_download", args=[report.pk, "json"]))
    document = json.loads(data.content)
    assert (document["body"], document["year"], "version" in document) == ("edu", 2023, False)
    assert document["requests"]["rows"]["new_received"]["total"] == 3


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_the_draft_downloads_in_the_office_formats(client, world, fmt):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    response = client.get(reverse("admin:reports_report_download", args=[report.pk, fmt]))
    assert response.status_code == 200
    saved_as = quote(f"测试县教育局2023年政府信息公开工作年度报告（草稿）.{fmt}", safe="")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"edu-2023-draft.{fmt}\"; filename*=UTF-8''{saved_as}"
    )
    assert len(response.content) > 0


def test_an_unknown_download_format_is_not_found(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    url = reverse("admin:reports_report_download", args=[report.pk, "exe"])
    assert client.get(url).status_code == 404


def test_a_version_is_read_only_and_serves_its_stored_pdf_and_json(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    publish(client, report, {})
    version = ReportVersion.objects.get()
    page = client.get(reverse("admin:reports_reportversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert 'name="change_note"' not in page.content.decode()
    assert version.sha256 in page.content.decode()
    pdf = client.get(reverse("admin:reports_reportversion_pdf", args=[version.pk]))
    with version.pdf.open("rb") as handle:
        assert pdf.content == handle.read()
    data = client.get(reverse("admin:reports_reportversion_json", args=[version.pk]))
    assert json.loads(data.content)["sha256"] == version.sha256


def test_versions_of_other_bodies_are_not_served(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    publish(client, report, {})
    version = ReportVersion.objects.get()
    client.force_login(world.outsider)
    url = reverse("admin:reports_reportversion_pdf", args=[version.pk])
    assert client.get(url).status_code == 404


def test_a_pdf_that_cannot_be_made_is_reported_and_nothing_is_published(client, world, monkeypatch):
    def unavailable(document, **kwargs):
        raise PdfUnavailable("未安装中文（CJK）字体，PDF 中的汉字将无法显示。")

    monkeypatch.setattr("reports.services.render_pdf", unavailable)
    client.force_login(world.publisher)
    report = add_draft(client, world)
    response = publish(client, report, {})
    assert messages_of(response)[-1] == "未安装中文（CJK）字体，PDF 中的汉字将无法显示。"
    report.refresh_from_db()
    assert (report.status, report.versions.count()) == (ReportStatus.DRAFT, 0)


def test_the_add_page_offers_last_year(client, world):
    client.force_login(world.editor)
    with time_machine.travel(datetime.datetime(2024, 1, 8, 9, 0)):
        page = client.get(reverse("admin:reports_report_add")).content.decode()
    assert 'name="year" value="2023"' in page


def test_the_page_names_blank_cells_of_imported_parts(client, world):
    imported = import_unbalanced(world.town)
    imported.imported_document["appeals"]["reconsideration"]["upheld"] = None
    imported.save()
    client.force_login(world.publisher)
    report = add_draft(client, world, body=world.county, scope=Scope.ALL)
    page = client.get(change_url(report)).content.decode()
    assert "测试镇人民政府 · 四、政府信息公开行政复议、行政诉讼情况 · 行政复议 · 结果维持" in page


def test_a_publisher_elsewhere_cannot_reach_the_report(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    client.force_login(world.outsider)
    assert client.post(publish_url(report), {}).status_code == 404
    download = reverse("admin:reports_report_download", args=[report.pk, "json"])
    assert client.get(download).status_code == 404
    assert not report.versions.exists()


# --- publishing with care --------------------------------------------------------------------


def test_publishing_needs_the_confirmation_step(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    client.post(change_url(report), form_data(report, overview=WRONG_OVERVIEW))
    fields = ack_fields(client.get(change_url(report)).content.decode())
    acks = {fields[0]: "已核实，以表格为准。", fields[1]: "占比按表格更正。"}

    response = client.post(publish_url(report), acks)
    assert response.status_code == 200
    assert not report.versions.exists()
    assert not AuditEntry.objects.filter(action="report_publish").exists()
    page = response.content.decode()
    assert "永久保留" in page
    assert "第1版" in page
    preview = response.context["preview"]
    assert preview.content_sha256 in page
    assert "已核实，以表格为准。" in page and "占比按表格更正。" in page
    assert "文中收到申请数为9，而表格中为3。" in page  # 新收 3, 新收＋上年结转 3: said once

    response = client.post(publish_url(report), hidden_fields(page))
    assert response.status_code == 302
    version = report.versions.get()
    assert canonical_sha256(document_content(version.document)) == preview.content_sha256
    assert [item["acknowledgement"] for item in version.acknowledgements] == [
        "已核实，以表格为准。",
        "占比按表格更正。",
    ]


def test_a_confirmation_for_content_that_changed_since_publishes_nothing(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    page = client.post(publish_url(report), {}).content.decode()
    fields = hidden_fields(page)
    # A record changes between the confirmation page and the click.
    FigureFactory(body=world.education, year=2023, item=FigureItem.PENALTY, value=3)
    response = client.post(publish_url(report), fields)
    assert response.status_code == 200
    assert "报告内容或版本号在您确认前已发生变化，请重新核对后再确认发布。" in messages_of(response)
    assert hidden_fields(response.content.decode())["content_sha256"] != fields["content_sha256"]
    assert not report.versions.exists()


def test_a_confirmation_without_the_confirmed_digest_publishes_nothing(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    response = client.post(publish_url(report), {"confirm": "yes"})
    assert response.status_code == 200
    assert response.templates[0].name == "admin/reports/report/publish_confirmation.html"
    assert not report.versions.exists()


def test_the_admin_refuses_to_publish_a_draft_with_empty_sections(client, world):
    client.force_login(world.publisher)
    response = client.post(
        reverse("admin:reports_report_add"), {"body": world.education.pk, "year": 2023}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    page = client.get(change_url(report)).content.decode()
    assert page.count('class="finding-error"') == 3 + 1  # and "存在错误，修正后才能发布。"
    assert "“五、存在的主要问题及改进情况”尚未填写，发布前须撰写。" in page
    assert re.search(r'<input type="submit" name="publish"[^>]* disabled>', page)

    response = client.post(publish_url(report), {"confirm": "yes"})
    assert response.status_code == 302
    assert messages_of(response) == [
        "存在错误，不能发布：“一、总体情况”尚未填写，发布前须撰写。",
        "存在错误，不能发布：“五、存在的主要问题及改进情况”尚未填写，发布前须撰写。",
        "存在错误，不能发布：“六、其他需要报告的事项”尚未填写，发布前须撰写。",
    ]
    report.refresh_from_db()
    assert (report.status, report.versions.count()) == (ReportStatus.DRAFT, 0)


def test_a_note_for_an_unchanged_warning_is_prefilled_for_the_next_version(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    client.post(change_url(report), form_data(report, overview=WRONG_OVERVIEW))
    fields = ack_fields(client.get(change_url(report)).content.decode())
    publish(client, report, {fields[0]: "第一条说明", fields[1]: "第二条说明"})
    report.refresh_from_db()
    client.post(change_url(report), form_data(report, problems="补充说明"))
    page = client.get(change_url(report)).content.decode()
    assert ack_fields(page) == fields
    assert "第一条说明</textarea>" in page and "第二条说明</textarea>" in page
    assert page.count("沿用第1版发布时对同一警告的说明") == 2


def test_a_report_for_a_year_not_over_warns_before_drafting_and_is_not_published(client, world):
    client.force_login(world.publisher)
    add_url = reverse("admin:reports_report_add")
    with time_machine.travel(datetime.datetime(2023, 11, 30, 9, 0)):
        response = client.post(add_url, {"body": world.education.pk, "year": 2023})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {
            "early_draft": [
                "2023年度尚未结束：报告须在2024-01-01起才能发布。如确需现在起草，请勾选此项。"
            ]
        }
        assert not Report.objects.exists()
        response = client.post(
            add_url, {"body": world.education.pk, "year": 2023, "early_draft": "on"}
        )
        assert response.status_code == 302
        report = Report.objects.get()
        page = client.get(change_url(report)).content.decode()
        assert "2023年度尚未结束：表格随记录变化，2024-01-01起才能发布。" in page
        assert re.search(r'<input type="submit" name="publish"[^>]* disabled>', page)


def test_the_add_form_defaults_the_scope_by_body_kind(client, world):
    client.force_login(world.publisher)
    add_url = reverse("admin:reports_report_add")
    page = client.get(add_url).content.decode()
    assert "按机构类型：人民政府为全域，其他机关为本机关" in page
    client.post(add_url, {"body": world.county.pk, "year": 2023})
    client.post(add_url, {"body": world.education.pk, "year": 2023})
    client.post(add_url, {"body": world.town.pk, "year": 2023, "scope": Scope.LEVEL})
    assert dict(Report.objects.values_list("body__code", "scope")) == {
        "county": "all",
        "edu": "own",
        "town": "level",
    }


def test_the_page_says_what_the_cross_year_checks_compared_with(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    assert "上一年度没有报告，也没有可计算的记录：未作跨年度核对。" in (
        client.get(change_url(report)).content.decode()
    )
    RequestFactory(body=world.education, received_on=datetime.date(2022, 5, 1))
    assert "与按本报告范围（本机关）计算的2022年度数据比较" in (
        client.get(change_url(report)).content.decode()
    )


def test_the_history_page_shows_drafting_editing_and_publishing_in_words(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    publish(client, report, {})
    version = report.versions.get()
    page = client.get(reverse("admin:reports_report_history", args=[report.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("起草年度报告", "修改年度报告", "发布年度报告"):
        assert f'<td class="history-action">{words}</td>' in text, words
    rows = change_rows(text)
    for row in (
        ("机构", "", "测试县教育局"),
        ("统计范围", "", "本机关"),
        ("版本", "", "1"),
        ("SHA-256", "", version.sha256),
        ("五、存在的主要问题及改进情况", "—", PROBLEMS),
    ):
        assert row in rows, row
    assert "<td>report_publish</td>" not in text and ">scope<" not in text


def test_the_report_form_links_its_errors_to_their_fields(client, world):
    client.force_login(world.publisher)
    report = add_draft(client, world)
    response = client.post(
        change_url(report), form_data(report, problems="{nope}", cover_date="2024-02-30")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<li><a href="#id_problems">五、存在的主要问题及改进情况</a>：未知的占位符：{nope}</li>'
        in page
    )
    assert '<li><a href="#id_cover_date">报送函日期</a>：' in page
    assert 'id="id_problems"' in page and 'id="id_cover_date"' in page


# a report for year 9999 could be added in the admin, after which its list and
# change pages failed (its deadline falls in year 10000). A report's year is now the model's
# rule (``disclosure.validators.REPORT_YEAR``): 2021 to 2099, in the admin as everywhere.


def test_a_report_year_past_2099_is_a_field_error_and_creates_nothing(client, world):
    client.force_login(world.publisher)
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": world.education.pk, "year": 9999, "scope": Scope.OWN},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"year": ["年度须在 2021 至 2099 之间。"]}
    assert Report.objects.count() == 0
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200


def test_a_report_for_2099_is_added_and_its_pages_render(client, world):
    client.force_login(world.publisher)
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": world.education.pk, "year": 2099, "scope": Scope.OWN, "early_draft": "on"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.year == 2099
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    change = reverse("admin:reports_report_change", args=[report.pk])
    assert client.get(change).status_code == 200
