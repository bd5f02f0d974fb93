"""Word and the workbook read back (python-docx, openpyxl): the format's labels and the seed's
figures in their cells, the merged header ranges, and the spreadsheet's set-up."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from reports import format as fmt
from reports.exports.docx import render_docx
from reports.exports.xlsx import render_xlsx
from tests.reports.engine_data import seed_document
from tests.reports.libreoffice import convert_to_pdf, row_line

PROACTIVE = "二、主动公开政府信息情况"
REQUESTS = "三、收到和处理政府信息公开申请情况"
APPEALS = "四、政府信息公开行政复议、行政诉讼情况"

# The merged cells of the printed tables, as the format prints them (rows from the table's
# first row on sheet row 3).
PROACTIVE_MERGES = {
    "A3:D3", "A7:D7", "A10:D10", "A14:D14",  # 第二十条第（…）项
    "B8:D8", "B9:D9", "B11:D11", "B12:D12", "B13:D13", "B15:D15", "B16:D16",
}  # fmt: skip
REQUESTS_MERGES = {
    "A3:C5",  # the 勾稽 note
    "D3:J3",  # 申请人情况
    "D4:D5", "E4:I4", "J4:J5",  # 自然人, 法人或其他组织, 总计
    "A6:C6", "A7:C7",  # 一、 二、
    "A8:A29",  # 三、本年度办理结果
    "B8:C8", "B9:C9",  # （一） （二）
    "B10:B17", "B18:B20", "B21:B25", "B26:B28",  # （三）…（六）
    "B29:C29",  # （七）总计
    "A30:C30",  # 四、结转下年度继续办理
}  # fmt: skip
APPEALS_MERGES = {
    "A3:E3", "F3:O3",  # 行政复议, 行政诉讼
    "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5",  # 行政复议's five columns
    "F4:J4", "K4:O4",  # 未经复议直接起诉, 复议后起诉
}  # fmt: skip
TITLE_MERGES = {
    PROACTIVE: {"A1:D1", "A2:D2"},
    REQUESTS: {"A1:J1", "A2:J2"},
    APPEALS: {"A1:O1", "A2:O2"},
}


@pytest.fixture(scope="module")
def workbook():
    doc = seed_document()
    doc["proactive"]["fees"]["amount_10k_yuan"] = 12.345
    doc["appeals"]["litigation_after_reconsideration"]["pending"] = None
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(doc)))


@pytest.fixture(scope="module")
def word():
    doc = seed_document()
    doc["requests"]["rows"]["granted"]["research_institution"] = None
    return Document(io.BytesIO(render_docx(doc)))


# --- workbook ------------------------------------------------------------------------------


def text(cell) -> str | None:
    """A cell's text without the line breaks written into wrapped headers."""
    return cell.value.replace("\n", "") if isinstance(cell.value, str) else cell.value


def test_workbook_has_one_sheet_per_table_and_a_data_sheet(workbook):
    assert workbook.sheetnames == [PROACTIVE, REQUESTS, APPEALS, "数据"]
    assert workbook.properties.title == "武威市人民政府2023年政府信息公开工作年度报告"
    assert workbook.properties.creator == "武威市人民政府"


@pytest.mark.parametrize(
    ("sheet", "merges"),
    [(PROACTIVE, PROACTIVE_MERGES), (REQUESTS, REQUESTS_MERGES), (APPEALS, APPEALS_MERGES)],
)
def test_workbook_merges_the_header_cells_as_printed(workbook, sheet, merges):
    merged = {str(cell_range) for cell_range in workbook[sheet].merged_cells.ranges}

    assert merged == merges | TITLE_MERGES[sheet]


def test_requests_sheet_has_every_label_and_figure_in_its_cell(workbook):
    sheet = workbook[REQUESTS]
    doc = seed_document()

    assert sheet["A1"].value == REQUESTS
    assert sheet["A3"].value == fmt.REQUEST_HEADER_NOTE
    assert sheet["D3"].value == "申请人情况"
    assert sheet["E4"].value == "法人或其他组织"
    assert [sheet.cell(row=4, column=4).value, sheet.cell(row=4, column=10).value] == [
        "自然人",
        "总计",
    ]
    assert [sheet.cell(row=5, column=c).value for c in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益\n组织",
        "法律服务\n机构",
        "其他",
    ]
    for index, row in enumerate(fmt.REQUEST_ROWS):
        line = 6 + index
        assert sheet.cell(row=line, column=1 + len(row.path)).value == row.label
        figures = [sheet.cell(row=line, column=4 + c).value for c in range(7)]
        assert figures == [doc["requests"]["rows"][row.key][k] for k in fmt.REQUEST_COLUMN_KEYS]
    assert [sheet[f"{c}{r}"].value for c, r in (("A", 8), ("B", 10), ("B", 18), ("B", 21))] == [
        "三、本年度办理结果",
        "（三）\n不予公开",
        "（四）\n无法提供",
        "（五）\n不予处理",
    ]
    assert sheet["D6"].number_format == "0"


