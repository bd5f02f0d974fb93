from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.demo import DemoAlreadyLoaded, demo_counts, load_demo


class Command(BaseCommand):
    help = (
        "载入演示数据：武威市 2023 年政府信息公开工作年度报告（由记录重建）及 2022、2024 年数据。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-recent",
            action="store_true",
            help="不生成最近几周的在办申请（测试用：结果与今天的日期无关）。",
        )

    def handle(self, *args, **options) -> None:
        today = None if options["no_recent"] else timezone.localdate()
        try:
            passwords = load_demo(today=today)
        except DemoAlreadyLoaded:
            self.stdout.write("演示数据已经载入，未做任何修改。")
            return
        counts = demo_counts()
        self.stdout.write(
            self.style.SUCCESS(
                "演示数据已载入：{bodies} 个机构、{requests} 件申请、{appeals} 件复议诉讼案件、"
                "{documents} 件规范性文件。".format(**counts)
            )
        )
        for username, password in passwords.items():
            self.stdout.write(f"演示工作人员 {username} 的密码：{password}（仅显示这一次）")
