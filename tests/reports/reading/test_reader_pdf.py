"""``read_report`` on PDFs from two producers: the product's own (WeasyPrint) and
LibreOffice's conversion of the product's Word file, whose table 三 runs over two pages
with its header repeated; a damaged copy with blank cells; a PDF without a text layer."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest

from reports import exports
from reports.exports.pdf import render_pdf
from reports.reading.errors import ReadingError
from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from tests.reports.reading.data import (
    MINQIN_FINDINGS,
    MINQIN_REPAIRS,
    SEED_REPAIRS,
    assert_seed_findings,
    cell_differences,
    findings_of,
    minqin_html,
    minqin_tables,
    printed_narrative,
    repairs_of,
    seed_document,
    seed_finding_tuples,
    squash,
    with_cells,
)

NO_BODIES = BodyIndex([])
OFFICE_TIMEOUT = 240


@pytest.fixture(scope="module")
def product_pdf() -> bytes:
    return render_pdf(seed_document())


@pytest.fixture(scope="module")
def libreoffice_pdf(tmp_path_factory) -> bytes:
    """The product's Word file as LibreOffice prints it to PDF (made here, not stored)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice is missing and REQUIRE_OFFICE=1")
        pytest.skip("LibreOffice is missing (scripts/system-packages.sh installs it for tests)")
    folder = tmp_path_factory.mktemp("office")
    source = folder / "wuwei-2023.docx"
    source.write_bytes(exports.render(seed_document(), "docx"))
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=OFFICE_TIMEOUT,
    )
    return (folder / "wuwei-2023.pdf").read_bytes()


def _narrative_as_printed(reading) -> None:
    expected = seed_document()
    for key, text in expected["narrative"].items():
        assert printed_narrative(reading.document["narrative"][key]) == printed_narrative(text), key
    for key, text in expected["cover_letter"].items():
        assert squash(reading.document["cover_letter"][key]) == squash(text), key


def test_the_products_own_pdf_gives_every_cell_and_the_seed_findings(product_pdf):
    reading = read_report(product_pdf, "wuwei-2023.pdf", bodies=NO_BODIES)
    assert reading.source.kind == "pdf"
    assert cell_differences(reading.document, seed_document()) == []
    assert reading.repairs == []
    assert reading.unresolved == []
    assert_seed_findings(reading)
    document = reading.document
    assert (document["body"], document["body_name"], document["year"], document["scope"]) == (
        "",
        "武威市人民政府",
        2023,
        "all",
    )
    _narrative_as_printed(reading)


def test_page_numbers_are_not_read_into_the_text(product_pdf):
    reading = read_report(product_pdf, "wuwei-2023.pdf", bodies=NO_BODIES)
    assert reading.source.pages >= 8
    assert not any(line.text.startswith("—") for line in reading.source.lines)


def test_the_libreoffice_pdf_of_the_products_word_file_is_read_across_its_page_break(
    libreoffice_pdf,
):
    reading = read_report(libreoffice_pdf, "wuwei-2023.pdf", bodies=NO_BODIES)
    request_rows = [
        line
        for line in reading.source.lines
        if line.grid and any(cell and "属于" in cell for cell in line.cells)
    ]
    assert len({line.page for line in request_rows}) == 2  # table 三 runs over two pages
    assert cell_differences(reading.document, seed_document()) == []
    assert reading.repairs == []
    assert reading.unresolved == []
    assert_seed_findings(reading)
    _narrative_as_printed(reading)


def test_cells_printed_blank_are_repaired_where_the_identities_determine_them():
    blanks = {
        ("requests", "granted", "natural_person"): None,
        ("requests", "carried_forward", "total"): None,
        ("appeals", "reconsideration", "total"): None,
        ("proactive", "penalty", "decisions"): None,
    }
    damaged = with_cells(seed_document(), blanks)
    reading = read_report(render_pdf(damaged), "damaged.pdf", bodies=NO_BODIES)
    expected = with_cells(seed_document(), {("proactive", "penalty", "decisions"): None})
    assert cell_differences(reading.document, expected) == []
    assert repairs_of(reading) == [
        ("requests", "granted", "natural_person", 162),
        ("requests", "carried_forward", "total", 1),
        ("appeals", "reconsideration", "total", 10),
    ]
    assert [(r.identity, r.confirmed_by) for r in reading.repairs] == [
        ("results_total", ("row_total",)),
        ("balance", ("row_total",)),
        ("appeals_total", ()),
    ]
    assert [(u["table"], u["row"], u["column"], u["printed"]) for u in reading.unresolved] == [
        ("proactive", "penalty", "decisions", "blank")
    ]
    assert reading.unresolved[0]["reason"] == "原文此格空白。表二没有勾稽关系，不作修复。"
    assert findings_of(reading) == [
        ("blank_cell", "error", "proactive", "penalty", "decisions", None, None),
        *seed_finding_tuples(),
    ]
    assert reading.has_errors


def test_the_seeds_lost_cells_printed_blank_in_a_pdf_are_repaired_as_from_the_text():
    damaged = with_cells(seed_document(), {cell[:3]: None for cell in SEED_REPAIRS})
    reading = read_report(render_pdf(damaged), "damaged.pdf", bodies=NO_BODIES)
    assert cell_differences(reading.document, seed_document()) == []
    assert repairs_of(reading) == SEED_REPAIRS
    assert_seed_findings(reading)


def test_a_pdf_without_a_text_layer_is_named_as_such():
    from PIL import Image

    scan = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(scan, "PDF")
    with pytest.raises(ReadingError, match="没有文字层"):
        read_report(scan.getvalue(), "scan.pdf", bodies=NO_BODIES)


def test_a_damaged_pdf_is_named_as_such(product_pdf):
    with pytest.raises(ReadingError, match="PDF"):
        read_report(product_pdf[:2000], "broken.pdf", bodies=NO_BODIES)


def test_a_pdf_whose_tables_have_no_rules_is_read_from_the_positions_of_its_figures():
    """The government-site page printed to PDF with every border removed: rows are rebuilt
    from the characters' positions, the blank cell placed by its column's position."""
    from weasyprint import CSS, HTML

    html = minqin_html().replace('border="1"', 'border="0"')
    html = html.replace('<link rel="stylesheet" href="/css/style.css">', "")
    css = CSS(
        string="@page { size: A4; margin: 2cm } body { font-family: 'Noto Serif CJK SC'; "
        "font-size: 11pt } td { border: none; padding: 2pt 6pt } .header, .nav, .location, "
        ".left-menu, .footer, .article-info, .article-tools { display: none }"
    )
    pdf = HTML(string=html).write_pdf(stylesheets=[css])
    reading = read_report(pdf, "minqin-2023.pdf", bodies=NO_BODIES)
    assert not any(line.grid for line in reading.source.lines)
    assert cell_differences(reading.document, minqin_tables()) == []
    assert repairs_of(reading) == MINQIN_REPAIRS
    assert reading.unresolved == []
    assert findings_of(reading) == MINQIN_FINDINGS
