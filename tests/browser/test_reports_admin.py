"""The officials' workflow in a real browser: publishing through the confirmation page, the
report's readable history, and the error banner's links to the fields (Debian's Chromium,
as in ``test_public_site``). With ``SCREENSHOT_DIR`` set, each step is also saved as a PNG
there, to look at."""

from __future__ import annotations

import datetime

import pytest

from disclosure.vocab import ApplicantKind, Result, Role
from reports.models import Report, ReportVersion
from tests.browser.conftest import DESKTOP, log_in, screenshot
from tests.factories import MembershipFactory, RequestFactory, UserFactory
from tests.reports.publishing import OTHER_MATTERS, PROBLEMS, WRONG_OVERVIEW, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def official(live_server, browser):
    """A publisher of 测试县 logged in to the admin, in a desktop window."""
    world = make_world()
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server.url, world.publisher.username)
    page.wait_for_url(live_server.url + "/admin/")
    yield world, page
    context.close()


def test_an_official_drafts_reviews_and_confirms_a_publication(live_server, official):
    world, page = official
    page.goto(live_server.url + "/admin/reports/report/add/")
    page.select_option("#id_body", label=world.education.name)
    page.fill("#id_year", "2023")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    report = Report.objects.get()
    assert report.scope == "own"  # a department reports on itself

    page.fill("#id_overview", WRONG_OVERVIEW)
    page.fill("#id_problems", PROBLEMS)
    page.fill("#id_other_matters", OTHER_MATTERS)
    page.click("input[name=_continue]")
    page.wait_for_selector("textarea[name^='ack:']")
    notes = page.locator("textarea[name^='ack:']")
    assert notes.count() == 2
    notes.nth(0).fill("申请数以表格为准。")
    notes.nth(1).fill("占比以表格为准。")
    screenshot(page, "report-page")
    page.click("input[name=publish]")

    page.wait_for_selector("#publish-confirm-form")
    screenshot(page, "publish-confirmation")
    text = page.locator("#content-main").inner_text()
    assert "永久保留" in text
    assert "第1版" in text
    assert "申请数以表格为准。" in text and "占比以表格为准。" in text
    digest = page.locator(".sha256").inner_text()
    assert len(digest) == 64
    assert not ReportVersion.objects.exists()  # nothing published by the first click

    page.click("#publish-confirm-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    version = ReportVersion.objects.get()
    assert version.number == 1
    assert [item["acknowledgement"] for item in version.acknowledgements] == [
        "申请数以表格为准。",
        "占比以表格为准。",
    ]

    page.goto(live_server.url + f"/admin/reports/report/{report.pk}/history/")
    screenshot(page, "report-history")
    rows = page.locator("#change-history > table > tbody > tr")
    actions = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
    assert actions == ["发布年度报告", "修改年度报告", "起草年度报告"]
    published = rows.nth(0).locator("table.disclosure-changes").inner_text()
    assert "版本" in published and version.sha256 in published
    drafted = rows.nth(2).locator("table.disclosure-changes").inner_text()
    assert "测试县教育局" in drafted and "本机关" in drafted
    assert "report_" not in page.locator("#content-main").inner_text()


def test_the_error_banner_takes_the_official_to_the_field(live_server, official):
    world, page = official
    clerk = UserFactory(username="clerk")
    MembershipFactory(user=clerk, body=world.county, role=Role.EDIT)
    request = RequestFactory(
        body=world.education,
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        received_on=datetime.date(2023, 3, 1),
        concluded_on=datetime.date(2023, 3, 9),
        result=Result.GRANTED,
    )
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(live_server.url + f"/admin/disclosure/informationrequest/{request.pk}/change/")
    page.fill("#id_concluded_on", "2023-02-30")
    page.locator("input[name=_continue]").last.click()

    page.wait_for_selector("#error-links")
    screenshot(page, "error-banner")
    link = page.locator("#error-links a").first
    assert link.inner_text() == "办结日期"
    field = page.locator("#id_concluded_on")
    assert not field.evaluate("element => element.getBoundingClientRect().top < window.innerHeight")
    link.click()
    assert page.evaluate("location.hash") == "#id_concluded_on"
    assert field.evaluate("element => element.getBoundingClientRect().top < window.innerHeight")
    screenshot(page, "error-banner-followed")
