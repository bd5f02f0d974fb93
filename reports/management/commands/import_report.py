"""``import_report FILE.json [--parent CODE]``: store a published report of an earlier year."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.importing import DocumentError, ImportRefused, report_import
from reports.management.commands.report_tables import body_by_code


class Command(BaseCommand):
    help = "导入已发布的年度报告（report.schema.json 文档）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON 文件")
        parser.add_argument("--parent", help="新建机构时的上级机构代码")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{path}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} 不是有效的 JSON：{error}") from error
        parent = body_by_code(options["parent"]) if options["parent"] else None
        try:
            report = report_import(actor=None, document=data, parent=parent)
        except DocumentError as error:
            raise CommandError("文档有误：\n" + "\n".join(error.problems)) from error
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已导入 {report.body.name}（{report.body.code}）{report.year} 年年度报告。"
        )