def test_proactive_sheet_prints_groups_and_the_fee_with_its_decimals(workbook):
    sheet = workbook[PROACTIVE]

    assert [sheet.cell(row=r, column=1).value for r in range(3, 17)] == [
        "第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
        "第二十条第（五）项", "信息内容", "行政许可",
        "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
        "第二十条第（八）项", "信息内容", "行政事业性收费",
    ]  # fmt: skip
    assert [sheet.cell(row=4, column=c).value for c in range(2, 5)] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert [sheet["B5"].value, sheet["C5"].value, sheet["D5"].value] == [1, 0, 4]
    assert [sheet["B6"].value, sheet["D6"].value] == [2, 26]
    assert [sheet["B9"].value, sheet["B12"].value, sheet["B13"].value] == [421808, 351867, 1129]
    assert sheet["B15"].value == "本年收费金额（单位：万元）"
    assert (sheet["B16"].value, sheet["B16"].number_format) == (12.345, "0.000")


def test_appeals_sheet_has_the_two_level_header_and_the_figures(workbook):
    sheet = workbook[APPEALS]

    assert [sheet["A3"].value, sheet["F3"].value, sheet["F4"].value, sheet["K4"].value] == [
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    ]
    labels = [c.label for c in fmt.APPEAL_COLUMNS]
    assert [sheet.cell(row=4, column=c).value for c in range(1, 6)] == labels
    assert [sheet.cell(row=5, column=c).value for c in range(6, 16)] == labels * 2
    assert [sheet.cell(row=6, column=c).value for c in range(1, 16)] == [
        3, 7, 0, 0, 10, 2, 1, 0, 0, 3, 0, 0, 0, None, 0,
    ]  # fmt: skip


def test_a_kept_blank_is_an_empty_marked_cell_with_a_footnote(workbook):
    sheet = workbook[APPEALS]

    assert sheet["N6"].value is None
    assert sheet["N6"].fill.fgColor.rgb == "00FFF2CC"
    assert sheet["N6"].comment.text == "原报告此处空白，按原件保留。"
    assert sheet["A8"].value == "※ 原报告此处空白，按原件保留，未填写数字。"


@pytest.mark.parametrize(
    ("sheet", "frozen", "title_rows", "orientation"),
    [
        (PROACTIVE, "B3", None, "portrait"),
        (REQUESTS, "D6", "$3:$5", "landscape"),
        (APPEALS, "A6", "$3:$5", "landscape"),
    ],
)
def test_sheets_are_frozen_and_set_up_for_a4(workbook, sheet, frozen, title_rows, orientation):
    sheet = workbook[sheet]

    assert sheet.freeze_panes == frozen
    assert sheet.print_title_rows == title_rows
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == orientation
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_data_sheet_holds_every_cell_in_spec_keys(workbook):
    rows = list(workbook["数据"].values)

    assert rows[0] == ("表格代码", "行代码", "行名称", "列代码", "列名称", "数值")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        (table, row, column) for table in fmt.TABLE_KEYS for row, column in fmt.cells(table)
    ]
    assert rows[10] == (
        "proactive",
        "fees",
        "行政事业性收费",
        "amount_10k_yuan",
        "本年收费金额（单位：万元）",
        12.345,
    )
    assert rows[-2] == (
        "appeals",
        "litigation_after_reconsideration",
        "行政诉讼·复议后起诉",
        "pending",
        "尚未审结",
        None,
    )


# --- Word ----------------------------------------------------------------------------------


def test_word_document_has_title_sections_and_properties(word):
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    titles = [p.text for p in word.paragraphs if p.style.name == "Title"]

    assert headings == [section.heading for section in fmt.SECTIONS]
    assert titles == [
        "武威市人民政府\n关于报送武威市人民政府2023年\n政府信息公开工作年度报告的函",
        "武威市人民政府2023年\n政府信息公开工作年度报告",
    ]
    assert word.core_properties.title == "武威市人民政府2023年政府信息公开工作年度报告"
    assert word.core_properties.author == "武威市人民政府"


def test_word_requests_table_merges_headers_as_printed(word):
    table = word.tables[1]

    def same(a, b):
        return table.cell(*a)._tc is table.cell(*b)._tc

    assert (len(table.rows), len(table.columns)) == (28, 10)
    assert same((0, 0), (2, 2)) and table.cell(0, 0).text == fmt.REQUEST_HEADER_NOTE
    assert same((0, 3), (0, 9)) and table.cell(0, 3).text == "申请人情况"
    assert same((1, 4), (1, 8)) and table.cell(1, 4).text == "法人或其他组织"
    assert same((1, 3), (2, 3)) and same((1, 9), (2, 9))
    assert same((5, 0), (26, 0)) and table.cell(5, 0).text == "三、本年度办理结果"
    assert same((7, 1), (14, 1)) and table.cell(7, 1).text == "（三）不予公开"
    assert same((3, 0), (3, 2)) and not same((2, 3), (3, 3))
    assert [row._tr.xpath("./w:trPr/w:tblHeader") != [] for row in table.rows[:4]] == [
        True,
        True,
        True,
        False,
    ]


