"""年报督查 in a real browser: an official filters the page to late bodies and opens one
(Debian's Chromium, as in ``test_public_site``)."""

from __future__ import annotations

import pytest

from reports.models import Report
from tests.browser.conftest import log_in, screenshot
from tests.reports.oversight_data import make_county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_filters_to_late_bodies_and_opens_one(live_server, browser):
    county = make_county()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, county.publisher.username)

    page.click("#disclosure-tools >> text=年报督查")
    page.wait_for_selector("#oversight-lines")
    page.fill("#id_year", "2023")
    page.select_option("#id_late", "yes")
    page.select_option("#id_sort", "-days_late")
    page.click("#oversight-filters input[type=submit]")
    page.wait_for_url("**late=yes**")
    rows = page.locator("#oversight-lines tr.oversight-line")
    # Today is long after the 2023 deadlines: the draft, the body without a report and the
    # one published 5 days late; not 教育局 (in time), not the imported original, not the
    # township (no deadline).
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.body)")) == [
        "civil",
        "county",
        "health",
    ]
    assert page.locator("tr[data-body=health] .late-days").inner_text() == "5"
    screenshot(page, "oversight-late")

    page.click("tr[data-body=health] a.report-link")
    report = Report.objects.get(body=county.health, year=2023)
    page.wait_for_url(f"**/admin/reports/report/{report.pk}/change/")
    assert "测试县卫健局" in page.locator("#content").inner_text()

    page.go_back()
    page.click("tr[data-body=health] a.compare-link")
    page.wait_for_selector("#identities")
    assert "年度对比" in page.title()
    context.close()


def test_the_worklist_and_the_oversight_page_read_on_a_phone(live_server, phone):
    """At 375 px the page itself never scrolls sideways: the 工作台's categories stack, and
    the oversight lines scroll inside their box with each body's name kept in view."""
    county = make_county()
    log_in(phone, live_server.url, county.publisher.username)
    width = "document.documentElement.scrollWidth"

    phone.goto(live_server.url + "/admin/")
    phone.wait_for_selector("#disclosure-worklist")
    assert phone.evaluate(width) <= 375
    screenshot(phone, "worklist-phone")

    phone.goto(live_server.url + "/admin/reports/oversight/?body=county&year=2023")
    phone.wait_for_selector("#oversight-lines")
    assert phone.evaluate(width) <= 375
    box = phone.locator(".oversight-lines-box")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")  # the lines scroll
    name = phone.locator("tr[data-body=health] th[scope=row]")
    before = name.bounding_box()["x"]
    box.evaluate("box => { box.scrollLeft = 300; }")
    assert name.bounding_box()["x"] == before  # the body's name stays in view
    assert name.inner_text().startswith("测试县卫健局")
    screenshot(phone, "oversight-phone")


def test_the_worklist_and_the_tools_take_the_dashboards_width_on_a_desk(live_server, browser):
    """At 1280 px the 工作台 is not held to Django's 600 px dashboard column: its table ends
    inside its box, left of 最近动作, and each tool's description reads across the page."""
    county = make_county()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, county.publisher.username)
    page.goto(live_server.url + "/admin/")
    page.wait_for_selector("#disclosure-worklist")
    box = page.locator("#disclosure-worklist").bounding_box()
    table = page.locator("#disclosure-worklist table").bounding_box()
    related = page.locator("#content-related").bounding_box()
    assert table["x"] + table["width"] <= box["x"] + box["width"] + 0.5
    assert box["x"] + box["width"] <= related["x"]
    assert box["width"] > 800
    description = page.locator("#disclosure-tools td").first.bounding_box()
    assert description["width"] > 500 and description["height"] < 60
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "worklist-desk")
    context.close()


def test_the_lists_of_bodies_and_of_versions_fit_a_desk(live_server, browser):
    """At 1280 px, beside the admin's navigation, the 机构 and 报告版本 lists show every column
    without scrolling sideways: a body's website and a version's 64-digit SHA-256 had pushed
    the deadline, the state and the publication time out of view."""
    county = make_county()
    county.county.website = "https://www.gswuwei.gov.cn/col/col1/index.html"
    county.county.save()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, county.publisher.username)
    for path, column in (
        ("/admin/disclosure/body/", "状态"),
        ("/admin/reports/reportversion/", "SHA-256"),
    ):
        page.goto(live_server.url + path)
        results = page.locator(".results")
        assert page.locator("#result_list tbody tr").count() >= 2
        assert results.evaluate("r => r.scrollWidth <= r.clientWidth"), path
        header = page.locator("#result_list thead th").last
        assert header.inner_text().strip() == column
        assert header.bounding_box()["x"] + header.bounding_box()["width"] <= 1280
    digest = page.locator("#result_list tbody tr code").first
    assert len(digest.inner_text()) == 13  # twelve digits and "…"
    assert len(digest.get_attribute("title")) == 64
    screenshot(page, "versions-desk")
    context.close()
