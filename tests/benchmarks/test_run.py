"""The reading row of ``benchmarks/run.py`` measures what it says (no timing assertions)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from benchmarks import run
from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from tests.reports.reading.data import assert_seed_findings, cell_differences, seed_document


def test_the_reading_benchmark_reads_and_checks_a_ten_page_pdf_of_the_seed_report():
    pdf = run.reading_pdf()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == run.READING_PAGES
    reading = read_report(pdf, "report.pdf", bodies=BodyIndex([]))
    assert cell_differences(reading.document, seed_document()) == []
    assert reading.repairs == []
    assert_seed_findings(reading)