def test_word_requests_table_has_every_label_and_figure_in_its_row(word):
    table = word.tables[1]
    doc = seed_document()
    doc["requests"]["rows"]["granted"]["research_institution"] = "※"

    for index, row in enumerate(fmt.REQUEST_ROWS):
        cells = table.rows[3 + index].cells
        assert cells[len(row.path)].text == row.label
        assert [c.text for c in cells[3:]] == [
            str(doc["requests"]["rows"][row.key][k]) for k in fmt.REQUEST_COLUMN_KEYS
        ]


def test_word_proactive_and_appeals_tables(word):
    proactive, _requests, appeals = word.tables

    assert [c.text for c in proactive.rows[2].cells] == ["规章", "1", "0", "4"]
    assert [c.text for c in proactive.rows[6].cells] == ["行政许可", "421808", "421808", "421808"]
    assert proactive.cell(6, 1)._tc is proactive.cell(6, 3)._tc
    assert appeals.cell(0, 0)._tc is appeals.cell(0, 4)._tc
    assert appeals.cell(0, 5)._tc is appeals.cell(0, 14)._tc
    assert appeals.cell(1, 0)._tc is appeals.cell(2, 0)._tc
    assert [c.text for c in appeals.rows[3].cells] == [
        "3", "7", "0", "0", "10", "2", "1", "0", "0", "3", "0", "0", "0", "0", "0",
    ]  # fmt: skip


def test_word_marks_a_kept_blank_and_explains_it(word):
    texts = [p.text for p in word.paragraphs]

    assert word.tables[1].cell(5, 5).text == "※"
    assert "※ 原报告此处空白，按原件保留，未填写数字。" in texts


@pytest.mark.parametrize(
    ("style", "east_asian"),
    [("Normal", "仿宋"), ("Title", "宋体"), ("Heading 1", "黑体"), ("Heading 2", "仿宋")],
)
def test_word_styles_name_chinese_fonts_not_theme_fonts(word, style, east_asian):
    fonts = word.styles[style].element.rPr.rFonts

    assert fonts.get(qn("w:eastAsia")) == east_asian
    assert [name for name in fonts.keys() if name.endswith("Theme") or "theme" in name] == []


# --- what the document is ------------------------------------------------------------------


def published(doc: dict) -> dict:
    return {
        **doc,
        "version": 2,
        "published_at": "2024-03-20T10:00:00+08:00",
        "sha256": "0123456789ab" + "f" * 52,
    }


def test_word_draft_says_draft_at_the_head_and_unpublished_at_the_foot(word):
    section = word.sections[0]

    assert [p.text for p in section.header.paragraphs] == ["草稿"]
    assert [p.text for p in section.footer.paragraphs] == ["—  —", "未发布"]


def test_word_published_version_carries_its_number_and_sha256():
    section = Document(io.BytesIO(render_docx(published(seed_document())))).sections[0]

    assert [p.text for p in section.header.paragraphs] == [""]
    assert [p.text for p in section.footer.paragraphs] == ["—  —", "第2版 · SHA-256：0123456789ab"]


def test_workbook_draft_says_draft_on_every_sheet_and_printed_page(workbook):
    for sheet in workbook.worksheets:
        assert sheet.oddHeader.center.text == "草稿", sheet.title
        assert sheet.oddFooter.left.text == "未发布", sheet.title
        assert sheet.oddFooter.center.text == "— &P —", sheet.title
    assert workbook[REQUESTS]["A2"].value == (
        "武威市人民政府2023年政府信息公开工作年度报告（草稿 · 未发布）"
    )


def test_workbook_published_version_carries_its_number_and_sha256():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(published(seed_document()))))

    for sheet in book.worksheets:
        assert sheet.oddHeader.center.text is None, sheet.title
        assert sheet.oddFooter.left.text == "第2版 · SHA-256：0123456789ab", sheet.title
    assert book[APPEALS]["A2"].value == (
        "武威市人民政府2023年政府信息公开工作年度报告（第2版 · SHA-256：0123456789ab）"
    )


# --- formula-safe ----------------------------------------------------------------------------

HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_sheet_of_the_workbook_holds_a_formula_whatever_the_body_is_named(name):
    doc = {**seed_document(), "body_name": name}
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(doc)))

    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert [
        cell.coordinate
        for cell in cells
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))
    ] == []
    for sheet in (PROACTIVE, REQUESTS, APPEALS):
        title = book[sheet]["A2"]
        assert (title.data_type, title.value[:1]) == ("s", "'"), sheet
        assert title.value.startswith("'" + name)


