"""The import's file formats (CSV encodings, Excel cells), the command and the template."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import subprocess
import sys
from unittest import mock

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from disclosure.importing import WorkbookRejected, records_import, template_workbook
from disclosure.importing.columns import SHEETS
from disclosure.models import AuditEntry, Body, InformationRequest
from tests.disclosure.import_helpers import (
    BODY_HEADER,
    REQUEST_HEADER,
    Raw,
    bomb,
    crafted_xlsx,
    csv_text,
    xlsx,
)
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db

REQUEST_ROWS = [
    REQUEST_HEADER,
    ["city", "A-1", "2023-03-01", "自然人", "张三", None, "当面", "关于某事项的信息", None, None],
    [
        "city",
        "A-2",
        "2023-03-02",
        "法律服务机构",
        "某律师事务所",
        None,
        "电子邮件",
        "某文件",
        "2023-03-10",
        "3.其他",
    ],
]


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(lambda text: text.encode("gbk"), id="gbk"),
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf-8-bom"),
    ],
)
def test_a_csv_sheet_imports_in_each_encoding(encoded):
    BodyFactory(code="city")

    summary = records_import(
        actor=None, filename="申请.csv", content=encoded(csv_text(REQUEST_ROWS)), sheet="申请"
    )

    assert (summary.sheets[0].sheet, summary.sheets[0].created) == ("申请", 2)
    assert sorted(
        InformationRequest.objects.values_list("reference", "content", "applicant__name")
    ) == [
        ("A-1", "关于某事项的信息", "张三"),
        ("A-2", "某文件", "某律师事务所"),
    ]


def test_a_csv_needs_its_sheet_named():
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="申请.csv", content=csv_text(REQUEST_ROWS).encode())

    assert refused.value.problems[0].message.startswith("CSV 文件只含一张表")


def test_csv_line_numbers_count_as_excel_shows_them():
    BodyFactory(code="city")
    rows = [
        *REQUEST_ROWS,
        ["city", "A-3", "2023/03/05", "自然人", None, None, "当面", "内容", None, None],
    ]

    with pytest.raises(WorkbookRejected) as refused:
        records_import(
            actor=None, filename="申请.csv", content=csv_text(rows).encode("gbk"), sheet="申请"
        )

    assert [(p.sheet, p.line, p.column) for p in refused.value.problems] == [
        ("申请", 4, "收到申请日期")
    ]


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=b"not a zip file")

    assert refused.value.problems[0].message == "无法读取该文件：它不是有效的 .xlsx 工作簿。"


def test_excel_date_cells_and_text_dates_both_read():
    BodyFactory(code="city")
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER,
                [
                    "city",
                    20230001,
                    datetime.datetime(2023, 3, 1),
                    "自然人",
                    None,
                    None,
                    "当面",
                    "一",
                    datetime.date(2023, 3, 8),
                    "予以公开",
                ],
                [
                    "city",
                    "20230002",
                    "2023-03-02",
                    "自然人",
                    None,
                    None,
                    "当面",
                    "二",
                    "2023-03-09",
                    "予以公开",
                ],
            ]
        }
    )

    records_import(actor=None, filename="台账.xlsx", content=content)

    assert sorted(
        InformationRequest.objects.values_list("reference", "received_on", "concluded_on")
    ) == [
        ("20230001", datetime.date(2023, 3, 1), datetime.date(2023, 3, 8)),
        ("20230002", datetime.date(2023, 3, 2), datetime.date(2023, 3, 9)),
    ]


def test_blank_rows_are_passed_over():
    content = xlsx(
        {"机构": [BODY_HEADER, [None] * 8, ["city", "某市人民政府", None, "人民政府"], []]}
    )

    summary = records_import(actor=None, filename="台账.xlsx", content=content)

    assert summary.sheets[0].created == 1


def test_the_template_has_every_sheet_and_column_and_imports_as_nothing():
    content = template_workbook()
    workbook = openpyxl.load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == ["填写说明", *SHEETS, "选项"]
    assert workbook["选项"].sheet_state == "hidden"
    for name, spec in SHEETS.items():
        header = [cell.value for cell in workbook[name][1]]
        assert header == [column.name for column in spec.columns]
    summary = records_import(actor=None, filename="模板.xlsx", content=content)
    assert summary.created + summary.updated + summary.unchanged == 0


def test_the_template_offers_drop_down_lists_for_the_allowed_values():
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    lists = workbook["选项"]

    def offered(sheet: str, column: str) -> list[str]:
        letter = openpyxl.utils.get_column_letter(
            [c.name for c in SHEETS[sheet].columns].index(column) + 1
        )
        (validation,) = [
            v
            for v in workbook[sheet].data_validations.dataValidation
            if f"{letter}2" in str(v.sqref)
        ]
        assert validation.type == "list"
        cells = validation.formula1.split("!")[1].replace("$", "")
        return [cell.value for (cell,) in lists[cells]]

    assert offered("机构", "机构类型") == ["人民政府", "政府部门", "乡镇(街道)", "其他"]
    assert offered("申请", "申请方式") == [
        "当面",
        "邮寄",
        "平常信函",
        "互联网",
        "传真",
        "电子邮件",
        "其他",
    ]
    assert offered("申请", "收费方式") == ["按件", "按量"]
    assert len(offered("申请", "办理结果")) == 21
    assert offered("复议诉讼", "结果") == ["结果维持", "结果纠正", "其他结果"]
    assert offered("规范性文件", "类型") == ["规章", "行政规范性文件"]
    assert offered("年度数据", "项目")[0] == "行政许可"


def test_every_drop_down_value_imports():
    """What the template offers is what the import accepts (here: every 办理结果)."""
    BodyFactory(code="city")
    results = SHEETS["申请"].by_name["办理结果"].choices
    rows = [REQUEST_HEADER] + [
        [
            "city",
            f"R-{index}",
            "2023-03-01",
            "自然人",
            None,
            None,
            "当面",
            "内容",
            "2023-03-10",
            label,
        ]
        for index, label in enumerate(results)
    ]

    summary = records_import(actor=None, filename="台账.xlsx", content=xlsx({"申请": rows}))

    assert summary.sheets[0].created == 21
    assert InformationRequest.objects.values("result").distinct().count() == 21


def test_the_command_imports_and_prints_the_summary(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]}))
    out = io.StringIO()

    call_command("import_records", str(path), stdout=out)

    assert "“机构”：新增 1 条，更新 0 条，未变 0 条" in out.getvalue()
    assert Body.objects.get().code == "city"


def test_the_command_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]}))
    out = io.StringIO()

    call_command("import_records", str(path), "--dry-run", stdout=out)

    assert "新增 1 条" in out.getvalue()
    assert Body.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_the_command_reads_a_csv_sheet(tmp_path):
    BodyFactory(code="city")
    path = tmp_path / "申请.csv"
    path.write_bytes(csv_text(REQUEST_ROWS).encode("gbk"))

    call_command("import_records", str(path), "--sheet", "申请", stdout=io.StringIO())

    assert InformationRequest.objects.count() == 2


def test_the_command_names_every_bad_row_and_fails(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        xlsx(
            {
                "机构": [
                    BODY_HEADER,
                    ["city", "某市人民政府", None, "人民政府"],
                    ["bad code!", "某部门", "city", "政府部门"],
                ]
            }
        )
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="共 1 处错误"):
        call_command("import_records", str(path), stdout=io.StringIO(), stderr=err)

    assert "“机构”表 第3行 “机构代码”列：" in err.getvalue()
    assert Body.objects.count() == 0


def test_naming_a_sheet_of_a_workbook_imports_only_that_sheet():
    content = xlsx(
        {
            "机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]],
            "申请": [REQUEST_HEADER, REQUEST_ROWS[1]],
        }
    )

    summary = records_import(actor=None, filename="台账.xlsx", content=content, sheet="机构")

    assert [(s.sheet, s.created) for s in summary.sheets] == [("机构", 1)]
    assert InformationRequest.objects.count() == 0


def run_import_command(*arguments: str) -> tuple[int, str, str]:
    """``manage.py import_records`` as the shell runs it: exit status, stdout, stderr. (The
    command closes the database connections when it ends: not the test's.)"""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(connections, "close_all"),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            ManagementUtility(["manage.py", "import_records", *arguments]).execute()
            status = 0
        except SystemExit as exit:
            status = exit.code
    return status, out.getvalue(), err.getvalue()


def test_the_command_refuses_a_bomb_with_exit_status_1(tmp_path):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(bomb())

    status, out, err = run_import_command(str(path))

    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "文件：文件解压后超过 200 MB：部件“xl/worksheets/sheet2.xml”解压后为 201 MB，"
        "不予读取（可能是“压缩炸弹”）。",
        "CommandError: 文件未导入（共 1 处错误），没有保存任何内容。",
    ]
    assert Body.objects.count() == 0


