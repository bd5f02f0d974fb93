"""The oversight list as a workbook: the lines, then one sheet per finding list (errors,
warnings) and one of the repeated passages. Every text through ``safe_text``; values only."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook

from disclosure.models import Body
from disclosure.spreadsheets import ensure_no_formulas, safe_value
from reports.findings import ERROR, WARNING
from reports.oversight import KeyFigures, OversightLine, finding_place


def _float(value):
    return float(value) if value is not None else None


def _sheet(workbook: Workbook, title: str, header: Sequence[str], rows) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([safe_value(str(cell)) for cell in header])
    for row in rows:
        sheet.append([safe_value(cell) for cell in row])
    sheet.freeze_panes = "A2"


def _finding_rows(lines: Sequence[OversightLine], severity: str):
    for line in lines:
        for finding in line.findings:
            if finding.severity == severity:
                yield (
                    line.code,
                    line.name,
                    finding.rule,
                    finding_place(finding),
                    finding.expected,
                    finding.actual,
                    finding.message,
                    finding.quote or "",
                )


def oversight_workbook(body: Body, year: int, lines: Sequence[OversightLine]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    figure_labels = [str(label) for label in KeyFigures.LABELS.values()]
    _sheet(
        workbook,
        _("督查总表"),
        [
            _("机构代码"),
            _("机构名称"),
            _("截止日期"),
            _("状态"),
            _("发布日期"),
            _("逾期天数"),
            _("错误"),
            _("警告"),
            _("正文重复率（%）"),
            *figure_labels,
        ],
        (
            (
                line.code,
                line.name,
                line.deadline,
                str(line.status_label),
                line.published_on,
                line.days_late,
                line.errors,
                line.warnings,
                _float(line.repeated_share),
                *(
                    line.figures.as_dict().values()
                    if line.figures is not None
                    else [None] * len(figure_labels)
                ),
            )
            for line in lines
        ),
    )
    finding_header = [
        _("机构代码"),
        _("机构名称"),
        _("规则"),
        _("位置"),
        _("应为"),
        _("实际"),
        _("说明"),
        _("引文"),
    ]
    _sheet(workbook, _("错误"), finding_header, _finding_rows(lines, ERROR))
    _sheet(workbook, _("警告"), finding_header, _finding_rows(lines, WARNING))
    _sheet(
        workbook,
        _("重复段落"),
        [_("机构代码"), _("机构名称"), _("正文重复率（%）"), _("与上年相同的段落（数字除外）")],
        (
            (line.code, line.name, _float(line.repeated_share), passage)
            for line in lines
            if line.repetition is not None
            for passage in line.repetition.passages
        ),
    )
    for sheet in workbook.worksheets:
        sheet.column_dimensions["B"].width = 28
    workbook.properties.title = _("%(body)s %(year)s 年度报告督查") % {
        "body": body.name,
        "year": year,
    }
    ensure_no_formulas(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
