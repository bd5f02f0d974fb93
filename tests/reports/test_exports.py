"""The table partials (public pages and PDF), CSV, JSON and the export_report command."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from disclosure import pdf as pdf_checks
from reports import exports
from reports import format as fmt
from reports.exports.csv import render_csv
from reports.exports.jsonexport import render_json
from reports.exports.layout import Paragraph, display, paragraphs
from reports.importing import report_import
from reports.management.commands.export_report import export_document
from reports.models import Report, ReportStatus, ReportVersion, Scope
from tests.factories import BodyFactory, RequestFactory
from tests.reports.engine_data import document, seed_document


@pytest.fixture
def doc() -> dict:
    return seed_document()


class Cells(HTMLParser):
    """Every th/td of a rendered partial with its attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.captions: list[str] = []
        self._open: dict | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self._open = {"tag": tag, **dict(attrs), "text": ""}
        elif tag == "caption":
            self._in_caption = True
            self.captions.append("")

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._open is not None:
            self.cells.append(self._open)
            self._open = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data
        if self._in_caption:
            self.captions[-1] += data


def parse(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


def header(cells: Cells, text: str) -> dict:
    (found,) = [cell for cell in cells.cells if cell["tag"] == "th" and cell["text"] == text]
    return found


# --- partials ------------------------------------------------------------------------------


def test_requests_partial_prints_the_three_line_header_merged_as_the_format(doc):
    cells = parse(render_to_string("reports/_table_requests.html", {"doc": doc}))

    note = header(cells, fmt.REQUEST_HEADER_NOTE)
    assert (note["rowspan"], note["colspan"]) == ("3", "3")
    assert header(cells, "申请人情况")["colspan"] == "7"
    assert header(cells, "法人或其他组织")["colspan"] == "5"
    assert header(cells, "自然人")["rowspan"] == "2"
    assert header(cells, "总计")["rowspan"] == "2"
    assert header(cells, "三、本年度办理结果")["rowspan"] == "22"
    assert header(cells, "（三）不予公开")["rowspan"] == "8"
    assert header(cells, "（四）无法提供")["rowspan"] == "3"
    assert header(cells, "（五）不予处理")["rowspan"] == "5"
    assert header(cells, "（六）其他处理")["rowspan"] == "3"
    assert header(cells, "一、本年新收政府信息公开申请数量")["colspan"] == "3"
    assert header(cells, "（一）予以公开")["colspan"] == "2"
    assert cells.captions == ["三、收到和处理政府信息公开申请情况"]


def test_requests_partial_has_every_row_label_as_a_row_header(doc):
    cells = parse(render_to_string("reports/_table_requests.html", {"doc": doc}))

    row_headers = [cell["text"] for cell in cells.cells if cell.get("scope") == "row"]
    assert row_headers == [row.label for row in fmt.REQUEST_ROWS]


def test_requests_partial_data_cells_name_their_row_and_column_headers(doc):
    cells = parse(render_to_string("reports/_table_requests.html", {"doc": doc}))
    ids = {cell["id"]: cell["text"] for cell in cells.cells if "id" in cell}

    data = [cell for cell in cells.cells if cell["tag"] == "td"]
    assert len(data) == len(fmt.REQUEST_ROWS) * len(fmt.REQUEST_COLUMNS)
    first_org_cell = data[1]  # 本年新收 × 商业企业
    assert [ids[i] for i in first_org_cell["headers"].split()] == [
        "一、本年新收政府信息公开申请数量",
        "申请人情况",
        "法人或其他组织",
        "商业企业",
    ]
    assert first_org_cell["text"] == "4"
    denied_secret_total = data[4 * 7 + 6]
    assert [ids[i] for i in denied_secret_total["headers"].split()] == [
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "申请人情况",
        "总计",
    ]
    assert denied_secret_total["text"] == "10"


def test_requests_partial_prints_every_figure_of_the_seed_in_print_order(doc):
    cells = parse(render_to_string("reports/_table_requests.html", {"doc": doc}))

    data = [cell["text"] for cell in cells.cells if cell["tag"] == "td"]
    expected = [
        str(doc["requests"]["rows"][row][column])
        for row in fmt.REQUEST_ROW_KEYS
        for column in fmt.REQUEST_COLUMN_KEYS
    ]
    assert data == expected


def test_requests_partial_lets_headers_break_only_between_their_words(doc):
    html = render_to_string("reports/_table_requests.html", {"doc": doc})
    cells = parse(html)

    assert header(cells, "社会公益组织")["class"] == "words"
    assert "社会<wbr>公益<wbr>组织</th>" in html
    assert "（三）<wbr>不予<wbr>公开</th>" in html
    assert ">总计</th>" in html and header(cells, "总计")["class"] == "words"
    assert "class" not in header(cells, "法人或其他组织")
    assert "本年收费金额（单位：万元）</th>" in render_to_string(
        "reports/_table_proactive.html", {"doc": doc}
    )


def test_requests_partial_names_the_row_label_columns_for_a_phone(doc):
    cells = parse(render_to_string("reports/_table_requests.html", {"doc": doc}))

    assert header(cells, fmt.REQUEST_HEADER_NOTE)["class"] == "note lead-0"
    assert header(cells, "三、本年度办理结果")["class"] == "group level-0 lead-0"
    assert header(cells, "（四）无法提供")["class"] == "group level-1 words lead-1"
    assert header(cells, "1.本机关不掌握相关政府信息")["class"] == "label lead-2"
    assert header(cells, "一、本年新收政府信息公开申请数量")["class"] == "label lead-0"
    assert header(cells, "（七）总计")["class"] == "label lead-1"
    assert header(cells, "自然人")["class"] == "words"


def test_each_partial_states_the_digits_of_its_widest_figure(doc):
    doc["requests"]["rows"]["granted"]["total"] = 1234567

    assert 'style="--digits: 7"' in render_to_string("reports/_table_requests.html", {"doc": doc})
    assert 'style="--digits: 6"' in render_to_string("reports/_table_proactive.html", {"doc": doc})
    assert 'style="--digits: 2"' in render_to_string("reports/_table_appeals.html", {"doc": doc})


def test_computed_zero_cells_print_0_never_blank():
    empty = document("dept", 2023)
    for table in fmt.TABLE_KEYS:
        cells = parse(render_to_string(f"reports/_table_{table}.html", {"doc": empty}))

        data = [cell for cell in cells.cells if cell["tag"] == "td"]
        assert len(data) == len(fmt.cells(table))
        assert {cell["text"] for cell in data} == {"0"}
        assert {cell["class"] for cell in data} == {"num"}


def test_blank_kept_from_an_original_prints_blank_with_class_and_footnote_marker(doc):
    doc["requests"]["rows"]["granted"]["research_institution"] = None
    html = render_to_string("reports/_table_requests.html", {"doc": doc})
    cells = parse(html)

    blank = [cell for cell in cells.cells if "cell-blank" in cell.get("class", "")]
    assert len(blank) == 1
    assert blank[0]["text"] == "※（空白）"
    assert "t-requests-r-granted" in blank[0]["headers"].split()
    assert blank[0]["aria-describedby"] == "footnote-requests"
    assert '<p class="table-footnote" id="footnote-requests">※ 原报告此处空白' in html


def test_table_without_blanks_has_no_footnote(doc):
    html = render_to_string("reports/_table_requests.html", {"doc": doc})

    assert "table-footnote" not in html


def test_proactive_partial_prints_each_group_with_its_heading_and_columns(doc):
    cells = parse(render_to_string("reports/_table_proactive.html", {"doc": doc}))

    texts = [cell["text"] for cell in cells.cells]
    assert texts == [
        "第二十条第（一）项",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "规章",
        "1",
        "0",
        "4",
        "行政规范性文件",
        "2",
        "0",
        "26",
        "第二十条第（五）项",
        "信息内容",
        "本年处理决定数量",
        "行政许可",
        "421808",
        "第二十条第（六）项",
        "信息内容",
        "本年处理决定数量",
        "行政处罚",
        "351867",
        "行政强制",
        "1129",
        "第二十条第（八）项",
        "信息内容",
        "本年收费金额（单位：万元）",
        "行政事业性收费",
        "22910",
    ]
    assert [cell.get("colspan") for cell in cells.cells if cell["text"] == "421808"] == ["3"]
    assert {cell.get("colspan") for cell in cells.cells if "第二十条" in cell["text"]} == {"4"}


def test_appeals_partial_prints_the_two_level_header_and_one_line_of_figures(doc):
    cells = parse(render_to_string("reports/_table_appeals.html", {"doc": doc}))

    assert header(cells, "行政复议")["colspan"] == "5"
    assert header(cells, "行政诉讼")["colspan"] == "10"
    assert header(cells, "未经复议直接起诉")["colspan"] == "5"
    assert header(cells, "复议后起诉")["colspan"] == "5"
    leaves = [cell for cell in cells.cells if cell.get("scope") == "col"]
    assert [cell["text"] for cell in leaves] == [c.label for c in fmt.APPEAL_COLUMNS] * 3
    assert [cell.get("rowspan") for cell in leaves[:5]] == ["2"] * 5
    figures = [cell["text"] for cell in cells.cells if cell["tag"] == "td"]
    assert figures == ["3", "7", "0", "0", "10", "2", "1", "0", "0", "3", "0", "0", "0", "0", "0"]


def test_three_partials_on_one_page_have_unique_ids_and_resolvable_headers(doc):
    html = "".join(
        render_to_string(f"reports/_table_{table}.html", {"doc": doc}) for table in fmt.TABLE_KEYS
    )
    cells = parse(html)

    ids = [cell["id"] for cell in cells.cells if "id" in cell]
    assert len(ids) == len(set(ids))
    referenced = {i for cell in cells.cells for i in cell.get("headers", "").split()}
    assert referenced <= set(ids)
    assert all(cell.get("headers") for cell in cells.cells if cell["tag"] == "td")


def test_fee_amount_prints_as_stated_without_trailing_zeros():
    assert [display(value) for value in (22910, 1.5, 0.0001, 12.34, 0, None)] == [
        "22910",
        "1.5",
        "0.0001",
        "12.34",
        "0",
        "",
    ]


# --- CSV -----------------------------------------------------------------------------------


def test_csv_starts_with_bom_and_the_spec_header(doc):
    text = render_csv(doc)

    assert text.startswith("\ufefftable,row,row_label,column,column_label,value\r\n")


def test_csv_has_one_row_per_cell_in_section_and_format_order(doc):
    rows = list(csv.reader(io.StringIO(render_csv(doc).removeprefix("\ufeff"))))[1:]

    assert [(r[0], r[1], r[3]) for r in rows] == [
        (table, row, column) for table in fmt.TABLE_KEYS for row, column in fmt.cells(table)
    ]
    assert len(rows) == 10 + 25 * 7 + 3 * 5


def test_csv_rows_carry_labels_and_figures_of_the_seed(doc):
    rows = list(csv.reader(io.StringIO(render_csv(doc).removeprefix("\ufeff"))))[1:]

    assert rows[0] == ["proactive", "rules", "规章", "issued", "本年制发件数", "1"]
    assert rows[9] == [
        "proactive",
        "fees",
        "行政事业性收费",
        "amount_10k_yuan",
        "本年收费金额（单位：万元）",
        "22910",
    ]
    assert rows[10 + 4 * 7] == [
        "requests",
        "denied_state_secret",
        "1.属于国家秘密",
        "natural_person",
        "自然人",
        "10",
    ]
    assert rows[-9] == [
        "appeals",
        "litigation_direct",
        "行政诉讼·未经复议直接起诉",
        "corrected",
        "结果纠正",
        "1",
    ]
    for table, row, _label, column, _column_label, value in rows:
        assert value == display(fmt.cell(doc, table, row, column))


def test_csv_leaves_a_kept_blank_empty(doc):
    doc["appeals"]["reconsideration"]["pending"] = None
    rows = list(csv.reader(io.StringIO(render_csv(doc).removeprefix("\ufeff"))))

    assert ["appeals", "reconsideration", "行政复议", "pending", "尚未审结", ""] in rows


# --- JSON ----------------------------------------------------------------------------------


def test_json_is_the_document_unchanged_in_utf8(doc):
    data = render_json(doc)

    assert json.loads(data.decode("utf-8")) == doc
    assert "武威市人民政府".encode() in data


@pytest.mark.django_db
def test_json_export_imports_back_with_the_same_document(doc):
    report = report_import(actor=None, document=json.loads(render_json(doc)))

    assert report.status == ReportStatus.IMPORTED
    assert report.imported_document == doc


def test_export_filename_names_body_year_and_version_in_ascii(doc):
    assert exports.filename(doc, "pdf") == "wuwei-2023-draft.pdf"
    assert exports.filename({**doc, "version": 2}, "xlsx") == "wuwei-2023-v2.xlsx"


def test_download_name_is_the_title_marked_draft_or_correction(doc):
    assert exports.download_name(doc, "pdf") == (
        "武威市人民政府2023年政府信息公开工作年度报告（草稿）.pdf"
    )
    assert exports.download_name({**doc, "version": 1}, "docx") == (
        "武威市人民政府2023年政府信息公开工作年度报告.docx"
    )
    assert exports.download_name({**doc, "version": 3}, "xlsx") == (
        "武威市人民政府2023年政府信息公开工作年度报告（第3版）.xlsx"
    )


def test_download_name_stays_chinese_under_the_english_interface(doc):
    from django.utils import translation

    with translation.override("en"):
        name = exports.download_name(doc, "csv")

    assert name == "武威市人民政府2023年政府信息公开工作年度报告（草稿）.csv"


def test_disposition_names_the_title_with_an_ascii_fallback(doc):
    published = {**doc, "version": 2}

    assert exports.disposition(published, "pdf", as_attachment=False) == (
        "inline; filename=\"wuwei-2023-v2.pdf\"; filename*=UTF-8''"
        + quote("武威市人民政府2023年政府信息公开工作年度报告（第2版）.pdf", safe="")
    )


# --- export_report -------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_report_writes_the_imported_report_as_json(doc, tmp_path):
    report_import(actor=None, document=doc)
    output = tmp_path / "wuwei.json"

    stdout = io.StringIO()
    call_command(
        "export_report", "--body", "wuwei", "--year", "2023", "--format", "json",
        "--output", str(output), stdout=stdout,
    )  # fmt: skip

    assert json.loads(output.read_text("utf-8")) == doc
    assert str(output) in stdout.getvalue()


@pytest.mark.django_db
def test_export_report_without_a_report_computes_the_tables_from_records(tmp_path):
    body = BodyFactory(code="dept", name="测试局")
    RequestFactory(body=body, received_on=datetime.date(2023, 3, 1))
    output = tmp_path / "dept.csv"

    call_command(
        "export_report", "--body", "dept", "--year", "2023", "--format", "csv",
        "--output", str(output),
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(output.read_bytes().decode("utf-8-sig"))))
    values = {(r[0], r[1], r[3]): r[5] for r in rows[1:]}
    assert values[("requests", "new_received", "natural_person")] == "1"
    assert values[("requests", "carried_forward", "total")] == "1"
    assert values[("requests", "granted", "total")] == "0"
    assert "" not in values.values()


