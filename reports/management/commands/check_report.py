"""``check_report --body CODE --year YYYY [--format json]``: exit status 1 when an error stands."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.management.commands.report_tables import body_by_code
from reports.models import Report
from reports.narrative import NarrativeError
from reports.selectors import findings_for_report


class Command(BaseCommand):
    help = gettext_lazy(
        "检查机构某年度年度报告（计算的或导入的），列出勾稽与正文核对结果；有错误时退出状态为 1。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", required=True, help=gettext_lazy("机构代码"))
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args, **options) -> None:
        body = body_by_code(options["body"])
        report = Report.objects.filter(body=body, year=options["year"]).first()
        if report is None:
            # No report yet: check the draft as it would be created (default scope, empty
            # narrative), so that what blocks its publication shows now.
            report = Report.new_draft(body=body, year=options["year"])
        try:
            findings = findings_for_report(report)
        except NarrativeError as error:
            raise CommandError(_("报告正文的占位符有误：%(error)s") % {"error": error}) from error
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1)
            )
        else:
            for finding in findings:
                self.stdout.write(
                    f"[{finding.severity}] {finding.rule} {finding.table}/{finding.row}"
                    f"/{finding.column or ''}: {finding.message}"
                )
            if not findings:
                self.stdout.write(_("未发现问题。"))
        if any(finding.is_error for finding in findings):
            sys.exit(1)
