"""An issued letter as LibreOffice opens and prints its Word file, and as the PDF prints:
the 文号, the citation and the remedies are there, and the signature never stands alone on
a page (the last paragraph goes with it)."""

from __future__ import annotations

import shutil

import pytest

from disclosure.letters import services
from disclosure.letters.vocab import LetterKind
from disclosure.vocab import Result
from tests.letters.world import PREFIX, add_facts, concluded, flat, make_world
from tests.reports.libreoffice import convert_to_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is missing"),
]


def _pages_with(pages: list[str], words: str) -> list[int]:
    return [index for index, page in enumerate(pages) if flat(words) in flat(page)]


def test_an_issued_reply_prints_whole_in_libreoffice_and_as_pdf(tmp_path):
    world = make_world()
    request = concluded(world.body, Result.PARTIALLY_GRANTED)
    add_facts(
        request,
        withheld_result=Result.DENIED_PROCESS_INFO,
        provision_method="随本告知书附送复印件",
    )
    letter = services.letter_issue(
        actor=world.publisher,
        letter=services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY),
    )
    printed = convert_to_pdf(
        {
            "reply.docx": services.draft_file(letter, "docx"),
        },
        tmp_path,
    )["reply.docx"]
    text = flat("".join(printed))
    assert f"{PREFIX}〔" in text and "第三十七条、第十六条第二款、第三十六条第（三）项" in text
    assert "对行政复议决定不服的" in text and "草稿" not in text
    signature = _pages_with(printed, "（盖章）")
    assert signature and signature == _pages_with(printed, "特此告知。")
