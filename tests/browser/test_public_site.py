"""The public site in a real browser (Debian's headless Chromium, see ``conftest``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from reports.exports.pdf import render_pdf
from tests.browser.conftest import DESKTOP, PHONE
from tests.reports.public_data import build_site, seed_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    cache.clear()
    yield build_site(pdf=render_pdf(seed_document()))
    cache.clear()


def cells(page, table: str, row_text: str) -> list[str]:
    row = page.locator(f"#table-{table} tr", has_text=row_text).last
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_reader_opens_a_report_from_home_and_reads_its_tables(live_server, site, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="武威市人民政府2023年政府信息公开工作年度报告").click()
    page.wait_for_url("**/reports/wuwei/2023/")
    assert page.locator("h1").inner_text() == "武威市人民政府2023年政府信息公开工作年度报告"
    assert cells(page, "proactive", "行政许可") == ["421808"]
    assert cells(page, "proactive", "行政事业性收费") == ["22910"]
    assert cells(page, "requests", "一、本年新收政府信息公开申请数量") == [
        "255", "4", "0", "0", "0", "0", "259",
    ]  # fmt: skip
    assert cells(page, "requests", "（七）总计") == ["256", "4", "0", "0", "0", "0", "260"]
    assert [text.strip() for text in page.locator("#table-appeals td").all_inner_texts()] == [
        "3", "7", "0", "0", "10", "2", "1", "0", "0", "3", "0", "0", "0", "0", "0",
    ]  # fmt: skip


def test_pdf_link_answers_with_the_stored_pdf(live_server, site, page):
    page.goto(live_server.url + "/reports/wuwei/2023/")
    link = page.get_by_role("link", name="PDF", exact=True)
    assert link.get_attribute("href") == "/reports/wuwei/2023/v2.pdf"
    with page.expect_response(lambda response: response.url.endswith(".pdf")) as answer:
        link.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # Chromium shows the PDF in its viewer; fetch the bytes behind the link once more.
    assert page.request.get(response.url).body()[:5] == b"%PDF-"


def test_skip_link_is_the_first_keyboard_stop(live_server, site, page):
    page.goto(live_server.url + "/reports/wuwei/2023/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/?body=wuwei", "/reports/wuwei/", "/reports/wuwei/2023/"])
def test_nothing_overflows_a_phone_screen(live_server, site, phone, path):
    phone.goto(live_server.url + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_tables_scroll_inside_their_own_box_on_a_phone(live_server, site, phone):
    phone.goto(live_server.url + "/reports/wuwei/2023/")
    wrap = phone.locator("#table-requests").locator("xpath=..")
    assert wrap.evaluate("element => getComputedStyle(element).overflowX") == "auto"
    assert wrap.evaluate("element => element.scrollWidth > element.clientWidth")


def test_larger_text_mode_on_a_phone_still_fits(live_server, site, phone):
    phone.goto(live_server.url + "/reports/wuwei/2023/")
    phone.get_by_role("link", name="大字号").click()
    phone.wait_for_url("**/reports/wuwei/2023/")
    assert phone.evaluate("document.documentElement.className") == "large-text"
    assert phone.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_pages_have_no_wcag_21_aa_violations(live_server, site, browser, viewport):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(locale="zh-CN", viewport=viewport)
    found = {}
    for path in ["/", "/?body=wuwei", "/reports/wuwei/", "/reports/wuwei/2023/", "/?year=x"]:
        page.goto(live_server.url + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}).response
        found[path] = [(item["id"], len(item["nodes"])) for item in results["violations"]]
    page.close()
    assert found == {path: [] for path in found}


def box(locator) -> dict:
    return locator.evaluate(
        "element => { const r = element.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"
    )


def test_on_a_phone_table_3_keeps_each_row_label_beside_its_figures_while_they_scroll(
    live_server, site, phone
):
    phone.goto(live_server.url + "/reports/wuwei/2023/")
    table = phone.locator("#table-requests")
    wrap = table.locator("xpath=..")
    for label, total in [
        ("1.本机关不掌握相关政府信息", "80"),
        ("1.属于国家秘密", "10"),
        ("一、本年新收政府信息公开申请数量", "259"),
        ("（七）总计", "260"),
    ]:
        row = table.locator("tr", has=phone.locator("th", has_text=label))
        row.evaluate("element => element.scrollIntoView({block: 'center'})")
        # The reader swipes the figures to the last column, 总计.
        wrap.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
        assert wrap.evaluate("element => element.scrollLeft") > 0
        label_cell = row.locator("th", has_text=label).last
        total_cell = row.locator("td").last
        visible, seen, figure = box(wrap), box(label_cell), box(total_cell)
        assert total_cell.inner_text() == total
        # Both in view, side by side on the same line of the table: label, then figure.
        assert visible["left"] <= seen["left"] < seen["right"] <= figure["left"] + 1
        assert figure["right"] <= visible["right"] + 1
        assert seen["top"] < figure["bottom"] and figure["top"] < seen["bottom"]
        # Nothing scrolled over the label: it is what the reader sees at its place.
        middle = ((seen["left"] + seen["right"]) / 2, (seen["top"] + seen["bottom"]) / 2)
        on_top = phone.evaluate("([x, y]) => document.elementFromPoint(x, y).textContent", middle)
        assert on_top == label
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


WORD_LINES = """element => [...element.childNodes]
    .filter(node => node.nodeType === Node.TEXT_NODE)
    .map(node => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        return [node.textContent, tops.size];
    })"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_table_4_headers_read_across_never_breaking_a_word(live_server, site, browser, viewport):
    page = browser.new_page(locale="zh-CN", viewport=viewport)
    page.goto(live_server.url + "/reports/wuwei/2023/")
    headers = page.locator("#table-appeals th[scope=col]")

    words = [
        word for index in range(headers.count()) for word in headers.nth(index).evaluate(WORD_LINES)
    ]
    page.close()
    # Each two-character word (结果, 维持, 总计) on one line: never 结果维/持, never 总/计.
    assert len(words) == 3 * 9
    assert {tuple(word) for word in words} == {
        ("结果", 1), ("维持", 1), ("纠正", 1), ("其他", 1), ("尚未", 1), ("审结", 1), ("总计", 1),
    }  # fmt: skip


def test_on_a_wide_screen_table_3_fits_without_scrolling(live_server, site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/reports/wuwei/2023/")
    wrap = page.locator("#table-requests").locator("xpath=..")

    assert wrap.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert (
        page.locator("#table-requests th.label").first.evaluate(
            "element => getComputedStyle(element).position"
        )
        == "static"
    )
