"""``read_report FILE [--body CODE] [--year YYYY] [--format json|text]``: read a published
report (PDF, web page, Word, text) into the report document, with its repairs, unresolved
cells and findings. Exit status 0 when read, 1 when read with error findings, 2 when the
file cannot be read (the message says why). Stores nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import format as fmt
from reports.reading.errors import ReadingError
from reports.reading.reader import Reading, read_report
from reports.reading.repairs import cell_label

READ, READ_WITH_ERRORS, UNREADABLE = 0, 1, 2


class Command(BaseCommand):
    help = gettext_lazy(
        "读取已发布的年度报告文件（PDF、网页、Word、文本），输出报告文档、按勾稽关系修复的单元格、"
        "无法确定的单元格和核查结果。退出状态：0 已读取，1 已读取但有错误，2 无法读取。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("报告文件"))
        parser.add_argument("--body", help=gettext_lazy("机构代码（代替按标题中的名称匹配）"))
        parser.add_argument("--year", type=int, help=gettext_lazy("年度（代替标题中的年度）"))
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            self.fail(
                _("无法打开文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}
            )
        try:
            reading = read_report(data, path.name, body=options["body"], year=options["year"])
        except ReadingError as error:
            self.fail(_("无法读取 %(path)s：%(error)s") % {"path": path, "error": error})
        if options["format"] == "json":
            self.stdout.write(json.dumps(reading.as_json(), ensure_ascii=False, indent=1))
        else:
            self.write_text(reading)
        sys.exit(READ_WITH_ERRORS if reading.has_errors else READ)

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(UNREADABLE)

    def write_text(self, reading: Reading) -> None:
        document = reading.document
        out = self.stdout
        out.write(
            _("%(name)s（%(code)s）%(year)d 年度，统计范围 %(scope)s；来源：%(kind)s，%(pages)d 页")
            % {
                "name": document.get("body_name") or _("未知机构"),
                "code": document["body"] or _("本系统无此机构"),
                "year": document["year"],
                "scope": document["scope"],
                "kind": reading.source.kind,
                "pages": reading.source.pages,
            }
        )
        for table in fmt.TABLE_KEYS:
            out.write("")
            out.write(fmt.TABLE_LABELS[table])
            rows = fmt.table_rows(document, table)
            for row, columns in _rows(table):
                values = ["—" if rows[row][c] is None else str(rows[row][c]) for c in columns]
                out.write(f"  {fmt.row_label(table, row)}：{' '.join(values)}")
        out.write("")
        out.write(_("修复（%(count)d）：") % {"count": len(reading.repairs)})
        for repair in reading.repairs:
            out.write(f"  {repair.equation}")
        out.write(_("无法确定（%(count)d）：") % {"count": len(reading.unresolved)})
        for item in reading.unresolved:
            cell = (item["table"], item["row"], item["column"])
            out.write(f"  {cell_label(cell)}：{item['reason']}")
        out.write(_("核查结果（%(count)d）：") % {"count": len(reading.findings)})
        for finding in reading.findings:
            out.write(f"  [{finding.severity}] {finding.rule}: {finding.message}")


def _rows(table: str):
    if table == "proactive":
        return fmt.PROACTIVE_COLUMNS_BY_ROW.items()
    if table == "requests":
        return ((row, fmt.REQUEST_COLUMN_KEYS) for row in fmt.REQUEST_ROW_KEYS)
    return ((group, fmt.APPEAL_COLUMN_KEYS) for group in fmt.APPEAL_GROUP_KEYS)
