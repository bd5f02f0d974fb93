"""Crafted cells the reading and value parsing (``disclosure/importing/values.py``) refuse by
name: each used to crash the import with a traceback (a 500 in the admin). Each file is
refused whole, naming the sheet, the row and the column, and nothing is saved."""

from __future__ import annotations

import pytest
from django.utils import timezone

from disclosure.importing import Problem, WorkbookRejected, records_import
from disclosure.models import AuditEntry, InformationRequest, YearlyFigure
from tests.disclosure.import_helpers import (
    DATE_STYLE,
    FIGURE_HEADER,
    REQUEST_HEADER,
    Raw,
    crafted_xlsx,
    csv_text,
)
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db

HEADER = REQUEST_HEADER + ["延期天数", "延期批准日期"]
# The cells crafted below: 收到申请日期 is column C, 申请内容 H, 延期天数 K.
assert [HEADER.index(name) for name in ("收到申请日期", "申请内容", "延期天数")] == [2, 7, 10]
UNREADABLE = "无法读取该单元格：其内容不是有效的数字、日期或文本。"

# The shared validators' messages (``disclosure.validators.RECORD_DATE``): a receipt date
# before the first 条例 took effect, and one after today (its text names today's date).
BEFORE_2008 = "日期须在 2008-05-01 至今天之间。"
AFTER_TODAY = "after today"


def request_row(**cells) -> list:
    """A good 申请 row of ``HEADER``, with some cells replaced (by column)."""
    row = dict.fromkeys(HEADER)
    row.update(
        {
            "机构代码": "city",
            "申请编号": "A-1",
            "收到申请日期": "2023-03-01",
            "申请人类型": "自然人",
            "申请方式": "互联网",
            "申请内容": "某项目审批文件",
            "延期天数": 10,
            "延期批准日期": "2023-03-20",
        }
    )
    row.update(cells)
    return [row[column] for column in HEADER]


def refused(content: bytes, filename: str = "台账.xlsx", **options) -> list[Problem]:
    BodyFactory(code="city")
    with pytest.raises(WorkbookRejected) as rejected:
        records_import(actor=None, filename=filename, content=content, **options)
    assert InformationRequest.objects.count() == 0
    assert YearlyFigure.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    return rejected.value.problems


