"""A file over its form's cap is refused in the page as soon as it is chosen, with the
server's message, and nothing is sent (disclosure/file-limit.js); a smaller one replaces it
and the form goes (Chromium, Playwright)."""

from __future__ import annotations

import pytest

from disclosure.jobs.models import Job
from disclosure.vocab import BodyKind, Role
from tests.browser.conftest import log_in, screenshot
from tests.disclosure.import_helpers import REQUEST_HEADER, xlsx
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


def test_a_workbook_over_the_cap_is_refused_before_it_is_sent(live_server, page, tmp_path):
    county = BodyFactory(code="county", name="某县人民政府", kind=BodyKind.GOVERNMENT)
    MembershipFactory(user=UserFactory(username="clerk"), body=county, role=Role.EDIT)
    large = tmp_path / "全年台账.xlsx"
    large.write_bytes(b"\0" * (21 * MB))
    log_in(page, live_server.url, "clerk")
    page.goto(live_server.url + "/admin/disclosure/import/")
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)

    page.set_input_files("#id_file", str(large))
    page.get_by_role("button", name="导入").click()

    error = page.locator(".file-limit-error")
    assert error.inner_text() == "文件“全年台账.xlsx”约 21.0 MB，超过 20 MB 的上限。"
    assert sent == [] and Job.objects.count() == 0
    assert page.evaluate("document.activeElement.id") == "id_file"
    screenshot(page, "upload-too-large")

    small = tmp_path / "台账.xlsx"
    small.write_bytes(xlsx({"申请": [REQUEST_HEADER]}))
    page.set_input_files("#id_file", str(small))
    assert error.count() == 0
    page.get_by_role("button", name="导入").click()
    page.wait_for_url("**/admin/disclosure/import/?job=*")
    assert Job.objects.count() == 1
