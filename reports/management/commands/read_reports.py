"""``read_reports DIR_OR_ZIP [--year YYYY] [--body CODE] --output evaluation.xlsx``: read and
check every report file of a folder or a zip (``reports.batch``) and write the workbook:
sheet ``汇总`` (one row per file) and a sheet of every finding. Stores nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import Body
from disclosure.validators import REPORT_YEAR
from reports.batch import BatchRefused, batch_files, evaluate, evaluation_workbook, summary_lines


class Command(BaseCommand):
    help = gettext_lazy(
        "批量读取并核查一个文件夹或 zip 文件中的年度报告（PDF、网页、Word、文本），按标题中的"
        "机构名称匹配机构，写出评查工作簿：“汇总”表每个文件一行，另有全部核查结果。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help=gettext_lazy("文件夹或 zip 文件"))
        parser.add_argument("--year", type=int, help=gettext_lazy("年度（代替各文件标题中的年度）"))
        parser.add_argument("--body", help=gettext_lazy("只与该机构及其下级机构匹配（机构代码）"))
        parser.add_argument(
            "--output", required=True, help=gettext_lazy("评查工作簿（.xlsx）的保存路径")
        )

    def handle(self, *args, **options) -> None:
        year = options["year"]
        if year is not None:
            try:
                REPORT_YEAR(year)
            except ValidationError as error:
                raise CommandError(error.messages[0]) from None
        within = None
        if options["body"]:
            within = Body.objects.filter(code=options["body"]).first()
            if within is None:
                raise CommandError(_("机构代码“%(code)s”不存在。") % {"code": options["body"]})
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError(_("输出文件须为 .xlsx 工作簿。"))
        try:
            total, files = batch_files(Path(options["source"]))
            results = evaluate(files, total=total, year=year, within=within, progress=self.progress)
        except BatchRefused as refused:
            raise CommandError(str(refused)) from None
        evaluation_workbook(results).save(output)
        for line in summary_lines(results):
            self.stdout.write(line)
        self.stdout.write(_("已写出 %(path)s") % {"path": output})

    def progress(self, done: int, total: int, message: str) -> None:
        self.stderr.write(f"[{done}/{total}] {message}")
