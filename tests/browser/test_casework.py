"""A clerk's day in the admin, in Chromium (Playwright): from the 工作台 to an overdue request
and back, and the request list read at 1280 px beside the side menu."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from disclosure.vocab import BodyKind, Result, Role
from tests.browser.conftest import log_in
from tests.factories import (
    ApplicantFactory,
    BodyFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_RESULTS = [
    Result.REJECTED_CONFIRMATION,  # 不予处理：要求行政机关确认或重新出具已获取信息
    Result.DENIED_THREE_SAFETIES,
    Result.OTHER_NO_CORRECTION,
    Result.UNABLE_NEEDS_CREATION,
    Result.GRANTED,
]


@pytest.fixture
def county():
    """A county clerk's records, dated from today: one overdue request among others."""
    today = timezone.localdate()
    county = BodyFactory(code="liangzhou", name="凉州区人民政府", kind=BodyKind.GOVERNMENT)
    department = BodyFactory(code="lz-zrzy", name="凉州区自然资源局", parent=county)
    clerk = UserFactory(username="clerk")
    MembershipFactory(user=clerk, body=county, role=Role.EDIT)
    applicant = ApplicantFactory(name="王示例", contact="13909351234")
    overdue = RequestFactory(
        body=department,
        reference=f"{today.year}-0001",
        applicant=applicant,
        received_on=today - datetime.timedelta(days=45),
        due_date=today - datetime.timedelta(days=10),
        content="某地块征收补偿方案",
    )
    for number, result in enumerate(LONG_RESULTS, start=2):
        received = today - datetime.timedelta(days=60 + number)
        RequestFactory(
            body=department if number % 2 else county,
            reference=f"{today.year}-{number:04d}",
            received_on=received,
            due_date=received + datetime.timedelta(days=28),
            concluded_on=received + datetime.timedelta(days=20),
            result=result,
        )
    RequestFactory(
        body=county,
        reference=f"{today.year}-0009",
        received_on=today - datetime.timedelta(days=3),
        due_date=today + datetime.timedelta(days=25),
    )
    return overdue


def test_a_clerk_walks_from_the_worklist_to_an_overdue_request_and_back(
    live_server, page, county, tmp_path
):
    log_in(page, live_server.url, "clerk")
    overdue_row = page.locator("#worklist-overdue")
    assert overdue_row.locator(".disclosure-worklist-count a").inner_text() == "1"
    page.screenshot(path=str(tmp_path / "worklist.png"), full_page=True)

    overdue_row.locator(".disclosure-worklist-count a").click()
    page.wait_for_url("**/admin/disclosure/informationrequest/?worklist=overdue")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "逾期10天" in rows.first.inner_text()

    rows.first.locator("th a").click()
    page.wait_for_url(f"**/admin/disclosure/informationrequest/{county.pk}/change/**")
    identity = page.locator(".field-applicant_identity .readonly").inner_text()
    assert "王示例" in identity and "13909351234" in identity
    assert "逾期" in page.locator(".field-status_display .readonly").inner_text()
    page.screenshot(path=str(tmp_path / "request.png"), full_page=True)

    page.locator("div.breadcrumbs a").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#disclosure-worklist").is_visible()
    assert page.locator("#worklist-overdue .disclosure-worklist-requests a").first.inner_text() == (
        county.reference
    )


# Where each cell's text starts a new line: a break is allowed only between elements (the
# body under the reference, a badge under its date, a result's <wbr>), after "：" or at a
# space, never inside a word.
LINE_BREAKS = """
() => {
  const cells = [...document.querySelectorAll('#result_list tbody td, #result_list tbody th')];
  const bad = [];
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let previousTop = null, previousChar = '';
    while (walker.nextNode()) {
      const node = walker.currentNode;
      previousChar = ' ';  // a new text node: a break before it is between elements
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (!rect.width) continue;
        if (previousTop !== null && rect.top > previousTop + 2 && !'：: '.includes(previousChar)) {
          bad.push(cell.className + ': ' + cell.innerText);
          break;
        }
        previousTop = rect.top;
        previousChar = node.data[i];
      }
    }
  }
  return bad;
}
"""


def test_the_request_list_reads_at_1280_px_beside_the_side_menu(
    live_server, page, county, tmp_path
):
    log_in(page, live_server.url, "clerk")
    page.goto(f"{live_server.url}/admin/disclosure/informationrequest/")
    assert page.locator("#nav-sidebar").is_visible()
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert [h.strip() for h in headers[1:]] == [
        "申请编号",
        "申请人类型",
        "收到申请日期",
        "答复期限",
        "状态",
        "办理结果",
    ]
    page.screenshot(path=str(tmp_path / "request-list-1280.png"), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "request-list-1280.png"))
    overflow = page.evaluate(
        """() => {
          const results = document.querySelector('#changelist .results');
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            list: results.scrollWidth - results.clientWidth,
          };
        }"""
    )
    assert overflow == {"page": 0, "list": 0}
    assert page.evaluate(LINE_BREAKS) == []
