"""python manage.py import_records FILE [--sheet NAME] [--dry-run] [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from disclosure.importing import WorkbookRejected, records_import
from disclosure.importing.columns import SHEETS
from disclosure.services import as_os_account


class Command(BaseCommand):
    # The system checks (PDF fonts, URLs, …) cost a second of every run and say nothing about
    # an import, which checks everything it reads.
    requires_system_checks: list[str] = []
    help = (
        "导入台账工作簿（.xlsx：机构、申请、复议诉讼、规范性文件、年度数据各表均可选），"
        "或以 CSV 保存的单张表（须用 --sheet 指明表名）。整个文件一并导入：有一行出错即全部不保存。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="工作簿（.xlsx）或单张表（.csv，UTF-8 或 GBK 编码）")
        parser.add_argument(
            "--sheet",
            choices=list(SHEETS),
            help="CSV 文件是哪张表；用于 .xlsx 时只导入这一张表",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不保存")
        parser.add_argument(
            "--user",
            help="以该用户的身份导入（记入操作记录，并只允许写入其有录入权限的机构）",
        )

    @as_os_account
    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(_("没有用户“%(user)s”。") % {"user": options["user"]}) from None
        try:
            summary = records_import(
                actor=actor,
                filename=path.name,
                content=path.read_bytes(),
                sheet=options["sheet"],
                dry_run=options["dry_run"],
            )
        except WorkbookRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("文件未导入（共 %(count)s 处错误），没有保存任何内容。")
                % {"count": len(rejected.problems)}
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        if summary.dry_run:
            self.stdout.write(
                self.style.WARNING(_("试导入（--dry-run）：以上为检查结果，没有保存。"))
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成。")))
