"""A staff user imports a workbook from the admin and watches its progress bar reach 完成,
the import running on a real worker (Chromium, Playwright; broker and worker as in CI's
PostgreSQL pass)."""

from __future__ import annotations

import pytest

from disclosure.models import InformationRequest
from disclosure.vocab import BodyKind, Role
from tests.browser.conftest import log_in
from tests.disclosure.import_helpers import REQUEST_HEADER, xlsx
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.broker, pytest.mark.django_db(transaction=True)]

ROWS = 400


def test_a_clerk_watches_the_import_progress_reach_done(
    live_server, start_test_worker, page, tmp_path
):
    county = BodyFactory(code="county", name="某县人民政府", kind=BodyKind.GOVERNMENT)
    clerk = UserFactory(username="clerk")
    MembershipFactory(user=clerk, body=county, role=Role.EDIT)
    workbook = tmp_path / "台账.xlsx"
    workbook.write_bytes(
        xlsx(
            {
                "申请": [REQUEST_HEADER]
                + [
                    ["county", f"B-{n:04d}", "2023-03-01", "自然人", None, None, "当面", "内容"]
                    for n in range(ROWS)
                ]
            }
        )
    )
    start_test_worker()

    log_in(page, live_server.url, "clerk")
    page.goto(live_server.url + "/admin/disclosure/import/")
    page.set_input_files("#id_file", str(workbook))
    page.get_by_role("button", name="导入").click()

    page.wait_for_url("**/admin/disclosure/import/?job=*")
    bar = page.locator(".job-progress")
    assert bar.get_attribute("data-finished") == "0"
    assert bar.locator(".job-progress-status").inner_text() in {"排队", "进行中"}
    page.screenshot(path=str(tmp_path / "running.png"))

    # The script polls the job and reloads the page when it ends.
    page.get_by_text("导入完成。").wait_for(timeout=300_000)
    page.screenshot(path=str(tmp_path / "done.png"))
    assert page.locator(".job-progress").count() == 0
    # The created count links to the records, in pages of 200 ids.
    assert page.locator("#import-summary tbody td").all_inner_texts() == [
        "申请",
        f"{ROWS} 第1–200条 第201–400条",
        "0",
        "0",
    ]
    assert InformationRequest.objects.filter(body=county).count() == ROWS