def test_a_good_crafted_row_imports():
    """The crafted workbooks below differ from this one in one cell."""
    BodyFactory(code="city")

    records_import(actor=None, filename="台账.xlsx", content=crafted_xlsx([HEADER, request_row()]))

    assert InformationRequest.objects.get().extension_days == 10


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        pytest.param(
            Raw('<c r="K2"><v>1e309</v></c>'),
            Problem("申请", 2, "延期天数", "数值超出范围（如 1e309），不是有效的数字。"),
            id="1e309",
        ),
        pytest.param(
            Raw('<c r="K2"><v>-1e309</v></c>'),
            Problem("申请", 2, "延期天数", "数值超出范围（如 1e309），不是有效的数字。"),
            id="minus-1e309",
        ),
        pytest.param(
            Raw('<c r="K2"><v>NaN</v></c>'), Problem("申请", 2, "延期天数", UNREADABLE), id="NaN"
        ),
        pytest.param(
            Raw('<c r="K2"><v>inf</v></c>'), Problem("申请", 2, "延期天数", UNREADABLE), id="inf"
        ),
        pytest.param(
            Raw(f'<c r="K2"><v>{"9" * 40}</v></c>'),
            Problem("申请", 2, "延期天数", "数字位数过多（最多 30 位）。"),
            id="huge-integer",
        ),
        pytest.param(
            Raw(f'<c r="K2"><v>{"9" * 5000}</v></c>'),
            Problem("申请", 2, "延期天数", UNREADABLE),
            id="integer-of-5000-digits",
        ),
        pytest.param(
            Raw('<c r="K2"><v>25</v></c>'),
            Problem("申请", 2, "延期天数", "应为1至20之间的整数，不能是25。"),
            id="out-of-range",
        ),
    ],
)
@pytest.mark.parametrize("dimension", [True, False], ids=["rows-streamed", "read-on-opening"])
def test_a_crafted_number_of_extension_days_is_refused_by_name(cell, problem, dimension):
    content = crafted_xlsx([HEADER, request_row(延期天数=cell)], dimension=dimension)

    assert refused(content) == [problem]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        pytest.param(
            Raw(f'<c r="C2" s="{DATE_STYLE}"><v>2958466</v></c>'),
            "“#VALUE!”不是日期：请填写日期单元格或“YYYY-MM-DD”格式的文本。",
            id="serial-past-9999",
        ),
        pytest.param(
            Raw(f'<c r="C2" s="{DATE_STYLE}"><v>-693593</v></c>'),
            BEFORE_2008,
            id="serial-of-year-1",
        ),
        pytest.param(
            Raw(f'<c r="C2" s="{DATE_STYLE}"><v>-700000</v></c>'),
            "“#VALUE!”不是日期：请填写日期单元格或“YYYY-MM-DD”格式的文本。",
            id="serial-before-year-1",
        ),
        pytest.param(
            Raw(f'<c r="C2" s="{DATE_STYLE}"><v>1</v></c>'),
            BEFORE_2008,
            id="serial-1900",
        ),
        pytest.param(
            Raw(f'<c r="C2" s="{DATE_STYLE}"><v>明天</v></c>'), UNREADABLE, id="garbage-date"
        ),
        pytest.param(
            Raw('<c r="C2" t="d"><v>2023-02-30T00:00:00</v></c>'),
            UNREADABLE,
            id="garbage-iso-date",
        ),
        pytest.param("0001-01-01", BEFORE_2008, id="year-1-as-text"),
        pytest.param("9999-12-31", AFTER_TODAY, id="year-9999-as-text"),
    ],
)
def test_a_crafted_receipt_date_is_refused_by_name(cell, message):
    content = crafted_xlsx([HEADER, request_row(收到申请日期=cell)])
    if message == AFTER_TODAY:
        message = f"日期不能晚于今天（{timezone.localdate().isoformat()}）。"

    assert refused(content) == [Problem("申请", 2, "收到申请日期", message)]


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param(Raw('<c r="H2" t="inlineStr"><is><t>内容\x00</t></is></c>'), id="nul-byte"),
        pytest.param(Raw('<c r="H2" t="inlineStr"><is><t>内容&#0;</t></is></c>'), id="nul-ref"),
        pytest.param(Raw('<c r="H2" t="inlineStr"><is><t>内容</is></c>'), id="malformed"),
    ],
)
@pytest.mark.parametrize("dimension", [True, False], ids=["rows-streamed", "read-on-opening"])
def test_malformed_xml_in_a_cell_is_refused_naming_the_cell(cell, dimension):
    content = crafted_xlsx(
        [
            HEADER,
            request_row(),
            request_row(申请编号="A-2", 申请内容=Raw(cell.replace("H2", "H3"))),
        ],
        dimension=dimension,
    )

    [problem] = refused(content)

    assert (problem.sheet, problem.line, problem.column) == ("申请", 3, "申请内容")
    assert problem.message.startswith("该单元格的 XML 格式错误，无法读取（XML 第1行第")


def test_a_crafted_year_of_figures_is_refused_by_name():
    content = crafted_xlsx(
        [FIGURE_HEADER, ["city", Raw('<c r="B2"><v>1e309</v></c>'), "行政许可", 10, None]],
        sheet="年度数据",
    )

    assert refused(content) == [
        Problem("年度数据", 2, "年度", "数值超出范围（如 1e309），不是有效的数字。")
    ]


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        pytest.param(
            {"申请内容": "某项目\x00审批文件"},
            Problem("申请", 2, "申请内容", "不能包含空字符（NUL）。"),
            id="nul",
        ),
        pytest.param(
            {"延期天数": "NaN"}, Problem("申请", 2, "延期天数", "“NaN”不是数字。"), id="NaN"
        ),
        pytest.param(
            {"延期天数": "1e309"},
            Problem("申请", 2, "延期天数", "“1e309”不是数字。"),
            id="1e309",
        ),
        pytest.param(
            {"收到申请日期": "0001-01-01"},
            Problem("申请", 2, "收到申请日期", BEFORE_2008),
            id="year-1",
        ),
    ],
)
def test_a_crafted_csv_cell_is_refused_by_name(cells, problem):
    content = csv_text([HEADER, request_row(**cells)]).encode("utf-8")

    assert refused(content, filename="申请.csv", sheet="申请") == [problem]


def test_a_long_cell_is_quoted_short_in_the_message():
    content = crafted_xlsx([HEADER, request_row(收到申请日期="明" * 5000)])

    assert refused(content) == [
        Problem(
            "申请",
            2,
            "收到申请日期",
            f"“{'明' * 40}…”不是日期：请填写日期单元格或“YYYY-MM-DD”格式的文本。",
        )
    ]
