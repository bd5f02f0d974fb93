"""Send the day's reminder digests (also run by beat at 08:00; README "Reminders")."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from disclosure.reminders import reminders_send
from disclosure.validators import date_text_error


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(" ".join(date_text_error(text).messages)) from None


class Command(BaseCommand):
    help = (
        "向持有“录入”或“审核发布”角色并填写了电子邮箱的工作人员发送当日期限提醒："
        "逾期、3个工作日内到期和补正期限已过的申请。非工作日不发送；同一天只发送一次。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            type=_date,
            help="以该日（YYYY-MM-DD）为“今天”：逾期状态、补正期限、是否工作日和发送记录都按该日。",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只打印各人的提醒内容，不发送、不记录。"
        )

    def handle(self, *args, **options) -> None:
        today = options["date"] or timezone.localdate()
        run = reminders_send(today=today, dry_run=options["dry_run"], report=self.stdout.write)
        for digest in run.digests:
            message = digest.message()
            self.stdout.write(f"收件人：{digest.user.email}")
            self.stdout.write(f"主题：{message.subject}")
            self.stdout.write(message.body)
            self.stdout.write("-" * 60)
        for failure in run.failed:
            self.stderr.write(failure)
        if run.failed:
            raise CommandError(f"{len(run.failed)} 封提醒未能发送。")
