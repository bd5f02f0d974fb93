"""The official PDF read back with pypdf: every label of the format and every figure of the
seed report in its place, embedded fonts, metadata, the cover letter page, PDF/A, and the
refusal without a CJK font."""

from __future__ import annotations

import io
import re
import subprocess

import pdfplumber
import pytest
from pypdf import PdfReader

from disclosure import pdf as pdf_checks
from reports import format as fmt
from reports.exports.layout import display
from reports.exports.pdf import render_html, render_pdf
from reports.system_checks import PdfUnavailable
from tests.reports.engine_data import seed_document

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="module")
def seed_pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(seed_document())))


@pytest.fixture(scope="module")
def tables_only_pdf() -> PdfReader:
    doc = seed_document()
    for key in ("narrative", "cover_letter"):
        del doc[key]
    doc["requests"]["rows"]["granted"]["research_institution"] = None
    return PdfReader(io.BytesIO(render_pdf(doc)))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def loose(text: str) -> str:
    """A pattern for ``text`` that allows line breaks anywhere (narrow table cells wrap)."""
    return r"\s*".join(re.escape(char) for char in text if not char.isspace())


def page_with(reader: PdfReader, heading: str) -> str:
    (found,) = [text for text in page_texts(reader) if heading in text]
    return found


def test_cover_letter_is_its_own_unnumbered_first_page(seed_pdf):
    cover, first = page_texts(seed_pdf)[:2]

    assert "武政函〔2024〕15号" in cover
    assert "省政府信息公开办：" in cover
    assert "现将《武威市2023年政府信息公开工作年度报告》报来,请审示。" in re.sub(r"\s", "", cover)
    assert "2024年2月21日" in cover
    assert "—" not in cover
    assert "一、总体情况" not in cover
    assert first.startswith("武威市人民政府2023年\n政府信息公开工作年度报告")
    assert first.rstrip().endswith("草稿\n— 1 — 未发布")


def test_pages_are_numbered_with_dashes_from_the_report_start(seed_pdf):
    numbers = [text.rstrip().splitlines()[-1] for text in page_texts(seed_pdf)[1:]]

    assert numbers == [f"— {n} — 未发布" for n in range(1, len(seed_pdf.pages))]


def test_without_cover_letter_the_report_starts_on_page_1(tables_only_pdf):
    first = page_texts(tables_only_pdf)[0]

    assert first.startswith("武威市人民政府2023年\n政府信息公开工作年度报告")
    assert first.rstrip().endswith("草稿\n— 1 — 未发布")


# --- what the document is -----------------------------------------------------------------


@pytest.fixture(scope="module")
def published_pdf() -> PdfReader:
    doc = seed_document()
    doc.update(
        version=2, published_at="2024-03-20T10:00:00+08:00", sha256="0123456789ab" + "f" * 52
    )
    return PdfReader(io.BytesIO(render_pdf(doc)))


def test_every_page_of_a_draft_says_draft_at_the_head_and_unpublished_at_the_foot():
    top_margin, bottom_margin = 37 * MM, 35 * MM
    with pdfplumber.open(io.BytesIO(render_pdf(seed_document()))) as pdf:
        marks = [
            (
                [w["text"] for w in page.extract_words() if w["bottom"] < top_margin],
                [w["text"] for w in page.extract_words() if w["top"] > page.height - bottom_margin],
            )
            for page in pdf.pages
        ]
    assert [head for head, _foot in marks] == [["草稿"]] * len(marks)
    assert [foot[-1] for _head, foot in marks] == ["未发布"] * len(marks)


def test_a_draft_carries_its_watermark_behind_the_text_as_a_drawing_not_as_text():
    html = render_html(seed_document())

    assert re.search(
        r'<div class="watermark" aria-hidden="true"><img src="file://[^"]+/draft-watermark\.svg"',
        html,
    )
    # Drawn as outlines: the text layer holds 草稿 once per page, in the running header.
    texts = page_texts(PdfReader(io.BytesIO(render_pdf(seed_document()))))
    assert [text.count("草稿") for text in texts] == [1] * len(texts)
    assert [text.count("稿") for text in texts] == [1] * len(texts)


def test_every_page_of_a_published_version_carries_its_number_and_sha256(published_pdf):
    texts = page_texts(published_pdf)

    assert [text.rstrip().endswith("第2版 · SHA-256：0123456789ab") for text in texts] == [
        True
    ] * len(texts)
    assert [text for text in texts if "草稿" in text or "未发布" in text] == []
    assert texts[1].startswith("武威市人民政府2023年\n政府信息公开工作年度报告")


def test_sections_are_printed_in_order(seed_pdf):
    text = "\n".join(page_texts(seed_pdf))

    positions = [text.index(section.heading) for section in fmt.SECTIONS]
    assert positions == sorted(positions)


def test_tables_only_document_prints_the_three_tables_without_narrative_headings(
    tables_only_pdf,
):
    text = "\n".join(page_texts(tables_only_pdf))

    for section in fmt.SECTIONS:
        assert (section.heading in text) is (section.kind == "table")


