"""``import_report FILE.json [--parent CODE]``: store a published report of an earlier year."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.importing import limits
from disclosure.parsers import UnreadableJSON, read_json
from disclosure.services import as_os_account
from disclosure.validators import file_too_large
from reports.importing import DocumentError, ImportRefused, report_import
from reports.management.commands.report_tables import body_by_code


class Command(BaseCommand):
    help = gettext_lazy("导入已发布的年度报告（report.schema.json 文档）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("JSON 文件"))
        parser.add_argument("--parent", help=gettext_lazy("新建机构时的上级机构代码"))

    @as_os_account
    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            # A report's document is tens of kilobytes; the cap of every uploaded file.
            size = path.stat().st_size
            if size > limits.MAX_FILE_BYTES:
                raise CommandError(file_too_large(path.name, size, limits.MAX_FILE_BYTES))
            data = read_json(path.read_bytes())
        except FileNotFoundError as error:
            raise CommandError(_("找不到文件：%(path)s") % {"path": path}) from error
        except UnreadableJSON as error:
            raise CommandError(
                _("%(path)s 不是有效的 JSON：%(error)s") % {"path": path, "error": error}
            ) from None
        parent = body_by_code(options["parent"]) if options["parent"] else None
        try:
            report = report_import(actor=None, document=data, parent=parent)
        except DocumentError as error:
            raise CommandError(_("文档有误：") + "\n" + "\n".join(error.problems)) from error
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("已导入 %(name)s（%(code)s）%(year)d 年年度报告。")
            % {"name": report.body.name, "code": report.body.code, "year": report.year}
        )
