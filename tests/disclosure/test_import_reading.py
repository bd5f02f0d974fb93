"""Reading the rows of an upload (``disclosure/importing/reading.py``): streamed under the
row and cell caps, rows as stored whatever the sheet's stated size, data without a column
name found wherever it is, and progress reported as the batches go."""

from __future__ import annotations

import io
import zipfile

import pytest

from disclosure.importing import Problem, WorkbookRejected, limits, records_import
from disclosure.importing import services as import_services
from disclosure.models import AuditEntry, InformationRequest
from tests.disclosure.import_helpers import REQUEST_HEADER, crafted_xlsx, csv_text, xlsx
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


def request_rows(count: int) -> list[list]:
    return [
        ["city", f"A-{n}", "2023-03-01", "自然人", None, None, "当面", "内容", None, None]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def city():
    return BodyFactory(code="city")


def refused(content: bytes, **options) -> list[Problem]:
    with pytest.raises(WorkbookRejected) as rejected:
        records_import(actor=None, content=content, **{"filename": "台账.xlsx", **options})
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == (0, 0)
    return rejected.value.problems


def test_a_sheet_over_the_row_cap_is_refused(city, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)

    assert refused(xlsx({"申请": [REQUEST_HEADER, *request_rows(4)]})) == [
        Problem(
            "申请",
            None,
            "",
            "该表超过 3 行（不含表头），不能导入：每张表最多 3 行，"
            "请删去多余的行或分成几个文件导入。",
        )
    ]


def test_a_csv_over_the_row_cap_is_refused(city, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    content = csv_text([REQUEST_HEADER, *request_rows(4)]).encode()

    [problem] = refused(content, filename="申请.csv", sheet="申请")

    assert problem.sheet == "申请"
    assert problem.message.startswith("该表超过 3 行（不含表头），不能导入")


def test_a_file_over_the_cell_cap_is_refused(city, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 25)

    assert refused(xlsx({"申请": [REQUEST_HEADER, *request_rows(2)]})) == [
        Problem("", None, "", "文件超过 25 个单元格，不能导入：请分成几个文件导入。")
    ]


def test_the_rows_are_read_as_stored_whatever_size_the_sheet_states(city):
    """openpyxl's read-only mode trusts the stated size: rows past it were lost."""
    stated = crafted_xlsx([REQUEST_HEADER, *request_rows(3)], dimension=True)
    assert b'<dimension ref="A1:J4"/>' in _sheet_xml(stated)
    understated = _with_sheet_xml(
        stated, _sheet_xml(stated).replace(b'ref="A1:J4"', b'ref="A1:B2"')
    )

    summary = records_import(actor=None, filename="台账.xlsx", content=understated)

    assert summary.sheets[0].created == 3
    assert sorted(InformationRequest.objects.values_list("reference", "content")) == [
        ("A-1", "内容"),
        ("A-2", "内容"),
        ("A-3", "内容"),
    ]


def test_data_in_a_column_without_a_name_is_refused_wherever_it_is(city):
    rows = request_rows(2)
    rows[1] = rows[1] + [None, None, "备注"]

    assert refused(xlsx({"申请": [REQUEST_HEADER, *rows]})) == [
        Problem("申请", 1, "M", "该列有数据但没有列名。")
    ]


def test_a_csv_cell_over_the_csv_field_limit_is_refused_by_line(city):
    rows = request_rows(2)
    rows[1][7] = "长" * 140_000
    content = csv_text([REQUEST_HEADER, *rows]).encode()

    assert refused(content, filename="申请.csv", sheet="申请") == [
        Problem("申请", 3, "", "该行无法按 CSV 格式读取（如单元格过长或引号不配对）。")
    ]


def test_progress_is_reported_after_each_batch(city, monkeypatch):
    monkeypatch.setattr(import_services, "BATCH_ROWS", 2)
    reports = []

    records_import(
        actor=None,
        filename="台账.xlsx",
        content=xlsx({"申请": [REQUEST_HEADER, *request_rows(5)]}),
        progress=lambda done, total, message: reports.append((done, total, message)),
    )

    assert reports == [
        (2, 5, "“申请”表：已读取并检查 2 行"),
        (4, 5, "“申请”表：已读取并检查 4 行"),
        (5, 5, "“申请”表：已读取并检查 5 行"),
    ]


def test_progress_without_a_stated_size_counts_what_was_read(city, monkeypatch):
    monkeypatch.setattr(import_services, "BATCH_ROWS", 2)
    reports = []

    records_import(
        actor=None,
        filename="台账.xlsx",
        content=crafted_xlsx([REQUEST_HEADER, *request_rows(3)]),
        progress=lambda done, total, message: reports.append((done, total)),
    )

    assert reports == [(2, None), (3, None)]


def _sheet_xml(content: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def _with_sheet_xml(content: bytes, sheet: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = sheet if name == "xl/worksheets/sheet1.xml" else source.read(name)
            archive.writestr(name, data)
    return output.getvalue()
