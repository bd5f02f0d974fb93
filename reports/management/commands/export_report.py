"""``export_report --body CODE --year YYYY [--scope own|level|all] [--rollup] [--draft]
--format pdf|docx|xlsx|csv|json [--archival] --output PATH``

Which document is exported: the body's report for the year when its scope is the one asked
for — its latest published version, or with ``--draft`` (or when nothing is published yet)
the current draft with its narrative, or the imported original; otherwise (no report, or
another scope) the tables computed now from the records, without narrative, exactly as
``report_tables`` gives them."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosure.models import Body
from reports import exports
from reports.management.commands.report_tables import body_by_code
from reports.models import Report, Scope, default_scope
from reports.narrative import NarrativeError
from reports.selectors import computed_document, report_document
from reports.system_checks import PdfUnavailable


def export_document(*, body: Body, year: int, scope: str | None, draft: bool = False) -> dict:
    report = Report.objects.filter(body=body, year=year).first()
    if scope is None:
        scope = report.scope if report is not None else default_scope(body)
    if report is not None and report.scope == scope:
        latest = None if draft else report.versions.order_by("-number").first()
        return latest.document if latest is not None else report_document(report)
    return computed_document(body, year, scope)


class Command(BaseCommand):
    help = "导出机构某年度的年度报告（PDF、Word、Excel、CSV 或 JSON）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", required=True, help="机构代码")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--scope", choices=Scope.values)
        parser.add_argument("--rollup", action="store_true", help="等同于 --scope all")
        parser.add_argument("--draft", action="store_true", help="导出当前草稿，而非最新发布版本")
        parser.add_argument("--format", required=True, choices=tuple(exports.FORMATS))
        parser.add_argument(
            "--archival", action="store_true", help="PDF/A 归档格式（仅用于 --format pdf）"
        )
        parser.add_argument("--output", required=True, type=Path, help="输出文件路径")

    def handle(self, *args, **options) -> None:
        if options["rollup"] and options["scope"] not in (None, Scope.ALL):
            raise CommandError("--rollup 即 --scope all，不能与其他范围同时使用。")
        if options["archival"] and options["format"] != "pdf":
            raise CommandError("--archival（PDF/A）只能与 --format pdf 同时使用。")
        body = body_by_code(options["body"])
        try:
            document = export_document(
                body=body,
                year=options["year"],
                scope=Scope.ALL if options["rollup"] else options["scope"],
                draft=options["draft"],
            )
        except NarrativeError as error:
            raise CommandError(str(error)) from error
        try:
            pdf_options = {"archival": True} if options["archival"] else {}
            content = exports.render(document, options["format"], **pdf_options)
        except PdfUnavailable as error:
            raise CommandError(str(error)) from error
        output: Path = options["output"]
        output.write_bytes(content)
        self.stdout.write(
            f"已导出 {body.name} {options['year']} 年年度报告（{options['format']}）：{output}"
        )