# --- column widths ---------------------------------------------------------------------------


def test_word_tables_have_a_fixed_layout_within_the_text_width_and_rows_kept_whole(word):
    for table in word.tables:
        layout_type = table._tbl.tblPr.xpath("./w:tblLayout/@w:type")
        widths = [column.width.mm for column in table.columns]
        assert layout_type == ["fixed"]
        assert sum(widths) <= 156.01
        assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)


def test_word_table_3_columns_fit_its_figures_and_two_character_header_words(word):
    widths = [column.width.mm for column in word.tables[1].columns]
    size = word.tables[1].cell(3, 3).paragraphs[0].runs[0].font.size.pt
    em = size * 25.4 / 72

    assert size == 10.5
    # 255 and 259 (three digits) and 商业/企业 (two characters a line) fit; a third doesn't.
    assert [round(width - 1.4 - 2.5 * em, 1) for width in widths[3:]] == [0.0] * 7
    assert 155.9 < sum(widths) <= 156.01


# --- as an office program opens them (LibreOffice) -----------------------------------------


def large_document() -> dict:
    """The seed with a province's figures: seven digits in every cell of tables 二 and 三
    (each cell its own number), four in table 四."""
    doc = seed_document()
    for row_index, row in enumerate(doc["requests"]["rows"].values()):
        for column_index, column in enumerate(row):
            row[column] = 1_000_000 + 10 * row_index + column_index
    for index, row in enumerate(doc["proactive"].values()):
        for column in row:
            row[column] = 2_000_000 + index
    for index, group in enumerate(doc["appeals"].values()):
        for column in group:
            group[column] = 1_000 + index
    return doc


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """The Word file and the workbook of the seed and of the large document, as LibreOffice
    prints them (one conversion for the module: it takes seconds)."""
    documents = {"seed": seed_document(), "large": large_document()}
    files = {}
    for name, doc in documents.items():
        files[f"{name}.docx"] = render_docx(doc)
        files[f"{name}.xlsx"] = render_xlsx(doc)
    return documents, convert_to_pdf(files, tmp_path_factory.mktemp("libreoffice"))


def request_rows(doc: dict) -> list[tuple[str, list[str]]]:
    rows = doc["requests"]["rows"]
    return [
        (row.label, [str(rows[row.key][key]) for key in fmt.REQUEST_COLUMN_KEYS])
        for row in fmt.REQUEST_ROWS
    ]


@pytest.mark.parametrize("name", ["seed", "large"])
def test_word_table_3_in_libreoffice_has_each_label_and_its_figures_on_one_line(opened, name):
    documents, pages = opened
    lines = "\n".join(pages[f"{name}.docx"]).splitlines()

    missing = [
        label
        for label, figures in request_rows(documents[name])
        if not row_line(lines, label, figures)
    ]
    assert missing == []


@pytest.mark.parametrize("name", ["seed", "large"])
def test_workbook_table_3_in_libreoffice_has_each_label_and_its_figures_on_one_line(opened, name):
    documents, pages = opened
    (page,) = [text for text in pages[f"{name}.xlsx"] if REQUESTS in text]
    lines = page.splitlines()

    missing = [
        label
        for label, figures in request_rows(documents[name])
        if not row_line(lines, label, figures)
    ]
    assert missing == []


@pytest.mark.parametrize("name", ["seed", "large"])
def test_word_tables_2_and_4_in_libreoffice_keep_figures_and_header_words_whole(opened, name):
    documents, pages = opened
    doc = documents[name]
    text = "\n".join(pages[f"{name}.docx"])
    appeals = text[text.index(APPEALS) : text.index("五、存在的主要问题")]
    figures = [str(value) for group in doc["appeals"].values() for value in group.values()]

    assert re.search(r"\s+".join(figures), appeals)
    for item in ("licensing", "penalty", "enforcement"):
        assert re.search(rf"\s{doc['proactive'][item]['decisions']}\s", text)
    # Table 四's headers read across: two characters a line, never one.
    words = appeals.split()
    assert {"结果", "维持", "纠正", "其他", "尚未", "审结", "总计"} <= set(words)
    assert [word for word in words if len(word) == 1 and not word.isdigit()] == []


def test_workbook_prints_in_a_few_pages_in_libreoffice(opened):
    _documents, pages = opened
    sheets = pages["seed.xlsx"]

    assert [REQUESTS in text for text in sheets[:3]] == [False, True, False]
    assert len(sheets) <= 3 + 6  # three tables, the 200 rows of 数据
    assert [text.split()[0] for text in sheets] == ["草稿"] * len(sheets)
