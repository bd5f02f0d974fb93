"""``report_tables --body CODE --year YYYY [--scope own|level|all] [--rollup] [--format json|text]``"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import Body
from reports import format as fmt
from reports.models import Report, ReportStatus, Scope, default_scope
from reports.selectors import computed_document, report_document


def body_by_code(code: str) -> Body:
    body = Body.objects.filter(code=code).first()
    if body is None:
        raise CommandError(_("机构代码“%(code)s”不存在。") % {"code": code})
    return body


def _text(value) -> str:
    return "" if value is None else str(value)


def render_text(document: dict) -> str:
    """The three tables as plain text, rows and labels from ``reports.format``."""
    lines = [
        _("%(name)s %(year)d 年（%(scope)s）")
        % {
            "name": document.get("body_name", document["body"]),
            "year": document["year"],
            "scope": Scope(document["scope"]).label,
        }
    ]
    lines.append(fmt.TABLE_LABELS["proactive"])
    for group in fmt.PROACTIVE_GROUPS:
        lines.append(group.heading)
        lines.append(
            "\t".join([fmt.PROACTIVE_ROW_LABEL_HEADING, *(c.label for c in group.columns)])
        )
        for row in group.rows:
            cells = document["proactive"][row.key]
            lines.append("\t".join([row.label, *(_text(cells[c.key]) for c in group.columns)]))
    lines.append(fmt.TABLE_LABELS["requests"])
    lines.append("\t".join(["", *(c.label for c in fmt.REQUEST_COLUMNS)]))
    for row in fmt.REQUEST_ROWS:
        cells = document["requests"]["rows"][row.key]
        label = "/".join([*row.path, row.label])
        lines.append("\t".join([label, *(_text(cells[key]) for key in fmt.REQUEST_COLUMN_KEYS)]))
    lines.append(fmt.TABLE_LABELS["appeals"])
    lines.append("\t".join(["", *(c.label for c in fmt.APPEAL_COLUMNS)]))
    for group in fmt.APPEAL_GROUP_KEYS:
        cells = document["appeals"][group]
        lines.append(
            "\t".join(
                [fmt.APPEAL_GROUP_LABELS[group], *(_text(cells[k]) for k in fmt.APPEAL_COLUMN_KEYS)]
            )
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = gettext_lazy(
        "机构某年度年度报告的表二、表三、表四（JSON 为 report.schema.json 文档，不含正文）："
        "按记录计算；未指定范围且该年度报告为导入的历史报告时，输出导入的表格。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", required=True, help=gettext_lazy("机构代码"))
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--scope", choices=Scope.values)
        parser.add_argument(
            "--rollup", action="store_true", help=gettext_lazy("等同于 --scope all")
        )
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args, **options) -> None:
        body = body_by_code(options["body"])
        year = options["year"]
        if options["rollup"] and options["scope"] not in (None, Scope.ALL):
            raise CommandError(_("--rollup 即 --scope all，不能与其他范围同时使用。"))
        scope = Scope.ALL if options["rollup"] else options["scope"]
        report = Report.objects.filter(body=body, year=year).first()
        if scope is None and report is not None and report.status == ReportStatus.IMPORTED:
            # The body's report for the year is an imported original: its tables as published.
            document = report_document(report, include_narrative=False)
        else:
            scope = scope or (report.scope if report is not None else default_scope(body))
            document = computed_document(body, year, scope)
        if options["format"] == "text":
            self.stdout.write(render_text(document), ending="")
        else:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
