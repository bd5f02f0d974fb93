"""A clerk's letter in a real browser (Debian's Chromium, ``conftest``): from
a concluded request to a drafted 答复告知书, issued by the body's publisher, downloaded as
PDF and served. With ``SCREENSHOT_DIR`` set, each step is saved as a PNG there."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from disclosure.letters.models import Letter
from disclosure.letters.vocab import LetterState, ServiceMethod
from disclosure.vocab import Result
from tests.browser.conftest import DESKTOP, log_in, screenshot
from tests.letters.world import PREFIX, concluded, make_world, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server.url, username)
    return context, page


def test_a_clerk_takes_a_concluded_request_to_an_issued_and_served_reply(
    live_server,
    browser,
):
    world = make_world()
    request = concluded(world.body, Result.GRANTED)
    clerk_context, clerk = logged_in(browser, live_server, world.clerk.username)

    clerk.goto(f"{live_server.url}/admin/disclosure/informationrequest/{request.pk}/change/")
    clerk.click("text=起草文书")
    clerk.wait_for_selector("#letter-draft-form")
    clerk.select_option("#id_kind", "reply")
    clerk.select_option("#id_format", "pdf")
    clerk.fill("#id_facts-provision_method", "随本告知书附送复印件")
    screenshot(clerk, "letter-draft-form")
    clerk.click("input[name=draft]")
    clerk.wait_for_selector(".letter-preview")
    preview = clerk.locator(".letter-preview").inner_text()
    assert "草稿" in preview and "第三十六条第（二）项" in preview
    assert "随本告知书附送复印件" in preview
    letter = Letter.objects.get()
    letter_url = f"{live_server.url}/admin/letters/letter/{letter.pk}/change/"
    assert clerk.url == letter_url
    assert clerk.locator(".letter-issue-link").count() == 0  # issuing is the publisher's

    publisher_context, publisher = logged_in(browser, live_server, world.publisher.username)
    publisher.goto(letter_url)
    publisher.click(".letter-issue-link")
    publisher.wait_for_selector("#letter-issue-form")
    screenshot(publisher, "letter-issue")
    publisher.click("input[name=issue]")
    publisher.wait_for_selector(".messagelist .success")
    number = f"{PREFIX}〔{timezone.localdate().year}〕1号"
    assert number in publisher.locator(".messagelist").inner_text()
    publisher_context.close()

    clerk.goto(letter_url)
    with clerk.expect_download() as download_info:
        clerk.click(".letter-download-pdf")
    download = download_info.value
    assert download.suggested_filename == f"政府信息公开申请答复告知书（{number}）.pdf"
    text = pdf_text(Path(download.path()).read_bytes())
    assert number in text and "草稿" not in text and "张三丰" in text

    clerk.click(".letter-serve-link")
    clerk.fill("#id_served_on", timezone.localdate().isoformat())
    clerk.select_option("#id_service_method", ServiceMethod.IN_PERSON)
    clerk.fill("#id_receiver", "张三丰")
    clerk.click("input[type=submit]")
    clerk.wait_for_selector(".messagelist .success")
    screenshot(clerk, "letter-served")
    letter.refresh_from_db()
    assert (letter.state, letter.receiver) == (LetterState.SERVED, "张三丰")
    assert letter.served_on == timezone.localdate()

    clerk.goto(f"{live_server.url}/admin/disclosure/informationrequest/{request.pk}/change/")
    assert "已送达" in clerk.locator("#content-main").inner_text()
    clerk_context.close()
