"""Check every published version against what was recorded when it was published."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.integrity import published_problems


class Command(BaseCommand):
    help = (
        "核验所有已发布版本：按存储的文档重算 SHA-256，检查存档 PDF（存在、是 PDF、"
        "与发布时记录的 SHA-256 一致）。每个问题输出一行；有任何问题时退出状态为 1。"
    )

    def handle(self, *args, **options) -> None:
        checked = 0
        problems = 0
        for version, found in published_problems():
            checked += 1
            for problem in found:
                problems += 1
                self.stdout.write(f"{version}：{problem}")
        if problems:
            raise CommandError(
                f"核验了 {checked} 个已发布版本，发现 {problems} 处不一致。", returncode=1
            )
        self.stdout.write(
            self.style.SUCCESS(f"核验了 {checked} 个已发布版本，文档和 PDF 均与发布时一致。")
        )
