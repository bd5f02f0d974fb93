"""``read_report`` on the product's own Word file (python-docx: tables as tables)."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterable

import pytest

from reports import exports
from reports.reading.errors import ReadingError
from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from tests.reports.reading.data import (
    assert_seed_findings,
    cell_differences,
    printed_narrative,
    seed_document,
    with_cells,
)


def test_the_products_word_file_gives_every_cell_and_the_seed_findings():
    data = exports.render(seed_document(), "docx")
    reading = read_report(data, "wuwei-2023.docx", bodies=BodyIndex([]))
    assert reading.source.kind == "docx"
    assert cell_differences(reading.document, seed_document()) == []
    assert reading.repairs == []
    assert reading.unresolved == []
    assert_seed_findings(reading)
    for key, text in seed_document()["narrative"].items():
        assert printed_narrative(reading.document["narrative"][key]) == printed_narrative(text)
    assert reading.document["cover_letter"] == seed_document()["cover_letter"]


def test_a_blank_cell_of_the_word_file_is_repaired():
    damaged = with_cells(seed_document(), {("requests", "new_received", "total"): None})
    reading = read_report(exports.render(damaged, "docx"), "damaged.docx", bodies=BodyIndex([]))
    assert cell_differences(reading.document, seed_document()) == []
    assert [(r.cell, r.value, r.identity) for r in reading.repairs] == [
        (("requests", "new_received", "total"), 259, "balance")
    ]
    assert_seed_findings(reading)


def with_document_xml(data: bytes, document_xml: bytes, **options) -> bytes:
    """The Word file ``data`` with its body replaced (``options``: how it is compressed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, **options) as target:
        for part in source.infolist():
            if part.filename == "word/document.xml":
                target.writestr("word/document.xml", document_xml)
            else:
                target.writestr(part, source.read(part.filename))
    return out.getvalue()


def body_of(paragraphs: Iterable[str]) -> bytes:
    runs = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{runs}</w:body></w:document>"
    ).encode()


def test_a_word_file_that_inflates_like_a_bomb_is_refused_before_it_is_parsed():
    word = exports.render(seed_document(), "docx")
    bomb = with_document_xml(word, body_of(["一、总体情况"] * 200_000), compresslevel=9)

    with pytest.raises(ReadingError) as refused:
        read_report(bomb, "bomb.docx", bodies=BodyIndex([]))

    assert re.fullmatch(
        r"文件解压后膨胀异常：部件“word/document\.xml”压缩比为 [\d,]+:1，超过 100:1，"
        r"不予读取（可能是“压缩炸弹”）。",
        str(refused.value),
    )


def test_a_word_body_over_the_cap_of_parts_read_whole_is_refused():
    word = exports.render(seed_document(), "docx")
    numbers = random.Random(14)
    large = body_of(f"{numbers.getrandbits(64):x}" for _ in range(400_000))
    assert len(large) > 10 * 1024 * 1024

    with pytest.raises(ReadingError) as refused:
        read_report(with_document_xml(word, large), "large.docx", bodies=BodyIndex([]))

    assert re.fullmatch(
        r"Word 文件的部件“word/document\.xml”解压后为 \d+ MB，超过 10 MB 的上限，不予读取。",
        str(refused.value),
    )