@pytest.mark.django_db
def test_export_report_takes_the_latest_published_version(doc, tmp_path):
    body = BodyFactory(code="wuwei", name="武威市人民政府")
    report = Report.objects.create(body=body, year=2023, scope=Scope.ALL, status="published")
    for number in (1, 2):
        ReportVersion.objects.create(
            report=report,
            number=number,
            document={**doc, "version": number},
            sha256="0" * 64,
            published_at=timezone.now(),
        )
    output = tmp_path / "out.json"

    call_command(
        "export_report", "--body", "wuwei", "--year", "2023", "--format", "json",
        "--output", str(output),
    )  # fmt: skip

    assert json.loads(output.read_text("utf-8"))["version"] == 2


@pytest.mark.django_db
def test_export_report_draft_option_exports_the_draft_not_the_version(doc, tmp_path):
    body = BodyFactory(code="wuwei", name="武威市人民政府")
    report = Report.objects.create(
        body=body, year=2023, scope=Scope.OWN, status="published", overview="草稿正文"
    )
    ReportVersion.objects.create(
        report=report, number=1, document=doc, sha256="0" * 64, published_at=timezone.now()
    )
    output = tmp_path / "out.json"

    call_command(
        "export_report", "--body", "wuwei", "--year", "2023", "--draft", "--format", "json",
        "--output", str(output),
    )  # fmt: skip

    exported = json.loads(output.read_text("utf-8"))
    assert "version" not in exported
    assert exported["narrative"]["overview"] == "草稿正文"
    assert exported["requests"]["rows"]["new_received"]["total"] == 0