def test_every_label_of_table_2_and_figure_of_the_seed_in_its_row(seed_pdf):
    doc = seed_document()
    text = page_with(seed_pdf, fmt.TABLE_LABELS["proactive"])

    for group in fmt.PROACTIVE_GROUPS:
        header = [fmt.PROACTIVE_ROW_LABEL_HEADING, *(column.label for column in group.columns)]
        assert re.search(loose(group.heading) + r"\s+" + r"\s+".join(header), text)
        for row in group.rows:
            figures = [display(doc["proactive"][row.key][c.key]) for c in group.columns]
            assert re.search(r"\n" + loose(row.label) + r"\s+" + r"\s+".join(figures) + r"\n", text)


def test_every_label_of_table_3_and_figure_of_the_seed_in_its_row(seed_pdf):
    doc = seed_document()
    text = page_with(seed_pdf, fmt.TABLE_LABELS["requests"])

    for label in (
        fmt.REQUEST_HEADER_NOTE,
        fmt.REQUEST_COLUMN_HEADING,
        *(span.label for span in fmt.REQUEST_COLUMN_GROUPS),
        *(column.label for column in fmt.REQUEST_COLUMNS),
        *(span.label for span in fmt.REQUEST_ROW_GROUPS),
    ):
        assert re.search(loose(label), text), label
    for row in fmt.REQUEST_ROWS:
        figures = [str(doc["requests"]["rows"][row.key][key]) for key in fmt.REQUEST_COLUMN_KEYS]
        pattern = loose(row.label) + r"\s+" + r"\s+".join(figures) + r"\n"
        assert re.search(pattern, text), row.key


def test_every_label_of_table_4_and_figure_of_the_seed_in_order(seed_pdf):
    doc = seed_document()
    text = page_with(seed_pdf, fmt.TABLE_LABELS["appeals"])

    labels = [
        *(group.label for group in fmt.APPEAL_GROUPS),
        *(span.label for span in fmt.APPEAL_GROUP_SPANS),
        *(column.label for column in fmt.APPEAL_COLUMNS),
    ]
    for label in labels:
        assert re.search(loose(label), text), label
    figures = [
        str(doc["appeals"][group][column])
        for group in fmt.APPEAL_GROUP_KEYS
        for column in fmt.APPEAL_COLUMN_KEYS
    ]
    assert re.search(r"总计\n" + r"\s+".join(figures) + r"\n", text)


def test_blank_kept_from_an_original_is_marked_and_explained(tables_only_pdf):
    text = page_with(tables_only_pdf, fmt.TABLE_LABELS["requests"])

    assert re.search(r"（一）予以公开\s+162\s+2\s+※\s+0\s+0\s+0\s+164\n", text)
    assert "※ 原报告此处空白，按原件保留，未填写数字。" in text


def test_narrative_paragraphs_are_printed(seed_pdf):
    text = re.sub(r"\s", "", "".join(page_texts(seed_pdf)))

    assert "2023年,全市共收到政府信息公开申请261件" in text
    assert "武威市各级政府及其部门2023年度没有产生信息处理费" in text


def test_metadata_title_author_and_language(seed_pdf):
    assert seed_pdf.metadata.title == "武威市人民政府2023年政府信息公开工作年度报告"
    assert seed_pdf.metadata.author == "武威市人民政府"
    assert seed_pdf.trailer["/Root"]["/Lang"] == "zh-CN"


def pdf_fonts(reader: PdfReader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    return fonts


def test_fonts_are_the_three_noto_cjk_faces_all_embedded(seed_pdf):
    fonts = pdf_fonts(seed_pdf)

    faces = {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts}
    assert faces == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC-Bold"}
    for name, font in fonts.items():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        embedded = [key for key in descriptor if key.startswith("/FontFile")]
        assert embedded, name


def test_html_repeats_table_headers_through_thead(seed_pdf):
    html = render_html(seed_document())

    requests = html[html.index('id="table-requests"') :]
    requests = requests[: requests.index("</table>")]
    assert requests.count("<thead>") == 1
    assert requests.index("<thead>") < requests.index("<tbody>")
    assert 'lang="zh-CN"' in html


def test_archival_variant_is_pdf_a_3b():
    reader = PdfReader(io.BytesIO(render_pdf(seed_document(), archival=True)))

    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"


def test_without_a_cjk_font_export_stops_naming_the_package(monkeypatch):
    def fc_list_finds_nothing(args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    monkeypatch.setattr(pdf_checks.subprocess, "run", fc_list_finds_nothing)
    drawn = []
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda *a, **k: drawn.append(a))

    with pytest.raises(PdfUnavailable, match="apt-get install fonts-noto-cjk"):
        render_pdf(seed_document())
    assert drawn == []


def test_table_header_rows_repeat_on_every_page_a_table_breaks_across():
    from weasyprint import CSS, HTML

    from reports.exports.pdf import stylesheet

    doc = seed_document()
    del doc["narrative"], doc["cover_letter"]
    small_pages = CSS(string="@page { size: A5 }")  # 表三 no longer fits on one page
    data = HTML(string=render_html(doc)).write_pdf(stylesheets=[stylesheet(), small_pages])

    pages = [
        text
        for text in page_texts(PdfReader(io.BytesIO(data)))
        if any(re.search(loose(row.label), text) for row in fmt.REQUEST_ROWS)
    ]
    assert len(pages) == 3
    for text in pages:
        assert re.search(loose(fmt.REQUEST_HEADER_NOTE), text)
        assert re.search(loose("法人或其他组织"), text)
