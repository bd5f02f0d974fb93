"""``export_reports --body CODE --year YYYY [--format pdf|docx|xlsx|json] [--render]
--output FILE.zip``

Every published version of every report of the body's subtree for the year in one zip, with
an index (``reports.bulk_export``). The export runs as a background job: on the workers when
CELERY_BROKER_URL is set (this command waits for it and prints its progress), else here."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.services import jobs_fail_interrupted
from disclosure.services import as_os_account
from reports.bulk_export import FORMATS, export_enqueue
from reports.management.commands.report_tables import body_by_code

POLL_SECONDS = 0.5
QUEUED_HINT_SECONDS = 10


class Command(BaseCommand):
    help = "把机构及其全部下级机构某年度全部已发布的年度报告（每个版本一个文件）连同索引导出为一个 zip 文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", required=True, help="机构代码（含其全部下级机构）")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument(
            "--render",
            action="store_true",
            help="PDF 按报告文档重新生成，而不是复制发布时保存的 PDF（仅用于 --format pdf）",
        )
        parser.add_argument("--output", required=True, type=Path, help="输出的 zip 文件路径")

    @as_os_account
    def handle(self, *args, **options) -> None:
        if options["render"] and options["format"] != "pdf":
            raise CommandError(_("--render 只能与 --format pdf 同时使用（其他格式总是重新生成）。"))
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(_("输出目录不存在：%(path)s") % {"path": output.parent})
        body = body_by_code(options["body"])
        job = export_enqueue(
            actor=None,
            body=body,
            year=options["year"],
            fmt=options["format"],
            render=options["render"],
        )
        self.stdout.write(_("已提交后台任务 #%(id)s。") % {"id": job.pk})
        job = self.wait(job)
        if job.status == JobStatus.FAILED:
            raise CommandError(job.error)
        with job.result_file.open("rb") as source, output.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        for line in job.result.get("lines", []):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(_("已写入 %(path)s") % {"path": output}))

    def wait(self, job: Job) -> Job:
        """Print the job's progress as it moves until it is done or failed."""
        shown = None
        started = time.monotonic()
        hinted = False
        while True:
            jobs_fail_interrupted(ids=[job.pk])
            job.refresh_from_db()
            line = f"{job.get_status_display()} {job.done}/{job.total} {job.message}".strip()
            if line != shown:
                self.stdout.write(line)
                shown = line
            if job.finished:
                return job
            if (
                job.status == JobStatus.QUEUED
                and not hinted
                and time.monotonic() - started > QUEUED_HINT_SECONDS
            ):
                self.stdout.write(
                    _("任务仍在排队：请确认后台处理进程（celery -A config worker）正在运行。")
                )
                hinted = True
            time.sleep(POLL_SECONDS)