@pytest.mark.django_db
def test_export_report_refuses_rollup_with_another_scope(tmp_path):
    BodyFactory(code="dept")

    with pytest.raises(CommandError, match="--rollup"):
        call_command(
            "export_report", "--body", "dept", "--year", "2023", "--rollup", "--scope", "own",
            "--format", "csv", "--output", str(tmp_path / "x.csv"),
        )  # fmt: skip
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.django_db
def test_export_report_names_an_unknown_body(tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        call_command(
            "export_report", "--body", "nobody", "--year", "2023", "--format", "csv",
            "--output", str(tmp_path / "x.csv"),
        )  # fmt: skip


@pytest.mark.django_db
def test_export_document_of_a_published_report_reads_report_and_version_only(
    doc, django_assert_num_queries
):
    body = BodyFactory(code="wuwei", name="武威市人民政府")
    report = Report.objects.create(body=body, year=2023, scope=Scope.ALL, status="published")
    ReportVersion.objects.create(
        report=report, number=1, document=doc, sha256="0" * 64, published_at=timezone.now()
    )

    with django_assert_num_queries(2):
        exported = export_document(body=body, year=2023, scope=None)

    assert exported == doc


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("format_key", "magic"),
    [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04"), ("xlsx", b"PK\x03\x04"), ("csv", b"\xef\xbb\xbf")],
)
def test_export_report_writes_each_format(doc, tmp_path, format_key, magic):
    report_import(actor=None, document=doc)
    output = tmp_path / f"out.{format_key}"

    call_command(
        "export_report", "--body", "wuwei", "--year", "2023", "--format", format_key,
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip

    assert output.read_bytes().startswith(magic)


@pytest.mark.django_db
def test_export_report_archival_pdf_is_pdf_a(doc, tmp_path):
    report_import(actor=None, document=doc)
    output = tmp_path / "out.pdf"

    call_command(
        "export_report", "--body", "wuwei", "--year", "2023", "--format", "pdf", "--archival",
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip

    xmp = PdfReader(output).xmp_metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp


@pytest.mark.django_db
def test_export_report_refuses_archival_for_other_formats(doc, tmp_path):
    report_import(actor=None, document=doc)

    with pytest.raises(CommandError, match="--archival"):
        call_command(
            "export_report", "--body", "wuwei", "--year", "2023", "--format", "docx",
            "--archival", "--output", str(tmp_path / "x.docx"),
        )  # fmt: skip
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.django_db
def test_export_report_pdf_without_cjk_font_stops_naming_the_package(doc, tmp_path, monkeypatch):
    report_import(actor=None, document=doc)
    monkeypatch.setattr(
        pdf_checks.subprocess,
        "run",
        lambda args, **kwargs: subprocess.CompletedProcess(args, 0, stdout="", stderr=""),
    )

    with pytest.raises(CommandError, match="apt-get install fonts-noto-cjk"):
        call_command(
            "export_report", "--body", "wuwei", "--year", "2023", "--format", "pdf",
            "--output", str(tmp_path / "x.pdf"),
        )  # fmt: skip
    assert not (tmp_path / "x.pdf").exists()


def test_narrative_lines_become_paragraphs_with_subheadings_and_no_bullets():
    text = "2023年，全市……\n\n（一）主动公开方面\n\n- 一是突出重点工作。\n(二) 依申请公开方面\n"

    assert paragraphs(text) == [
        Paragraph("2023年，全市……"),
        Paragraph("（一）主动公开方面", subheading=True),
        Paragraph("一是突出重点工作。"),
        Paragraph("(二) 依申请公开方面", subheading=True),
    ]


def test_a_long_paragraph_opening_with_a_number_is_not_a_subheading():
    text = "（一）" + "这是一段很长的正文，" * 5

    assert paragraphs(text)[0].subheading is False


def test_exports_stay_chinese_under_the_english_interface():
    from django.utils import translation
    from docx import Document as WordDocument

    with translation.override("en"):
        word = WordDocument(io.BytesIO(exports.render(seed_document(), "docx")))
        assert translation.get_language() == "en"
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "关于报送武威市人民政府2023年\n政府信息公开工作年度报告的函" in text
    assert "一、总体情况" in text
    assert "Annual Report" not in text
