"""The caps of a report file being read (``reports.reading.limits``): a file past one is
refused by name as soon as it passes it. PDF caps: tests/reports/test_reading_pdf_limits.py."""

from __future__ import annotations

import pytest

from reports.reading import limits
from reports.reading.errors import ReadingError
from reports.reading.readers import read_source
from reports.reading.readers.word import read_docx
from tests.reports.reading.test_reader_docx import body_of, with_document_xml

NOT_A_REPORT = "不像一份年度报告，不予读取。"


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ReadingError) as refused:
        read_source(data, name)
    return str(refused.value)


def test_a_text_of_more_lines_than_any_report_is_refused_at_the_cap():
    # Thirty thousand lines of a digit: the whole file would have been read (ten million
    # such lines took 7.9 GB and more than four minutes).
    text = "".join(f"{n % 10}\n" for n in range(30_000)).encode()

    assert refusal(text, "报告.txt") == f"文件超过 20,000 行文字，{NOT_A_REPORT}"


def test_a_line_longer_than_any_report_holds_is_refused_before_it_is_split(monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_CHARACTERS", 1_000)
    text = ("一、总体情况\n" + "1\t" * 501).encode()

    assert refusal(text, "报告.txt") == f"文件中有一行超过 1,000 个字符，{NOT_A_REPORT}"


def test_cells_beyond_the_cap_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 50)
    text = ("\t".join(["1"] * 30) + "\n").encode() * 2

    assert refusal(text, "报告.txt") == f"文件中的单元格超过 50 个，{NOT_A_REPORT}"


def test_a_web_page_of_more_tags_than_any_report_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(limits, "MAX_HTML_TAGS", 100)
    page = ("<html><body>" + "<p>1</p>" * 60 + "</body></html>").encode()

    assert refusal(page, "报告.html") == f"网页超过 100 个标签（约 124 个），{NOT_A_REPORT}"


def test_a_table_whose_merges_span_beyond_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 5_000)
    # Three cells, each merged over a hundred rows and a hundred columns.
    cells = '<td rowspan="100" colspan="100">1</td>' * 3
    page = f"<html><body><table><tr>{cells}</tr></table></body></html>".encode()

    assert refusal(page, "报告.html") == f"网页中的表格超过 5,000 个单元格，{NOT_A_REPORT}"


def test_a_word_file_of_more_lines_than_the_cap_is_refused(monkeypatch):
    from reports import exports
    from tests.reports.reading.data import seed_document

    monkeypatch.setattr(limits, "MAX_LINES", 100)
    word = with_document_xml(
        exports.render(seed_document(), "docx"), body_of(str(n) for n in range(101))
    )

    with pytest.raises(ReadingError) as refused:
        read_docx(word)
    assert str(refused.value) == f"文件超过 100 行文字，{NOT_A_REPORT}"
