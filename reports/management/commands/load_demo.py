from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from disclosure.services import as_os_account
from reports.demo import DemoAlreadyLoaded, DemoTooEarly, demo_counts, load_demo


class Command(BaseCommand):
    help = (
        "载入演示数据：武威市 2023 年政府信息公开工作年度报告（由记录重建），2022、2024、2025 年"
        "的数据和已发布报告，以及 2026 年至今天的申请（在办、逾期、待补正）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-recent",
            action="store_true",
            help="不生成 2026 年以来的记录（测试用：结果与今天的日期无关）。",
        )

    @as_os_account
    def handle(self, *args, **options) -> None:
        try:
            passwords = load_demo(today=timezone.localdate(), current_year=not options["no_recent"])
        except DemoAlreadyLoaded:
            self.stdout.write("演示数据已经载入，未做任何修改。")
            return
        except DemoTooEarly as error:
            raise CommandError(str(error)) from error
        counts = demo_counts()
        self.stdout.write(
            self.style.SUCCESS(
                "演示数据已载入：{bodies} 个机构、{requests} 件申请、{appeals} 件复议诉讼案件、"
                "{documents} 件规范性文件。".format(**counts)
            )
        )
        for username, password in passwords.items():
            self.stdout.write(f"演示工作人员 {username} 的密码：{password}（仅显示这一次）")
