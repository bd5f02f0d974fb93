"""Opening an uploaded workbook without trusting it (``disclosure/importing/archive.py``):
zip bombs are refused from the zip directory, before openpyxl parses anything; what openpyxl
then reads is checked as it flows; the shared strings are read here, capped."""

from __future__ import annotations

import datetime
import io
import random
import zipfile

import pytest
from openpyxl.reader.strings import read_string_table

from disclosure.importing import WorkbookRejected, limits, records_import
from disclosure.importing.archive import (
    Unreadable,
    _Reader,
    _Scanner,
    open_workbook,
    shared_strings,
    sheet_values,
)
from disclosure.models import AuditEntry, Body, InformationRequest
from tests.disclosure.import_helpers import (
    BODY_HEADER,
    REQUEST_HEADER,
    Raw,
    bomb,
    crafted_xlsx,
    xlsx,
)

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refusal(content: bytes) -> str:
    """The one file-level problem that refuses ``content``; nothing saved."""
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)
    [problem] = refused.value.problems
    assert (problem.sheet, problem.line, problem.column) == ("", None, "")
    assert (Body.objects.count(), AuditEntry.objects.count()) == (0, 0)
    return problem.message


def good_workbook() -> bytes:
    return xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]})


def with_part(content: bytes, name: str, data: bytes, *, level: int | None = None) -> bytes:
    """``content`` with the part ``name`` replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info.filename))
        archive.writestr(name, data)
    return output.getvalue()


@pytest.fixture
def openpyxl_never_parses(monkeypatch):
    def fail(self):
        raise AssertionError("openpyxl parsed a workbook that should have been refused")

    monkeypatch.setattr(_Reader, "read", fail)


def test_a_part_over_200_mb_is_refused_by_the_directory_alone(openpyxl_never_parses):
    assert refusal(bomb()) == (
        "文件解压后超过 200 MB：部件“xl/worksheets/sheet2.xml”解压后为 201 MB，"
        "不予读取（可能是“压缩炸弹”）。"
    )


def test_a_part_compressed_more_than_100_to_1_is_refused(openpyxl_never_parses):
    content = with_part(good_workbook(), "xl/media/image1.png", b"\0" * (2 * limits.MB))

    message = refusal(content)

    assert message.startswith("文件解压后膨胀异常：部件“xl/media/image1.png”压缩比为 ")
    assert message.endswith(":1，超过 100:1，不予读取（可能是“压缩炸弹”）。")


def test_a_workbook_of_too_many_parts_is_refused(openpyxl_never_parses, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARTS", 5)

    assert refusal(good_workbook()) == "无法读取该文件：文件内含 9 个压缩条目，超过上限 5 个。"


def test_a_file_over_the_upload_cap_is_refused(openpyxl_never_parses, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", limits.MB)

    assert refusal(good_workbook() + b"\0" * limits.MB) == (
        "文件“台账.xlsx”约 1.0 MB，超过 1 MB 的上限。"
    )


def test_a_truncated_workbook_is_refused():
    content = good_workbook()

    assert refusal(content[: len(content) // 2]) == "无法读取该文件：它不是有效的 .xlsx 工作簿。"


def test_an_encrypted_or_old_excel_file_is_named_as_such():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000

    assert refusal(ole) == (
        "无法读取该文件：它是旧版 .xls 工作簿或设置了打开密码的工作簿。"
        "请在 Excel 中另存为不加密的 .xlsx 工作簿后再导入。"
    )


def test_a_damaged_part_is_refused_as_a_damaged_workbook():
    content = with_part(good_workbook(), "xl/workbook.xml", b"<workbook><sheets>")

    assert refusal(content).startswith(
        "无法读取该文件：工作簿已损坏，或不是 Excel 保存的 .xlsx 文件"
    )


def test_a_part_read_whole_over_its_cap_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_WHOLE_PART_BYTES", 100)

    assert refusal(good_workbook()).startswith("无法读取该文件：部件“[Content_Types].xml”解压后为 ")


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        pytest.param(
            '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
            "含有注释、DTD 或处理指令",
            id="entities",
        ),
        pytest.param("<!-- a comment -->", "含有注释、DTD 或处理指令", id="comment"),
        pytest.param("<?pi data?>", "含有注释、DTD 或处理指令", id="processing-instruction"),
    ],
)
def test_markup_excel_never_writes_is_refused(markup, reason):
    sheet = (
        f'<?xml version="1.0"?>{markup}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>机构代码</t></is></c></row></sheetData></worksheet>'
    )
    content = crafted_xlsx([["x"]], sheet="机构", parts={"xl/worksheets/sheet1.xml": sheet})

    assert refusal(content) == (
        f"无法读取该文件：部件“xl/worksheets/sheet1.xml”{reason}，不是 Excel 正常保存的工作簿。"
    )


def test_a_text_longer_than_any_cell_holds_is_refused_before_it_is_parsed():
    words = random.Random(14)
    text = "".join(chr(0x4E00 + words.randrange(20_000)) for _ in range(400_000))
    content = crafted_xlsx([REQUEST_HEADER, ["city", "A-1", "2023-03-01", "自然人", text]])

    assert refusal(content) == (
        "无法读取该文件：部件“xl/worksheets/sheet1.xml”有一段文字超过 1 MB"
        "（Excel 单元格最多 32,767 个字符），不是 Excel 正常保存的工作簿。"
    )


def test_a_row_of_more_elements_than_the_cap_is_refused():
    content = crafted_xlsx(
        [REQUEST_HEADER, [Raw("".join(f"<c><v>{n}</v></c>" for n in range(30_000)))]]
    )

    assert refusal(content) == (
        "无法读取该文件：部件“xl/worksheets/sheet1.xml”一行（或一段文本、一个部件）含有超过 "
        "100,000 个 XML 元素，不是 Excel 正常保存的工作簿。"
    )


def test_too_many_shared_strings_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SHARED_STRINGS", 3)
    strings = "".join(f"<si><t>{n}</t></si>" for n in range(4))
    content = with_part(
        crafted_xlsx([["x"]]),
        "xl/sharedStrings.xml",
        f'<sst xmlns="{MAIN}">{strings}</sst>'.encode(),
    )
    content = with_part(
        content,
        "[Content_Types].xml",
        zipfile.ZipFile(io.BytesIO(content))
        .read("[Content_Types].xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )

    assert refusal(content) == "工作簿的共享文本超过 3 条，不能导入：请分成几个文件导入。"


def test_shared_strings_read_as_openpyxl_reads_them():
    table = (
        f'<sst xmlns="{MAIN}"><si><t>申请内容</t></si><si><t xml:space="preserve"> 空格 </t></si>'
        '<si><r><rPr><b/><sz val="11"/></rPr><t>加粗</t></r><r><t>与普通</t></r></si>'
        '<si><t>有注音</t><rPh sb="0" eb="1"><t>ヨミ</t></rPh></si><si/>'
        "<si><t>_x005F_x0041_</t></si></sst>"
    ).encode()

    assert (
        shared_strings(io.BytesIO(table))
        == read_string_table(io.BytesIO(table))
        == [
            "申请内容",
            " 空格 ",
            "加粗与普通",
            "有注音",
            "",
            "_x0041_",
        ]
    )


def feed_in_pieces(scanner: _Scanner, data: bytes, size: int) -> None:
    for start in range(0, len(data), size):
        scanner.feed(data[start : start + size])


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 10_000])
def test_the_scanner_sees_markup_split_across_reads(size):
    data = b'<?xml version="1.0"?><worksheet><sheetData><row><c/></row><!--x--></sheetData>'

    with pytest.raises(Unreadable, match="含有注释、DTD 或处理指令"):
        feed_in_pieces(_Scanner("sheet.xml", record="row"), data, size)


@pytest.mark.parametrize("size", [1, 5, 64, 10_000])
def test_the_scanner_counts_elements_per_row_across_reads(size, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TAGS_PER_RECORD", 12)
    rows = b"".join(b'<x:row r="%d"><x:c><x:v>1</x:v></x:c></x:row>' % n for n in range(50))
    fine = b"<x:worksheet><x:sheetData>" + rows + b"</x:sheetData></x:worksheet>"
    feed_in_pieces(_Scanner("sheet.xml", record="row"), fine, size)

    wide = b"<x:worksheet><x:sheetData><x:row>" + b"<x:c/>" * 13 + b"</x:row>"
    with pytest.raises(Unreadable, match="含有超过 12 个 XML 元素"):
        feed_in_pieces(_Scanner("sheet.xml", record="row"), wide, size)


def test_a_request_sheet_within_the_caps_imports(monkeypatch):
    """The caps count what they should: a sheet just within them imports."""
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    monkeypatch.setattr(limits, "MAX_CELLS", 30)
    Body.objects.create(code="city", name="某市", kind="government", path="/1/")
    row = ["city", "A-1", "2023-03-01", "自然人", None, None, "当面", "内容", None, None]

    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"申请": [REQUEST_HEADER, row, ["city", "A-2", *row[2:]]]}),
    )

    assert InformationRequest.objects.count() == 2


def _openpyxl_rows(content: bytes) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = {}
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()
        rows[worksheet.title] = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    return rows


def _our_rows(content: bytes) -> dict[str, list[tuple]]:
    workbook = open_workbook(content)
    return {
        worksheet.title: list(sheet_values(workbook, worksheet))
        for worksheet in workbook.worksheets
    }


def test_the_rows_read_as_openpyxls_iter_rows_reads_them():
    """``sheet_values`` reads the common cells itself: every kind of cell, rows left out,
    repeated or out of order, and cells without a reference give what openpyxl gives."""
    c = '<c r="{}"{}>{}</c>'.format
    rows = [
        '<row r="1">'
        + c("A1", ' t="inlineStr"', "<is><t>机构代码</t></is>")
        + c("B1", "", "<v>12</v>")
        + c("C1", "", "<v>2.5</v>")
        + c("D1", ' s="1"', "<v>45300</v>")  # a date
        + c("E1", ' s="1"', "<v>45300.75</v>")  # a date and time
        + c("F1", ' s="1"', "<v>99999999</v>")  # a date past year 9999
        + c("G1", ' t="b"', "<v>1</v>")
        + c("H1", ' t="str"', "<v>公式的结果</v>")
        + c("I1", ' t="e"', "<v>#DIV/0!</v>")
        + c("J1", ' t="n"', "<v>1E3</v>")
        + c("K1", "", "")
        + "</row>",
        '<row r="3"><c r="C3"><v>3</v></c><c r="A3"><v>1</v></c></row>',  # row 2 left out
        '<row r="2"><c r="A2"><v>9</v></c></row>',  # out of order: passed over
        '<row r="6"/>',
        '<row r="7"><c r="a7"><v>7</v></c><c r="AB7" t="inlineStr"><is><t>宽</t></is></c></row>',
        '<row><c><v>4</v></c><c r="D8"><v>5</v></c><c><v>6</v></c></row>',  # no references
    ]
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    ).encode()
    crafted = crafted_xlsx([[1]], parts={"xl/worksheets/sheet1.xml": sheet})
    expected = _openpyxl_rows(crafted)
    assert len(expected["申请"]) == 8 and expected["申请"][0][3] == datetime.datetime(2024, 1, 9)
    assert expected["申请"][-1] == (4, None, None, 5, 6)
    assert _our_rows(crafted) == expected
    # A reference without a row number is refused as openpyxl refuses it.
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{c("AB", "", "<v>1</v>")}</row>'
    bad = crafted_xlsx(
        [[1]], parts={"xl/worksheets/sheet1.xml": (sheet + "</sheetData></worksheet>").encode()}
    )
    with pytest.raises(ValueError):
        _openpyxl_rows(bad)
    with pytest.raises(ValueError):
        _our_rows(bad)
    # A workbook as openpyxl writes it: shared strings, dates, blanks between cells.
    written = xlsx(
        {
            "机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"], [], ["县", 3]],
            "申请": [REQUEST_HEADER, ["city", "2024-0001", datetime.date(2024, 3, 1), None, True]],
        }
    )
    assert _our_rows(written) == _openpyxl_rows(written)