def test_the_command_names_a_crafted_cell_with_exit_status_1(tmp_path):
    BodyFactory(code="city")
    path = tmp_path / "台账.xlsx"
    row = ["city", "A-1", "2023-03-01", "自然人", None, None, "当面", "内容", None, None]
    path.write_bytes(
        crafted_xlsx([REQUEST_HEADER + ["延期天数"], row + [Raw('<c r="K2"><v>1e309</v></c>')]])
    )

    status, _out, err = run_import_command(str(path))

    assert status == 1
    assert err.splitlines() == [
        "“申请”表 第2行 “延期天数”列：数值超出范围（如 1e309），不是有效的数字。",
        "CommandError: 文件未导入（共 1 处错误），没有保存任何内容。",
    ]
    assert InformationRequest.objects.count() == 0


def test_the_command_prints_no_traceback_and_no_warning_for_a_crafted_file(tmp_path):
    """The real command in its own process (the import refuses the file before any query)."""
    path = tmp_path / "台账.xlsx"
    row = ["city", "A-1", Raw('<c r="C2" s="1"><v>2958466</v></c>'), "自然人", None, None]
    path.write_bytes(crafted_xlsx([REQUEST_HEADER, row + ["当面", "内容", None, None]]))
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONWARNINGS": "default",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "import_records", str(path)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "“申请”表 第2行 “收到申请日期”列：“#VALUE!”不是日期：请填写日期单元格或“YYYY-MM-DD”格式的文本。",
        "CommandError: 文件未导入（共 1 处错误），没有保存任何内容。",
    ]
