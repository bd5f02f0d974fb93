"""Reading a published report in the admin, in a real browser: a publisher uploads the
seed text with one more cell damaged, sees the repaired and unresolved cells marked beside
the source, corrects the unresolved one and confirms the report as the body's import."""

from __future__ import annotations

import pytest

from disclosure.vocab import BodyKind, Role
from reports.models import ReadingStatus, Report, ReportReading, ReportStatus
from tests.browser.conftest import log_in
from tests.factories import BodyFactory, MembershipFactory, UserFactory
from tests.reports.reading.data import seed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def publisher(live_server):
    city = BodyFactory(code="wuwei", name="武威市人民政府", kind=BodyKind.GOVERNMENT)
    user = UserFactory(username="reader")
    MembershipFactory(user=user, body=city, role=Role.PUBLISH)
    return user


def test_a_publisher_reads_corrects_and_confirms_a_report(live_server, publisher, page, tmp_path):
    source = tmp_path / "武威市2023年报.txt"
    source.write_text(seed_text().replace("行政强制\t「政强制 1129", "行政强制\t—"), "utf-8")

    log_in(page, live_server.url, "reader")
    page.goto(live_server.url + "/admin/reports/reportreading/add/")
    page.select_option("#id_body", label="武威市人民政府")
    page.fill("#id_year", "2023")
    page.set_input_files("#id_file", str(source))
    page.click("#reading-upload-form input[type=submit]")

    page.wait_for_selector("#reading-source-text")
    assert "省政府信息公开办" in page.locator("#reading-source-text").inner_text()
    assert page.locator("td.mark-repaired").count() == 2
    assert page.locator("td.mark-unresolved").count() == 1
    repaired = page.locator("td.mark-repaired input").first
    assert repaired.input_value() == "3"
    assert "得 自然人 ＝ 3" in page.locator("td.mark-repaired").first.get_attribute("title")
    assert page.locator("#reading-findings li").count() == 4
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    cell = page.get_by_label("行政强制·本年处理决定数量")
    assert cell.input_value() == ""
    cell.fill("1129")
    page.click("#reading-correct-form input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert page.locator(".messagelist").inner_text().strip() == "已更正 1 个单元格。"
    assert page.locator("td.mark-corrected").count() == 1
    assert page.locator("td.mark-unresolved").count() == 0
    assert page.locator("#reading-findings li").count() == 3

    page.click("button[value=confirm]")
    page.wait_for_url("**/admin/reports/report/*/change/")
    assert "已导入为武威市人民政府 2023 年年度报告。" in page.locator(".messagelist").inner_text()
    page.screenshot(path=str(tmp_path / "imported.png"), full_page=True)

    report = Report.objects.get()
    assert report.status == ReportStatus.IMPORTED
    assert report.imported_document["proactive"]["enforcement"]["decisions"] == 1129
    assert ReportReading.objects.get().status == ReadingStatus.CONFIRMED
